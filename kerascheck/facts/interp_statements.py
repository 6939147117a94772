"""The statement part of the interpreter: blocks, assignments, classes, branches and loops.

Separate because statements decide *which* code runs and in what state (``if`` on a constant runs one
branch, a loop over a short literal list is unrolled, an unknown branch marks what it builds
uncertain and joins the data that differs between its paths); expressions, calls and user code
only evaluate what this part hands them.
"""

from __future__ import annotations

from typing import Any, Sequence

import libcst as cst

from kerascheck.facts import dataflow
from kerascheck.facts.env import MISSING, Env
from kerascheck.facts.interp_state import MAX_UNROLL, STEP_BUDGET, InterpreterState
from kerascheck.facts.values import (
    UNK, ClassV, DataV, FuncV, Instance, ModelB, Obj, Seq, TensorV,
)

_AUGOP = {cst.AddAssign: "+", cst.SubtractAssign: "-", cst.MultiplyAssign: "*",
          cst.DivideAssign: "/", cst.FloorDivideAssign: "//", cst.PowerAssign: "**"}


class StatementsMixin(InterpreterState):
    """Executes statements in order, in an ``Env`` (one per module, function call or class body)."""

    def _body(self, body: Any, env: Env) -> None:
        if isinstance(body, cst.IndentedBlock):
            for stmt in body.body:
                self._stmt(stmt, env)
        elif isinstance(body, cst.SimpleStatementSuite):
            for small in body.body:
                self._small(small, env)

    def _stmt(self, stmt: cst.CSTNode, env: Env) -> None:
        saved = self._top
        self._top = saved + (stmt,)
        try:
            self._stmt_inner(stmt, env)
        finally:
            self._top = saved

    def _stmt_inner(self, stmt: cst.CSTNode, env: Env) -> None:
        self._steps += 1
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self._small(small, env)
        elif isinstance(stmt, cst.FunctionDef):
            fn = FuncV(stmt, self._top, env)
            self.functions.append(fn)
            env.bind(stmt.name.value, fn)
        elif isinstance(stmt, cst.ClassDef):
            self._class(stmt, env)
        elif isinstance(stmt, cst.If):
            self._if(stmt, env)
        elif isinstance(stmt, cst.For):
            self._for(stmt, env)
        elif isinstance(stmt, cst.While):
            self._uncertain += 1
            self._body(stmt.body, env)
            self._uncertain -= 1
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.ev(item.item, env)
                if item.asname is not None:
                    self._assign(item.asname.name, UNK if not isinstance(value, Obj) else value,
                                 None, env)
            self._body(stmt.body, env)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            self._body(stmt.body, env)
            self._uncertain += 1
            for handler in stmt.handlers:
                without_handler = dict(env.values)
                self._body(handler.body, env)
                _join_data(without_handler, env)
            self._uncertain -= 1
            if stmt.orelse is not None:
                self._body(stmt.orelse.body, env)
            if stmt.finalbody is not None:
                self._body(stmt.finalbody.body, env)
        elif isinstance(stmt, cst.Match):
            self.ev(stmt.subject, env)
            self._uncertain += 1
            for case in stmt.cases:
                self._body(case.body, env)
            self._uncertain -= 1

    def _small(self, small: cst.BaseSmallStatement, env: Env) -> None:
        if isinstance(small, cst.Assign):
            value = self.ev(small.value, env)
            for target in small.targets:
                self._assign(target.target, value, small.value, env)
        elif isinstance(small, cst.Expr):
            self.ev(small.value, env)
        elif isinstance(small, cst.AugAssign):
            self._augassign(small, env)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self._assign(small.target, self.ev(small.value, env), small.value, env)
        elif isinstance(small, cst.Global):
            self._frames[-1].globals.update(n.name.value for n in small.names)
        elif isinstance(small, cst.Return):
            value = self.ev(small.value, env) if small.value is not None else None
            frame = self._frames[-1]
            if frame.returned is MISSING:
                frame.returned = value
                frame.returned_in_branch = self._uncertain > frame.uncertain_base
            elif frame.returned_in_branch and isinstance(frame.returned, TensorV) and (
                    value is not frame.returned):
                # ``if not training: return tf.nn.softmax(x)`` then ``return x``: which tensor
                # the model outputs depends on the branch, so its head is not known.
                frame.returned = TensorV(frame.returned.chain, False)
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            start = len(self.imports.imported)
            if isinstance(small, cst.Import):
                self.imports.add_import(small)
            else:
                self.imports.add_import_from(small)
            for _, node in self.imports.imported[start:]:
                self.import_tops[id(node)] = self._top

    def _assign(self, target: cst.BaseExpression, value: Any, node: Any, env: Env) -> None:
        if isinstance(target, cst.Name):
            if isinstance(value, ModelB) and value.name is None:
                value.name = target.value
            self._scope_of(target.value, env).bind(target.value, value, node)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e for e in target.elements]
            items = value.items if isinstance(value, Seq) else None
            node_items = None
            if isinstance(node, (cst.Tuple, cst.List)) and len(node.elements) == len(elements):
                node_items = [e.value for e in node.elements]
            for i, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    self._assign(element.value, UNK, None, env)
                    continue
                item = items[i] if items is not None and i < len(items) else UNK
                self._assign(element.value, item, node_items[i] if node_items else None, env)
        elif isinstance(target, cst.Attribute):
            owner = self.ev(target.value, env)
            if isinstance(owner, (Instance, Obj)):
                owner.attrs[target.attr.value] = value
        elif isinstance(target, cst.Subscript):
            # df[cols] = scaler.fit_transform(df[cols]), df.loc[:, cols] = ...: df itself changes.
            base_node = target.value
            while isinstance(base_node, (cst.Subscript, cst.Attribute)):
                base_node = base_node.value
            if isinstance(base_node, cst.Name):
                base = env.lookup(base_node.value)
                if isinstance(base, DataV):
                    replaced = _masked_constant(target, base_node.value, env, self)
                    env.bind(base_node.value,
                             dataflow.item_assignment(base, value, node, target, replaced),
                             env.nodes.get(base_node.value))

    def _augassign(self, small: cst.AugAssign, env: Env) -> None:
        op = _AUGOP.get(type(small.operator))
        right = self.ev(small.value, env)
        if not isinstance(small.target, cst.Name) or op is None:
            return
        left = env.lookup(small.target.value)
        if left is MISSING:
            return
        if op == "/":
            # ``a /= K.sum(a)``: the numerator is ``a`` as bound before this statement (KC502/KC504).
            self._record_division(small.value, small.target, small, env)
        result = self._binop(left, op, right)
        self._scope_of(small.target.value, env).bind(small.target.value, result, None)
        if isinstance(left, DataV) and isinstance(result, DataV):
            # NumPy's in-place operators change the array itself, so every name bound to it sees
            # the change: ``for x in (x_train, x_test): x /= 255``, ``def norm(a): a /= 255``.
            scope: Env | None = env
            while scope is not None:
                for name, bound in list(scope.values.items()):
                    if bound is left:
                        scope.values[name] = result
                scope = scope.parent

    def _scope_of(self, name: str, env: Env) -> Env:
        """Where assigning ``name`` binds it: the module for a ``global`` name in a function."""
        if name in self._frames[-1].globals:
            return self._module_env
        return env

    def _class(self, node: cst.ClassDef, env: Env) -> None:
        bases: list[str] = []
        for arg in node.bases:
            resolved = self.imports.resolve(arg.value)
            if resolved is not None:
                bases.append(resolved)
            else:
                parent = self.ev(arg.value, env)
                if isinstance(parent, ClassV):
                    bases.extend(parent.bases)
        cls = ClassV(node, self._top, tuple(bases))
        class_env = Env(env)
        if isinstance(node.body, cst.IndentedBlock):
            for stmt in node.body.body:
                if isinstance(stmt, cst.FunctionDef):
                    fn = FuncV(stmt, self._top + (stmt,), env, owner=cls)
                    cls.methods[stmt.name.value] = fn
                    self.functions.append(fn)
                else:
                    self._stmt(stmt, class_env)
        self.classes.append(cls)
        env.bind(node.name.value, cls)

    def _if(self, stmt: cst.If, env: Env) -> None:
        if _is_main_guard(stmt.test):
            self._body(stmt.body, env)
            return
        test = self.ev(stmt.test, env)
        if isinstance(test, (bool, int, float, str)) or test is None:
            if test:
                self._body(stmt.body, env)
            elif stmt.orelse is not None:
                self._else(stmt.orelse, env)
            return
        self._uncertain += 1
        before, before_nodes = dict(env.values), dict(env.nodes)
        self._body(stmt.body, env)
        if stmt.orelse is None:
            _join_data(before, env)
        else:
            # The else branch starts from the state before the if (not from the body's end).
            # Afterwards a name keeps the last branch's binding when that branch bound it, else
            # the body's (the interpreter reads branches in order); data that differs between the
            # two paths becomes unknown (_join_data).
            after_body, after_nodes = dict(env.values), dict(env.nodes)
            env.values.clear()
            env.values.update(before)
            env.nodes.clear()
            env.nodes.update(before_nodes)
            self._else(stmt.orelse, env)
            after_else = dict(env.values)
            for name, value in after_body.items():
                if after_else.get(name, MISSING) is before.get(name, MISSING):
                    env.values[name] = value
                    env.nodes[name] = after_nodes.get(name)
            _join_data(after_body, env, after_else)
        self._uncertain -= 1

    def _else(self, orelse: cst.If | cst.Else, env: Env) -> None:
        if isinstance(orelse, cst.If):
            self._if(orelse, env)
        else:
            self._body(orelse.body, env)

    def _for(self, stmt: cst.For, env: Env) -> None:
        iterable = self.ev(stmt.iter, env)
        items: Sequence[Any] | None = None
        if isinstance(iterable, Seq) and not iterable.appended:
            items = iterable.items
        elif isinstance(iterable, range):
            items = list(iterable)
        if items is not None and len(items) <= _unroll_limit(stmt) and self._steps < STEP_BUDGET:
            for item in items:
                self._assign(stmt.target, item, None, env)
                self._body(stmt.body, env)
        else:
            # The trip count is unknown: the body is read once, and layers it adds to a model
            # made outside the loop are "repeated" (some number of times) rather than unknown.
            self._assign(stmt.target, UNK, None, env)
            self._uncertain += 1
            self._repeating += 1
            self._body(stmt.body, env)
            self._repeating -= 1
            self._uncertain -= 1
        if stmt.orelse is not None:
            self._body(stmt.orelse.body, env)


