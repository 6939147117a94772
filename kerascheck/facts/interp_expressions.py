"""The expression part of the interpreter: the abstract value of each expression.

Separate because it is the hot path (every name, attribute and operator goes through ``ev``) and its
only concern is values: constants fold, names resolve through the environment or the imports,
arithmetic on data and tensors is delegated to ``dataflow``; calls are handed to the call part.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts import dataflow
from kerascheck.facts.env import MISSING, Env
from kerascheck.facts.interp_state import InterpreterState
from kerascheck.facts.model import Loc
from kerascheck.facts.syntax import float_value, int_value, string_value
from kerascheck.facts.values import (
    UNK, DataV, DictV, FuncV, Instance, LayerUse, ModelB, Obj, OpMark, Ref, Seq, TensorV,
)

# pandas DataFrame attributes that are not columns (``df.price`` is the column "price").
_FRAME_ATTRIBUTES = frozenset(
    {"shape", "columns", "index", "dtypes", "size", "ndim", "empty", "axes", "at", "iat", "style",
     "plot", "str", "dt", "cat", "attrs", "flags", "sparse", "array"}
)

# Elements a comprehension or a repeated list (``[64] * 10``) is unrolled into, at most.
MAX_COMPREHENSION = 64

_BINOP = {cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/",
          cst.FloorDivide: "//", cst.Power: "**", cst.Modulo: "%", cst.MatrixMultiply: "@"}


class ExpressionsMixin(InterpreterState):
    """``ev`` and the per-node evaluators it dispatches to."""

    def ev(self, node: cst.BaseExpression | None, env: Env) -> Any:
        """The abstract value of an expression."""
        if node is None:
            return UNK
        # Exact-type tests throughout: libcst node classes are ABCs, so ``isinstance`` goes through
        # ``__instancecheck__`` and dominated this function's cost; none of these concrete classes
        # has subclasses, so ``type(node) is X`` is the same test. The most common nodes come first.
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
        if kind is cst.Integer:
            number = int_value(node)
            return UNK if number is None else number
        if kind is cst.Float:
            real = float_value(node)
            return UNK if real is None else real
        if kind in (cst.SimpleString, cst.ConcatenatedString):
            text = string_value(node)
            return UNK if text is None else text
        if kind is cst.Name:
            return self._name(node, env)
        if kind is cst.Call:
            return self._call(node, env)
        if kind is cst.Attribute:
            return self._attribute(node, env)
        if kind is cst.BinaryOperation:
            left = self.ev(node.left, env)
            right = self.ev(node.right, env)
            op = _BINOP.get(type(node.operator), "?")
            if op == "/":
                self._record_division(node.right, node.left, node, env)
            return self._binop(left, op, right)
        if kind is cst.UnaryOperation:
            value = self.ev(node.expression, env)
            if isinstance(node.operator, cst.Minus) and _is_number(value):
                return -value
            if isinstance(node.operator, cst.Plus) and _is_number(value):
                return value
            if isinstance(node.operator, cst.Not) and isinstance(value, (bool, int, float, str)):
                return not value
            return UNK
        if kind in (cst.Tuple, cst.List):
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
        if kind is cst.Dict:
            out: dict[Any, Any] = {}
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    key = self.ev(element.key, env)
                    value = self.ev(element.value, env)
                    if isinstance(key, (str, int)):
                        out[key] = value
            return DictV(out)
        if kind is cst.Subscript:
            return self._subscript(node, env)
        if kind is cst.Lambda:
            return FuncV(node, self._top, env)
        if kind is cst.Comparison:
            self.ev(node.left, env)
            return UNK
        if kind is cst.BooleanOperation:
            left = self.ev(node.left, env)
            right = self.ev(node.right, env)
            if isinstance(left, (bool, int, float, str)) and isinstance(right, (bool, int, float, str)):
                return (left and right) if isinstance(node.operator, cst.And) else (left or right)
            return UNK
        if kind is cst.IfExp:
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
        if kind in (cst.ListComp, cst.GeneratorExp, cst.SetComp):
            unrolled = self._unrolled_comprehension(node, env)
            if unrolled is not None:
                return unrolled
            inner = Env(env)
            self._comprehension_targets(node.for_in, env, inner)
            element = self.ev(node.elt, inner)
            if isinstance(element, DataV) and isinstance(node, (cst.ListComp, cst.GeneratorExp)):
                # [cv2.imread(p) for p in paths], [x / 255 for x in images]: a list of such data.
                return Seq([], is_list=True, appended=[element])
            return UNK
        if kind is cst.Await:
            return self.ev(node.expression, env)
        if kind is cst.NamedExpr:  # (rate := 0.5) binds rate like an assignment
            value = self.ev(node.value, env)
            if isinstance(node.target, cst.Name):
                env.bind(node.target.value, value, node.value)
            return value
        return UNK

    def _unrolled_comprehension(self, node: cst.ListComp | cst.GeneratorExp | cst.SetComp,
                                env: Env) -> Seq | None:
        """``[Dense(64, activation="sigmoid") for _ in range(10)]``: one element per iteration when
        the comprehension has a single ``for`` over a known, short sequence and no condition, so
        layer lists built by code are seen like the same layers written out. None otherwise."""
        for_in = node.for_in
        if for_in.inner_for_in is not None or for_in.ifs or for_in.asynchronous is not None:
            return None
        iterable = self.ev(for_in.iter, env)
        if isinstance(iterable, range):
            items: list[Any] = list(iterable) if len(iterable) <= MAX_COMPREHENSION else []
        elif isinstance(iterable, Seq) and not iterable.appended:
            items = list(iterable.items)
        else:
            return None
        if not items or len(items) > MAX_COMPREHENSION:
            return None
        out: list[Any] = []
        for item in items:
            inner = Env(env)
            self._assign(for_in.target, item, None, inner)
            value = self.ev(node.elt, inner)
            if isinstance(value, DataV):
                return None  # a list of arrays: the data path below handles it
            out.append(value)
        return Seq(out, is_list=isinstance(node, cst.ListComp))

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
        if node.value in ("range", "object", "str"):
            return Ref("builtins." + node.value)  # range() is run; object/str name dtypes
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
            if attr in ("data", "target") and base.role == "dataset" and base.parts and len(
                    base.parts) == 2 and base.origin == "synthetic":
                return base.parts[0 if attr == "data" else 1]  # sklearn's load_iris().target
            if attr in ("values", "T", "data", "iloc", "loc", "target"):
                return dataflow.shape_kept(base, attr)
            if attr == "shape" and base.columns is not None:
                return Seq([UNK, base.columns])  # y.reshape(-1, 1).shape[1] is 1
            if base.role == "frame" and attr not in _FRAME_ATTRIBUTES and not attr.startswith("_"):
                return base.derive(role="column", column_name=attr)  # df.SalePrice
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
            return after_op(base)
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
        if isinstance(left, Seq) and isinstance(right, Seq) and op == "+":
            # [Input(...)] + hidden + [Dense(1)]: the layers in order (unknown once appended).
            if left.appended:
                return Seq(list(left.items), left.is_list,
                           appended=left.appended + right.items + right.appended)
            return Seq(left.items + right.items, left.is_list, appended=list(right.appended))
        if op == "*" and (isinstance(left, Seq) or isinstance(right, Seq)):
            seq, count = (left, right) if isinstance(left, Seq) else (right, left)
            if isinstance(count, int) and not isinstance(count, bool) and not seq.appended and (
                    0 <= count * len(seq.items) <= MAX_COMPREHENSION):
                return Seq(seq.items * count, seq.is_list)  # [64] * 10
            return UNK
        data = dataflow.binop(left, op, right)
        if data is not None:
            return data
        if isinstance(left, TensorV):
            return after_op(left)
        if isinstance(right, TensorV):
            return after_op(right)
        return UNK


def after_op(tensor: TensorV) -> TensorV:
    """``tensor`` after an operation that is not a layer (``x + y``, ``tf.matmul``, ``x[:, 0]``)."""
    if tensor.chain and isinstance(tensor.chain[-1].obj, OpMark):
        return tensor
    return TensorV(tensor.chain + (LayerUse(OpMark(), tensor.chain[-1].loc if tensor.chain
                                            else Loc()),), tensor.complete)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
