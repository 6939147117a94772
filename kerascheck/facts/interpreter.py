"""A small abstract interpreter over the statements of one file.

Why an interpreter rather than pattern matching: real Keras code keeps constants in variables
(``LR = 0.1`` ... ``Adam(LR)``), builds models in functions that are called later, folds activations into
separate layers and rescales data three statements before ``fit``. Evaluating statements in order over a
few abstract values (``values.py``) lets every rule ask "what reaches ``compile``/``fit``" and get the
same answer whatever the idiom. It descends only through statements, bodies, calls, assignments and
imports -- never a generic visitor -- which keeps it near the parse floor (DESIGN.md).

It is deliberately conservative: loops with unknown bounds and branches on unknown conditions mark
models incomplete, unknown calls give ``UNK``, and rules stay quiet on incomplete facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import libcst as cst

from kerascheck.facts import dataflow
from kerascheck.facts.env import MISSING, Env
from kerascheck.facts.model import Loc
from kerascheck.facts.names import ImportTable
from kerascheck.facts.syntax import float_value, int_value, string_value
from kerascheck.facts.values import (
    UNK, ClassV, DataV, DictV, FuncV, Instance, LayerUse, ModelB, ModelOut, Obj, OpMark, Ref, Seq,
    TensorV,
)

MAX_CALL_DEPTH = 5
MAX_UNROLL = 16
# Statements one file may execute (unrolled loops and user-function calls multiply them). Past it,
# loops are no longer unrolled and user functions no longer entered, so pathological files stay fast.
STEP_BUDGET = 20_000
NUMERIC_OPS = {"log": "log", "log1p": "log1p", "log2": "log", "log10": "log", "sqrt": "sqrt",
               "rsqrt": "rsqrt", "exp": "exp", "pow": "pow", "power": "pow",
               "divide": "divide", "truediv": "divide", "true_divide": "divide", "div": "divide"}
NUMERIC_FAMILIES = ("tf.math.", "keras.ops.", "keras.backend.", "numpy.", "jnp.",
                    "tf.experimental.numpy.", "torch.")
MODEL_METHODS = frozenset(
    {"compile", "fit", "fit_generator", "train_on_batch", "evaluate", "evaluate_generator",
     "predict", "predict_generator", "predict_classes", "predict_proba", "predict_on_batch",
     "summary", "save", "save_weights", "load_weights", "test_on_batch", "to_json", "get_layer"}
)
_BINOP = {cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/",
          cst.FloorDivide: "//", cst.Power: "**", cst.Modulo: "%", cst.MatrixMultiply: "@"}
_AUGOP = {cst.AddAssign: "+", cst.SubtractAssign: "-", cst.MultiplyAssign: "*",
          cst.DivideAssign: "/", cst.FloorDivideAssign: "//", cst.PowerAssign: "**"}


@dataclass(eq=False)
class CompileRec:
    """What a ``compile`` call was given (frozen into ``CompileFacts`` by ``build.py``)."""

    loc: Loc
    loss: Any = MISSING
    loss_loc: Loc | None = None
    metrics: Any = MISSING
    metric_locs: tuple[Loc, ...] = ()
    optimizer: Any = MISSING
    optimizer_loc: Loc | None = None


@dataclass(eq=False)
class FitRec:
    loc: Loc
    method: str
    x: Any = MISSING
    y: Any = MISSING
    validation: Any = MISSING
    kwargs: dict[str, Any] = field(default_factory=dict)
    x_loc: Loc | None = None
    y_loc: Loc | None = None
    compile: Any = None  # the CompileRec in effect when fit was called


@dataclass(eq=False)
class NumericRec:
    op: str
    callee: str
    operand: cst.BaseExpression
    numerator: cst.BaseExpression | None
    loc: Loc
    bindings: dict[str, Any]
    function: FuncV | None


@dataclass(eq=False)
class MethodCallRec:
    """A method called on a model or other Keras object (``model.predict_classes(...)``)."""

    receiver: str  # "model"
    method: str
    loc: Loc
    kwargs: dict[str, Any]
    kwarg_locs: dict[str, Loc]


@dataclass
class _Frame:
    function: FuncV | None
    returned: Any = MISSING
    globals: set[str] = field(default_factory=set)  # names a ``global`` statement declared
    uncertain_base: int = 0  # the interpreter's uncertainty when the call started
    returned_in_branch: bool = False  # the first return sits in a branch that may not run


class Interpreter:
    """Evaluates one module; results are in the public attributes after ``run``."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.imports = ImportTable()
        self.models: list[ModelB] = []
        self.objects: list[Obj] = []  # every library object built, in order
        self.numeric: dict[int, NumericRec] = {}
        self.method_calls: list[MethodCallRec] = []
        self.functions: list[FuncV] = []
        self.classes: list[ClassV] = []
        self.loss_functions: set[int] = set()  # id(node) of user functions used as a loss
        self.metric_functions: set[int] = set()
        self.map_functions: set[int] = set()
        self.import_tops: dict[int, Any] = {}
        self._called: set[int] = set()
        self._frames: list[_Frame] = [_Frame(None)]
        # Statements from the top-level one down to the one executing now: locations carry it so
        # positions are computed for the innermost statement only (see positions.py).
        self._top: tuple[cst.CSTNode, ...] = ()
        self._uncertain = 0  # >0 inside loops with unknown bounds or branches on unknown tests
        self._depth = 0
        self._steps = 0

    # == driver ===================================================================================

    def run(self) -> None:
        env = Env()
        self._module_env = env
        for stmt in self.module.body:
            self._top = ()
            self._stmt(stmt, env)
        # A loss function given to a model's compile gets that model's output as ``y_pred``.
        for model in list(self.models):
            loss = model.compile.loss if model.compile is not None else None
            if isinstance(loss, FuncV) and id(loss.node) not in self._called:
                self._call_function(loss, (UNK, ModelOut(model)), {}, standalone=True)
        # Functions and methods never called in the file still hold custom losses and models.
        for fn in list(self.functions):
            if id(fn.node) not in self._called:
                self._call_function(fn, (), {}, standalone=True)

    def loc(self, node: cst.CSTNode) -> Loc:
        path = self._top
        return Loc(node, path[0] if path else None, path=path)

    # == statements ===============================================================================

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
                    env.bind(base_node.value, dataflow.item_assignment(base, value, node),
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
        if items is not None and len(items) <= MAX_UNROLL and self._steps < STEP_BUDGET:
            for item in items:
                self._assign(stmt.target, item, None, env)
                self._body(stmt.body, env)
        else:
            self._assign(stmt.target, UNK, None, env)
            self._uncertain += 1
            self._body(stmt.body, env)
            self._uncertain -= 1
        if stmt.orelse is not None:
            self._body(stmt.orelse.body, env)

    # == expressions ==============================================================================

    def ev(self, node: cst.BaseExpression | None, env: Env) -> Any:
        """The abstract value of an expression."""
        if node is None:
            return UNK
        # Exact-type fast path for the most common nodes: libcst node classes are ABCs, so
        # ``isinstance`` goes through ``__instancecheck__`` and dominated this function's cost.
        kind = type(node)
        if kind is cst.Name:
            return self._name(node, env)  # type: ignore[arg-type]
        if kind is cst.Call:
            return self._call(node, env)  # type: ignore[arg-type]
        if kind is cst.Attribute:
            return self._attribute(node, env)  # type: ignore[arg-type]
        if kind is cst.SimpleString:
            text = string_value(node)  # type: ignore[arg-type]
            return UNK if text is None else text
        if kind is cst.FormattedString:
            return UNK
        if isinstance(node, cst.Integer):
            number = int_value(node)
            return UNK if number is None else number
        if isinstance(node, cst.Float):
            real = float_value(node)
            return UNK if real is None else real
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = string_value(node)
            return UNK if text is None else text
        if isinstance(node, cst.Name):
            return self._name(node, env)
        if isinstance(node, cst.Call):
            return self._call(node, env)
        if isinstance(node, cst.Attribute):
            return self._attribute(node, env)
        if isinstance(node, cst.BinaryOperation):
            left = self.ev(node.left, env)
            right = self.ev(node.right, env)
            op = _BINOP.get(type(node.operator), "?")
            if op == "/":
                self._record_division(node.right, node.left, node, env)
            return self._binop(left, op, right)
        if isinstance(node, cst.UnaryOperation):
            value = self.ev(node.expression, env)
            if isinstance(node.operator, cst.Minus) and _is_number(value):
                return -value
            if isinstance(node.operator, cst.Plus) and _is_number(value):
                return value
            if isinstance(node.operator, cst.Not) and isinstance(value, (bool, int, float, str)):
                return not value
            return UNK
        if isinstance(node, (cst.Tuple, cst.List)):
            items = [self.ev(e.value, env) for e in node.elements]
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                # ``(None, *arr.shape[2:])``: a starred element splices in a
                # known literal sequence; anything else leaves the length unknown.
                spliced: list[Any] = []
                for element, item in zip(node.elements, items):
                    if not isinstance(element, cst.StarredElement):
                        spliced.append(item)
                    elif isinstance(item, Seq) and not item.appended:
                        spliced.extend(item.items)
                    else:
                        return UNK
                items = spliced
            return Seq(items, is_list=isinstance(node, cst.List))
        if isinstance(node, cst.Dict):
            out: dict[Any, Any] = {}
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    key = self.ev(element.key, env)
                    value = self.ev(element.value, env)
                    if isinstance(key, (str, int)):
                        out[key] = value
            return DictV(out)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, env)
        if isinstance(node, cst.Lambda):
            return FuncV(node, self._top, env)
        if isinstance(node, cst.Comparison):
            self.ev(node.left, env)
            return UNK
        if isinstance(node, cst.BooleanOperation):
            left = self.ev(node.left, env)
            right = self.ev(node.right, env)
            if isinstance(left, (bool, int, float, str)) and isinstance(right, (bool, int, float, str)):
                return (left and right) if isinstance(node.operator, cst.And) else (left or right)
            return UNK
        if isinstance(node, cst.IfExp):
            test = self.ev(node.test, env)
            if isinstance(test, (bool, int, float, str)) or test is None:
                return self.ev(node.body if test else node.orelse, env)
            body = self.ev(node.body, env)
            orelse = self.ev(node.orelse, env)
            # Unknown test: only a value both branches agree on is known. ("sigmoid" if
            # n_classes == 2 else "softmax" must not become "sigmoid" next to a loss chosen the
            # other way.)
            if isinstance(body, (int, float, str)) and not isinstance(body, bool) and (
                    type(body) is type(orelse) and body == orelse):
                return body
            return UNK
        if isinstance(node, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            inner = Env(env)
            self._comprehension_targets(node.for_in, env, inner)
            element = self.ev(node.elt, inner)
            if isinstance(element, DataV) and isinstance(node, (cst.ListComp, cst.GeneratorExp)):
                # [cv2.imread(p) for p in paths], [x / 255 for x in images]: a list of such data.
                return Seq([], is_list=True, appended=[element])
            return UNK
        if isinstance(node, (cst.Await, cst.NamedExpr)):
            return self.ev(node.value, env)
        return UNK

    def _comprehension_targets(self, for_in: cst.CompFor, outer: Env, inner: Env) -> None:
        """Bind a comprehension's loop variables: an element of data is data, anything else UNK."""
        iterable = self.ev(for_in.iter, outer)
        target = for_in.target
        if isinstance(target, cst.Name):
            inner.bind(target.value, dataflow.shape_kept(iterable, "element")
                       if isinstance(iterable, DataV) else UNK)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                if isinstance(element.value, cst.Name):
                    inner.bind(element.value.value, UNK)
        if for_in.inner_for_in is not None:
            self._comprehension_targets(for_in.inner_for_in, inner, inner)

    def _name(self, node: cst.Name, env: Env) -> Any:
        value = env.lookup(node.value)
        if value is not MISSING:
            return value
        if node.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.value]
        resolved = self.imports.resolve(node)
        if resolved is not None:
            return Ref(resolved)
        if node.value == "range":
            return Ref("builtins.range")
        return UNK

    def _attribute(self, node: cst.Attribute, env: Env) -> Any:
        root = node.value
        while isinstance(root, cst.Attribute):
            root = root.value
        if isinstance(root, cst.Name) and not env.binds_locally(root.value):
            resolved = self.imports.resolve(node)
            if resolved is not None:
                return Ref(resolved)
        base = self.ev(node.value, env)
        attr = node.attr.value
        if isinstance(base, Ref):
            return Ref(f"{base.name}.{attr}")
        if isinstance(base, (Instance, Obj)) and attr in base.attrs:
            return base.attrs[attr]
        if isinstance(base, ModelB):
            if attr == "output" or attr == "outputs":
                return TensorV(tuple(base.layers), base.complete)
            if attr == "input" or attr == "inputs":
                return TensorV(())
            return UNK
        if isinstance(base, Obj) and base.name.startswith("keras.applications."):
            if attr == "output":
                return TensorV((LayerUse(base, base.loc),))
            if attr == "input":
                return TensorV(())
        if isinstance(base, DataV):
            if attr in ("values", "T", "data", "iloc", "loc", "target"):
                return dataflow.shape_kept(base, attr)
            if attr == "shape" and base.columns is not None:
                return Seq([UNK, base.columns])  # y.reshape(-1, 1).shape[1] is 1
            return UNK
        return UNK

    def _subscript(self, node: cst.Subscript, env: Env) -> Any:
        base = self.ev(node.value, env)
        index: Any = UNK
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            index = self.ev(node.slice[0].slice.value, env)
        if isinstance(base, DataV):
            return dataflow.subscript(base, index, node)
        if isinstance(base, Seq) and isinstance(index, int) and -len(base.items) <= index < len(
            base.items
        ):
            return base.items[index]
        if isinstance(base, DictV) and isinstance(index, (str, int)):
            return base.items.get(index, UNK)
        if isinstance(base, TensorV):
            return _after_op(base)
        return UNK

    def _binop(self, left: Any, op: str, right: Any) -> Any:
        if _is_number(left) and _is_number(right):
            try:
                return {
                    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
                    "/": lambda a, b: a / b, "//": lambda a, b: a // b,
                    "**": lambda a, b: a**b if abs(b) < 64 else UNK, "%": lambda a, b: a % b,
                }.get(op, lambda a, b: UNK)(left, right)
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):
                return UNK
        if isinstance(left, str) and isinstance(right, str) and op == "+":
            return left + right
        data = dataflow.binop(left, op, right)
        if data is not None:
            return data
        if isinstance(left, TensorV):
            return _after_op(left)
        if isinstance(right, TensorV):
            return _after_op(right)
        return UNK

    # == calls ====================================================================================

    def _call(self, node: cst.Call, env: Env) -> Any:
        func = node.func
        if isinstance(func, cst.Attribute):
            root = func.value
            while isinstance(root, cst.Attribute):
                root = root.value
            library = isinstance(root, cst.Name) and not env.binds_locally(root.value) and (
                self.imports.resolve(func) is not None
            )
            if not library:
                receiver = self.ev(func.value, env)
                if not isinstance(receiver, Ref):
                    args, kwargs, arg_nodes, kw_nodes = self._args(node, env)
                    return self._method(receiver, func.attr.value, node, args, kwargs,
                                        arg_nodes, kw_nodes, env, func.value)
        callee = self.ev(func, env)
        args, kwargs, arg_nodes, kw_nodes = self._args(node, env)
        return self._apply(callee, node, args, kwargs, arg_nodes, kw_nodes, env)

    def _args(self, node: cst.Call, env: Env) -> tuple[tuple[Any, ...], dict[str, Any],
                                                        list[cst.Arg], dict[str, cst.Arg]]:
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        arg_nodes: list[cst.Arg] = []
        kw_nodes: dict[str, cst.Arg] = {}
        for arg in node.args:
            value = self.ev(arg.value, env)
            if arg.star:
                continue
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
                kw_nodes[arg.keyword.value] = arg
            else:
                args.append(value)
                arg_nodes.append(arg)
        return tuple(args), kwargs, arg_nodes, kw_nodes

    def _apply(self, callee: Any, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any],
               arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg], env: Env) -> Any:
        if isinstance(callee, Ref):
            return self._library_call(callee.name, node, args, kwargs, arg_nodes, kw_nodes, env)
        if isinstance(callee, FuncV):
            return self._call_function(callee, args, kwargs)
        if isinstance(callee, ClassV):
            return self._instantiate(callee, node, args, kwargs)
        if isinstance(callee, Obj):
            if callee.name.startswith("keras.losses."):
                # loss_fn = CategoricalCrossentropy(from_logits=True); loss_fn(y, model(x))
                self._record_logits_use(callee.name, callee.short, callee.kwargs.get(
                    "from_logits", callee.args[0] if callee.short in _LOGITS_FIRST and callee.args
                    else None), args, kwargs, node)
            return self._call_object(callee, args, kwargs)
        if isinstance(callee, ModelB):
            first = args[0] if args else kwargs.get("inputs", UNK)
            if isinstance(first, TensorV):
                return TensorV(first.chain + (LayerUse(callee, callee.loc),),
                               first.complete and callee.complete)
            if isinstance(first, DataV):
                # A preprocessing Sequential applied to data (``ds.map(lambda x, y: (aug(x), y))``).
                result = dataflow.model_on_data(callee, first)
                if isinstance(result, DataV):
                    return result
            if isinstance(first, Seq) and any(isinstance(i, TensorV) for i in first.items):
                return UNK
            # ``logits = model(x, training=True)`` in a training step: what the model outputs.
            return ModelOut(callee)
        if isinstance(callee, Instance):
            call = callee.cls.methods.get("call") or callee.cls.methods.get("__call__")
            first = args[0] if args else UNK
            if isinstance(first, TensorV):
                return TensorV(first.chain + (LayerUse(callee, callee.loc or self.loc(node)),),
                               first.complete)
            if call is not None:
                return self._call_function(call, args, kwargs, self_value=callee)
        return UNK

    def _call_object(self, obj: Obj, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Calling a built object: a layer applied to a tensor, or a loss/metric object."""
        first = args[0] if args else kwargs.get("inputs", UNK)
        if isinstance(first, TensorV):
            return TensorV(first.chain + (LayerUse(obj, obj.loc),), first.complete)
        if isinstance(first, Seq) and first.items and isinstance(first.items[0], TensorV):
            lead = first.items[0]
            return TensorV(lead.chain + (LayerUse(obj, obj.loc),), lead.complete)
        if isinstance(first, DataV):
            # A preprocessing layer applied to data (``ds.map(lambda x, y: (rescale(x), y))``).
            return dataflow.layer_on_data(obj, first)
        if obj.name.startswith("keras.layers."):
            return TensorV((LayerUse(obj, obj.loc),), False)
        return UNK

    def _library_call(self, name: str, node: cst.Call, args: tuple[Any, ...],
                      kwargs: dict[str, Any], arg_nodes: list[cst.Arg],
                      kw_nodes: dict[str, cst.Arg], env: Env) -> Any:
        loc = self.loc(node)
        short = name.rsplit(".", 1)[-1]
        self._record_numeric_call(name, short, node, arg_nodes, kw_nodes, env)
        if short in _LOGITS_LOSSES and any(isinstance(a, ModelOut) or isinstance(a, Obj)
                                           for a in (*args, *kwargs.values())):
            self._record_logits_use(name, short, kwargs.get(
                "from_logits", args[2] if len(args) > 2 else None), args, kwargs, node)
        if name == "builtins.range":
            if all(isinstance(a, int) and not isinstance(a, bool) for a in args) and 1 <= len(args) <= 3:
                try:
                    return range(*args)
                except (TypeError, ValueError):
                    return UNK
            return UNK
        if name in ("keras.Sequential", "keras.models.Sequential"):
            return self._sequential(node, args, kwargs)
        if name in ("keras.Model", "keras.models.Model"):
            # Also a CallFact, so keyword rules see Keras 1's Model(input=..., output=...) (KC901).
            self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
            return self._functional(node, args, kwargs)
        if name == "keras.Input" or short == "InputLayer" and name.startswith("keras."):
            # The Input heads its chain; build.py turns it into ModelFacts.input_layer.
            obj = self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
            return TensorV((LayerUse(obj, loc),))
        if name in ("keras.load_model", "keras.models.load_model", "keras.model_from_json",
                    "keras.models.model_from_json", "keras.clone_model", "keras.saving.load_model"):
            model = ModelB("unknown", loc, complete=False)
            self.models.append(model)
            return model
        data = dataflow.library_call(short, name, args, kwargs, loc)
        if data is not None:
            return data
        if name.startswith("keras.layers.") and short[:1].islower() and args and (
            isinstance(args[0], Seq) and args[0].items and isinstance(args[0].items[0], TensorV)
        ):
            # Functional merge helpers: concatenate([a, b]), add([a, b]).
            obj = self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
            lead = args[0].items[0]
            return TensorV(lead.chain + (LayerUse(obj, loc),), lead.complete)
        if args and isinstance(args[0], TensorV) and _is_activation_function(name):
            # tf.nn.softmax(x), keras.activations.sigmoid(x), keras.ops.softmax(x): an activation
            # layer as far as the model's output is concerned (build.py folds it like one).
            axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
            act = Obj("keras.layers.Activation", (short,), {} if axis is None else {"axis": axis},
                      loc, arg_locs=(loc,))
            return TensorV(args[0].chain + (LayerUse(act, loc),), args[0].complete)
        if any(isinstance(a, (DataV, TensorV)) for a in args) and not name.startswith("keras."):
            first = args[0]
            if isinstance(first, TensorV):
                return _after_op(first)
            return UNK
        return self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)

    def _make_obj(self, name: str, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any],
                  arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg]) -> Obj:
        obj = Obj(
            name, args, kwargs, self.loc(node),
            kwarg_locs={k: self.loc(a) for k, a in kw_nodes.items()},
            arg_locs=tuple(self.loc(a.value) for a in arg_nodes),
        )
        if any(a.star == "**" for a in node.args):
            # Keyword arguments we cannot see (``ImageDataGenerator(**aug)``); see dataflow.
            obj.attrs[dataflow.STAR_KWARGS] = True
        self.objects.append(obj)
        return obj

    def _sequential(self, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ModelB:
        model = ModelB("sequential", self.loc(node))
        layers = args[0] if args else kwargs.get("layers", None)
        if isinstance(layers, Seq):
            items = list(layers.items) + list(layers.appended)
            for item in items:
                item = _input_obj(item)  # keras.Input(...): build.py makes it the input_layer
                model.layers.append(LayerUse(item, _loc_of(item, model.loc)))
            if layers.appended or any(i is UNK for i in items):
                model.complete = False
        elif layers is not None:
            model.complete = False
        if self._uncertain:
            model.complete = False
        self.models.append(model)
        return model

    def _functional(self, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ModelB:
        outputs = kwargs.get("outputs", kwargs.get("output", args[1] if len(args) > 1 else UNK))
        model = ModelB("functional", self.loc(node))
        if isinstance(outputs, DictV):
            outputs = Seq(list(outputs.items.values()))
        if isinstance(outputs, Seq):
            model.outputs = len(outputs.items)
            if len(outputs.items) == 1:
                outputs = outputs.items[0]
        if isinstance(outputs, TensorV):
            model.layers = list(outputs.chain)
            model.complete = outputs.complete
        else:
            model.complete = False
        self.models.append(model)
        return model

    def _method(self, receiver: Any, method: str, node: cst.Call, args: tuple[Any, ...],
                kwargs: dict[str, Any], arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg],
                env: Env, receiver_node: cst.BaseExpression) -> Any:
        loc = self.loc(node)
        # A model built elsewhere: unknown, or returned by a function of another package
        # (``from mypackage.models import build; model = build()``).
        foreign = isinstance(receiver, Obj) and not receiver.name.startswith("keras.")
        if (receiver is UNK or foreign) and method == "compile" and (
                "loss" in kwargs or "optimizer" in kwargs):
            receiver = ModelB("unknown", loc, complete=False)
            self.models.append(receiver)
            if isinstance(receiver_node, cst.Name):
                env.bind(receiver_node.value, receiver, None)
        if isinstance(receiver, ModelB):
            return self._model_method(receiver, method, node, args, kwargs, arg_nodes, kw_nodes)
        if isinstance(receiver, (Instance, Obj)) and method in receiver.attrs:
            return self._apply(receiver.attrs[method], node, args, kwargs, arg_nodes, kw_nodes, env)
        if isinstance(receiver, Instance):
            fn = receiver.cls.methods.get(method)
            if fn is not None:
                return self._call_function(fn, args, kwargs, self_value=receiver)
            if receiver.cls.is_subclass_of("Model", "Sequential") and method in MODEL_METHODS:
                model = receiver.attrs.get("__model__")
                if isinstance(model, ModelB):
                    return self._model_method(model, method, node, args, kwargs, arg_nodes,
                                              kw_nodes)
            return UNK
        if isinstance(receiver, DataV):
            if method == "map" and args:
                return self._dataset_map(receiver, args[0])
            result = dataflow.method_call(receiver, method, args, kwargs, loc)
            if kwargs.get("inplace") is True:
                # df.dropna(inplace=True), df["age"].fillna(0, inplace=True): df itself changes.
                base_node = receiver_node
                while isinstance(base_node, cst.Subscript):
                    base_node = base_node.value
                if isinstance(base_node, cst.Name) and isinstance(result, DataV):
                    base = env.lookup(base_node.value)
                    if isinstance(base, DataV):
                        self._scope_of(base_node.value, env).bind(
                            base_node.value, base.derive(*result.transforms),
                            env.nodes.get(base_node.value))
                return None
            return result
        if isinstance(receiver, Seq) and receiver.is_list:
            if method in ("append", "extend") and args:
                receiver.appended.append(args[0])
            return None
        if isinstance(receiver, Obj):
            if method == "adapt":
                receiver.attrs["adapted"] = True
                return None
            result = dataflow.object_method(receiver, method, args, kwargs, loc)
            if result is not None:
                return result
            if method == "fit" and receiver.short != "ImageDataGenerator":
                return receiver
            return UNK
        return UNK

    def _model_method(self, model: ModelB, method: str, node: cst.Call, args: tuple[Any, ...],
                      kwargs: dict[str, Any], arg_nodes: list[cst.Arg],
                      kw_nodes: dict[str, cst.Arg]) -> Any:
        loc = self.loc(node)
        if method in MODEL_METHODS or method == "add":
            self.method_calls.append(MethodCallRec(
                "model", method, self.loc(node.func.attr if isinstance(node.func, cst.Attribute)
                                          else node),
                kwargs, {k: self.loc(a) for k, a in kw_nodes.items()}))
        if method == "add":
            layer = _input_obj(args[0] if args else kwargs.get("layer", UNK))
            model.layers.append(LayerUse(layer, _loc_of(layer, loc)))
            if self._uncertain or layer is UNK:
                model.complete = False
            return None
        if method == "compile":
            rec = CompileRec(loc)
            for key, position in (("optimizer", 0), ("loss", 1), ("metrics", 2)):
                if key in kwargs:
                    value, arg = kwargs[key], kw_nodes[key]
                elif position < len(args):
                    value, arg = args[position], arg_nodes[position]
                else:
                    continue
                if key == "optimizer":
                    rec.optimizer, rec.optimizer_loc = value, self.loc(arg.value)
                elif key == "loss":
                    rec.loss, rec.loss_loc = value, self.loc(arg.value)
                    self._mark_functions(value, self.loss_functions)
                    single = _single_entry(arg.value, value)
                    if single is not None and model.outputs == 1:
                        # loss={"out": "binary_crossentropy"} or [loss] on a one-output model:
                        # that entry is the model's loss.
                        rec.loss, rec.loss_loc = single[0], self.loc(single[1])
                else:
                    rec.metrics = value
                    elements = arg.value.elements if isinstance(arg.value, (cst.List, cst.Tuple)) else []
                    rec.metric_locs = tuple(self.loc(e.value) for e in elements) or (
                        self.loc(arg.value),)
                    self._mark_functions(value, self.metric_functions)
            model.compile = rec
            return None
        if method in ("fit", "fit_generator", "train_on_batch"):
            rec_fit = FitRec(loc, method, kwargs=dict(kwargs), compile=model.compile)
            for key, position in (("x", 0), ("y", 1)):
                alt = "generator" if key == "x" else None
                if key in kwargs:
                    value, arg = kwargs[key], kw_nodes[key]
                elif alt and alt in kwargs:
                    value, arg = kwargs[alt], kw_nodes[alt]
                elif position < len(args):
                    value, arg = args[position], arg_nodes[position]
                else:
                    continue
                if key == "x":
                    rec_fit.x, rec_fit.x_loc = value, self.loc(arg.value)
                else:
                    rec_fit.y, rec_fit.y_loc = value, self.loc(arg.value)
            if "validation_data" in kwargs:
                rec_fit.validation = kwargs["validation_data"]
            model.fits.append(rec_fit)  # type: ignore[arg-type]
            return UNK
        return UNK

    def _mark_functions(self, value: Any, into: set[int]) -> None:
        values = value.items if isinstance(value, Seq) else (
            list(value.items.values()) if isinstance(value, DictV) else [value])
        for item in values:
            if isinstance(item, FuncV):
                into.add(id(item.node))
            elif isinstance(item, Instance):
                call = item.cls.methods.get("call") or item.cls.methods.get("__call__")
                if call is not None:
                    into.add(id(call.node))

    def _dataset_map(self, data: DataV, fn: Any) -> Any:
        if isinstance(fn, FuncV):
            self.map_functions.add(id(fn.node))
            params = _param_names(fn.node)
            parts = data.parts or (data,)
            probe_args = tuple(
                (p.derive(role="features") if isinstance(p, DataV) else UNK) for p in parts
            )[: max(1, len(params))]
            result = self._call_function(fn, probe_args, {})
            mapped: dict[str, Any] = {}
            if isinstance(result, Seq) and result.items:
                # (features, labels) after the map: labels one-hot encoded there must show at fit.
                mapped["parts"] = tuple(
                    r.derive(role=parts[i].role)
                    if isinstance(r, DataV) and i < len(parts) and isinstance(parts[i], DataV)
                    else UNK
                    for i, r in enumerate(result.items)
                )
                result = result.items[0]
            if isinstance(result, DataV):
                return data.derive(*result.transforms, **mapped)
            return UNK
        if isinstance(fn, Obj) and fn.short in ("Rescaling", "Normalization"):
            return data.derive("scaled")
        return UNK

    # == user code ================================================================================

    def _call_function(self, fn: FuncV, args: tuple[Any, ...], kwargs: dict[str, Any],
                       self_value: Any = None, standalone: bool = False) -> Any:
        if self._depth >= MAX_CALL_DEPTH or (self._steps >= STEP_BUDGET and not standalone):
            return UNK
        self._called.add(id(fn.node))
        env = Env(fn.scope)
        params = fn.node.params
        positional = list(params.posonly_params) + list(params.params)
        values = list(args)
        if fn.owner is not None and isinstance(fn.node, cst.FunctionDef) and positional:
            first = positional.pop(0)
            owner_value = self_value if self_value is not None else (
                Instance(fn.owner) if standalone else UNK)
            env.bind(first.name.value, owner_value)
        for i, param in enumerate(positional):
            if i < len(values):
                value = values[i]
            elif param.name.value in kwargs:
                value = kwargs[param.name.value]
            elif param.default is not None:
                value = self.ev(param.default, fn.scope)
            else:
                value = UNK
            env.bind(param.name.value, value)
        for param in params.kwonly_params:
            if param.name.value in kwargs:
                value = kwargs[param.name.value]
            elif param.default is not None:
                value = self.ev(param.default, fn.scope)
            else:
                value = UNK
            env.bind(param.name.value, value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env.bind(star.name.value, UNK)
        saved_top = self._top
        self._top = fn.top
        self._depth += 1
        frame = _Frame(fn, uncertain_base=self._uncertain)
        self._frames.append(frame)
        try:
            if isinstance(fn.node, cst.Lambda):
                frame.returned = self.ev(fn.node.body, env)
            else:
                self._body(fn.node.body, env)
        finally:
            self._frames.pop()
            self._depth -= 1
            self._top = saved_top
        return None if frame.returned is MISSING else frame.returned

    def _instantiate(self, cls: ClassV, node: cst.Call, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> Any:
        instance = Instance(cls, loc=self.loc(node))
        init = cls.methods.get("__init__")
        if init is not None:
            self._call_function(init, args, kwargs, self_value=instance)
        if cls.is_subclass_of("Model") and "call" in cls.methods:
            model = ModelB("subclassed", self.loc(node))
            # ``training`` is True under fit and False at inference: not known (not its default).
            result = self._call_function(cls.methods["call"], (TensorV(()),), {"training": UNK},
                                         self_value=instance)
            if isinstance(result, TensorV):
                model.layers = list(result.chain)
                model.complete = result.complete
            else:
                model.complete = False
            model.name = cls.node.name.value
            self.models.append(model)
            instance.attrs["__model__"] = model
            return model
        if cls.is_subclass_of("Sequential", "Model"):
            model = ModelB("subclassed", self.loc(node), complete=False)
            self.models.append(model)
            return model
        return instance

    # == numeric sites ============================================================================

    def _record_numeric_call(self, name: str, short: str, node: cst.Call,
                             arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg],
                             env: Env) -> None:
        op = NUMERIC_OPS.get(short)
        if op is None or not name.startswith(NUMERIC_FAMILIES) or id(node) in self.numeric:
            return
        if op == "divide":
            if len(arg_nodes) < 2:
                return
            operand, numerator = arg_nodes[1].value, arg_nodes[0].value
        else:
            first = arg_nodes[0].value if arg_nodes else next(
                (a.value for k, a in kw_nodes.items() if k in ("x", "a")), None)
            if first is None:
                return
            operand, numerator = first, None
        self.numeric[id(node)] = NumericRec(op, name, operand, numerator, self.loc(node),
                                            env.node_snapshot(), self._frames[-1].function)

    def _record_logits_use(self, name: str, short: str, from_logits: Any, args: tuple[Any, ...],
                           kwargs: dict[str, Any], node: cst.Call) -> None:
        """A loss that applies softmax/sigmoid to its input, given a model's output (KC103)."""
        applies = _LOGITS_LOSSES.get(short)
        family = name.rsplit(".", 1)[0]
        if applies is None or family not in _LOGITS_FAMILIES:
            return
        if family in ("tf.nn", "tf.compat.v1.nn", "tf.compat.v1.losses"):
            if not (short.endswith("_with_logits") or family == "tf.compat.v1.losses"):
                return
        elif from_logits is not True:
            return
        logits = next((kwargs[k] for k in ("logits", "y_pred", "output") if k in kwargs),
                      args[1] if len(args) > 1 else None)
        model = _model_output(logits)
        if model is not None and all(loc.node is not node for _, _, loc in model.logits_uses):
            model.logits_uses.append((name, applies, self.loc(node)))

    def _record_division(self, denominator: cst.BaseExpression, numerator: Any, node: cst.CSTNode,
                         env: Env) -> None:
        if id(node) in self.numeric or self._frames[-1].function is None:
            return
        self.numeric[id(node)] = NumericRec("divide", "/", denominator, numerator, self.loc(node),
                                            env.node_snapshot(), self._frames[-1].function)


# Losses that apply an activation to their predictions (always for tf.nn's *_with_logits and
# TF1's tf.compat.v1.losses, with from_logits=True for Keras'), by short name: what they apply.
_LOGITS_LOSSES = {
    "softmax_cross_entropy_with_logits": "softmax",
    "softmax_cross_entropy_with_logits_v2": "softmax",
    "sparse_softmax_cross_entropy_with_logits": "softmax",
    "sigmoid_cross_entropy_with_logits": "sigmoid",
    "weighted_cross_entropy_with_logits": "sigmoid",
    "softmax_cross_entropy": "softmax",
    "sparse_softmax_cross_entropy": "softmax",
    "sigmoid_cross_entropy": "sigmoid",
    "categorical_crossentropy": "softmax",
    "sparse_categorical_crossentropy": "softmax",
    "categorical_focal_crossentropy": "softmax",
    "binary_crossentropy": "sigmoid",
    "binary_focal_crossentropy": "sigmoid",
    "CategoricalCrossentropy": "softmax",
    "SparseCategoricalCrossentropy": "softmax",
    "CategoricalFocalCrossentropy": "softmax",
    "BinaryCrossentropy": "sigmoid",
    "BinaryFocalCrossentropy": "sigmoid",
}
_LOGITS_FAMILIES = frozenset(
    {"tf.nn", "tf.compat.v1.nn", "tf.compat.v1.losses", "keras.losses", "keras.backend",
     "keras.ops"}
)
# Loss classes whose first positional parameter is ``from_logits``.
_LOGITS_FIRST = frozenset(
    {"BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy"}
)
# Calls that keep a tensor's values (and its last axis): a model output through them is still it.
_VALUE_KEEPING_OPS = frozenset(
    {"reshape", "cast", "squeeze", "expand_dims", "identity", "convert_to_tensor", "ensure_shape"}
)


def _model_output(value: Any, depth: int = 0) -> ModelB | None:
    """The model whose output ``value`` is, unchanged but for a reshape or cast."""
    if isinstance(value, ModelOut):
        return value.model
    if isinstance(value, Obj) and value.short in _VALUE_KEEPING_OPS and depth < 4 and (
            value.name.startswith(("tf.", "keras."))):
        return _model_output(value.arg("tensor", 0, value.arg("x")), depth + 1)
    return None


def _single_entry(node: cst.BaseExpression, value: Any) -> tuple[Any, cst.CSTNode] | None:
    """The value and node of the only entry of a one-entry dict/list/tuple literal (``loss=``)."""
    if isinstance(node, cst.Dict) and len(node.elements) == 1 and isinstance(
            node.elements[0], cst.DictElement) and isinstance(value, DictV) and len(
            value.items) == 1:
        return next(iter(value.items.values())), node.elements[0].value
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1 and not isinstance(
            node.elements[0], cst.StarredElement) and isinstance(value, Seq) and len(
            value.items) == 1:
        return value.items[0], node.elements[0].value
    return None


def _loc_of(value: Any, default: Loc) -> Loc:
    if isinstance(value, (Obj, ModelB)):
        return value.loc
    if isinstance(value, Instance) and value.loc is not None:
        return value.loc
    return default


def _input_obj(value: Any) -> Any:
    """The ``keras.Input``/``InputLayer`` object of a bare input tensor, else ``value``."""
    if isinstance(value, TensorV) and len(value.chain) == 1:
        obj = value.chain[0].obj
        if isinstance(obj, Obj) and (obj.name == "keras.Input" or obj.short == "InputLayer"):
            return obj
    return value


_ACTIVATION_FUNCTIONS = frozenset(
    {"softmax", "log_softmax", "sigmoid", "hard_sigmoid", "tanh", "relu", "relu6", "elu", "selu",
     "softplus", "softsign", "gelu", "silu", "swish", "leaky_relu", "exponential"}
)
_ACTIVATION_MODULES = ("tf.math.", "tf.nn.", "keras.activations.", "keras.backend.", "keras.ops.")


def _is_activation_function(name: str) -> bool:
    """``tf.nn.softmax``, ``keras.activations.sigmoid``, ``K.softmax``... (canonical names)."""
    module, _, short = name.rpartition(".")
    return short in _ACTIVATION_FUNCTIONS and (module + ".").startswith(_ACTIVATION_MODULES) and (
        module.count(".") <= 1)


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


def _is_constant(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _after_op(tensor: TensorV) -> TensorV:
    """``tensor`` after an operation that is not a layer (``x + y``, ``tf.matmul``, ``x[:, 0]``)."""
    if tensor.chain and isinstance(tensor.chain[-1].obj, OpMark):
        return tensor
    return TensorV(tensor.chain + (LayerUse(OpMark(), tensor.chain[-1].loc if tensor.chain
                                            else Loc()),), tensor.complete)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_main_guard(test: cst.BaseExpression) -> bool:
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "__name__"
    )


def _param_names(node: cst.FunctionDef | cst.Lambda) -> list[str]:
    return [p.name.value for p in list(node.params.posonly_params) + list(node.params.params)]