# A loop body this short is unrolled up to this many times (``for _ in range(20): model.add(...)``
# is a 20-layer stack); longer bodies up to MAX_UNROLL.
_SHORT_BODY = 3
_SHORT_BODY_UNROLL = 64


def _unroll_limit(stmt: cst.For) -> int:
    body = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ()
    short = 0 < len(body) <= _SHORT_BODY and all(
        isinstance(line, cst.SimpleStatementLine) for line in body)
    return _SHORT_BODY_UNROLL if short else MAX_UNROLL


def _join_data(other_path: dict[str, Any], env: Env, this_path: dict[str, Any] | None = None) -> None:
    """After a branch that may or may not have run: data that differs between the two paths
    (``if normalize: x = x / 255``, ``else: x = x.astype(...)``) is unknown rather than the last
    branch's value, so data rules stay quiet instead of trusting one path; so is a constant that
    differs (a loss name, an activation, a unit count). Other values keep the interpreter's
    sequential reading. ``this_path`` defaults to the names as bound now."""
    this_path = env.values if this_path is None else this_path
    for name in list(env.values):
        if name not in other_path or name not in this_path:
            continue
        other, value = other_path[name], this_path[name]
        if other is value:
            continue
        if _is_constant(value) or _is_constant(other):
            # Constants too: a loss, activation or unit count chosen by the branch
            # (``if n_classes > 2: loss = "categorical_crossentropy"``) is not known.
            if not (type(value) is type(other) and value == other):
                env.bind(name, UNK, env.nodes.get(name))
            continue
        if not (isinstance(value, DataV) or isinstance(other, DataV)):
            continue
        if isinstance(value, DataV) and isinstance(other, DataV) and (
            value.origin, value.role, value.transforms, value.columns) == (
                other.origin, other.role, other.transforms, other.columns):
            continue
        env.bind(name, UNK, env.nodes.get(name))


def _masked_constant(target: cst.Subscript, name: str, env: Env, interp: Any) -> Any:
    """``C`` in ``y[y == C] = ...``: the value a relabelling replaces (None otherwise)."""
    if target.value is None or not isinstance(target.value, cst.Name) or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    if not isinstance(index, cst.Index) or not isinstance(index.value, cst.Comparison):
        return None
    test = index.value
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return None
    if not (isinstance(test.left, cst.Name) and test.left.value == name):
        return None
    constant = interp.ev(test.comparisons[0].comparator, env)
    return constant if isinstance(constant, (bool, int, float, str)) else None


def _is_constant(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _is_main_guard(test: cst.BaseExpression) -> bool:
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "__name__"
    )
