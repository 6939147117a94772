"""What the interpreter records, and the state its parts share.

The interpreter (``interpreter.py``) is one class assembled from one mixin per concern: statements,
expressions, calls, methods, user code and numeric sites, each in its own ``interp_*.py`` module.
This module holds what they all need and nothing that runs: the records the interpreter fills in
(``build.py`` and ``extract.py`` freeze them into facts), the call frame, the limits that keep
pathological files fast, and ``InterpreterState``, the base class that declares the shared attributes
and the methods each part offers the others (so every part type-checks on its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from kerascheck.facts.env import MISSING, Env
from kerascheck.facts.model import Loc
from kerascheck.facts.names import ImportTable
from kerascheck.facts.values import ClassV, FuncV, ModelB, Obj

MAX_CALL_DEPTH = 5
MAX_UNROLL = 16
# Statements one file may execute (unrolled loops and user-function calls multiply them). Past it,
# loops are no longer unrolled and user functions no longer entered, so pathological files stay fast.
STEP_BUDGET = 20_000


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
    # The first argument is one sample picked by an integer (``x_test[0]``): the array's name and
    # where the subscript is.
    sample_of: str | None = None
    sample_loc: Loc | None = None


@dataclass
class Frame:
    function: FuncV | None
    returned: Any = MISSING
    globals: set[str] = field(default_factory=set)  # names a ``global`` statement declared
    uncertain_base: int = 0  # the interpreter's uncertainty when the call started
    returned_in_branch: bool = False  # the first return sits in a branch that may not run


class InterpreterState:
    """The attributes every part of the interpreter reads or writes (set by ``Interpreter``)."""

    module: cst.Module
    imports: ImportTable
    models: list[ModelB]
    objects: list[Obj]  # every library object built, in order
    numeric: dict[int, NumericRec]
    method_calls: list[MethodCallRec]
    functions: list[FuncV]
    classes: list[ClassV]
    loss_functions: set[int]  # id(node) of user functions used as a loss
    metric_functions: set[int]
    map_functions: set[int]
    import_tops: dict[int, Any]
    _called: set[int]
    _frames: list[Frame]
    _top: tuple[cst.CSTNode, ...]  # statements from the top-level one down to the current one
    _uncertain: int  # >0 inside loops with unknown bounds or branches on unknown tests
    _repeating: int  # how many of those are loops whose body surely runs as written (``for``)
    _depth: int
    _steps: int
    _module_env: Env

    if TYPE_CHECKING:
        # The methods the parts call on one another, by the module that defines them.

        # interpreter.py
        def loc(self, node: cst.CSTNode) -> Loc: ...

        # interp_statements.py
        def _body(self, body: Any, env: Env) -> None: ...
        def _stmt(self, stmt: cst.CSTNode, env: Env) -> None: ...
        def _scope_of(self, name: str, env: Env) -> Env: ...

        # interp_expressions.py
        def ev(self, node: cst.BaseExpression | None, env: Env) -> Any: ...
        def _binop(self, left: Any, op: str, right: Any) -> Any: ...

        # interp_calls.py
        def _call(self, node: cst.Call, env: Env) -> Any: ...
        def _apply(self, callee: Any, node: cst.Call, args: tuple[Any, ...],
                   kwargs: dict[str, Any], arg_nodes: list[cst.Arg],
                   kw_nodes: dict[str, cst.Arg], env: Env) -> Any: ...

        # interp_methods.py
        def _method(self, receiver: Any, method: str, node: cst.Call, args: tuple[Any, ...],
                    kwargs: dict[str, Any], arg_nodes: list[cst.Arg],
                    kw_nodes: dict[str, cst.Arg], env: Env,
                    receiver_node: cst.BaseExpression) -> Any: ...

        # interp_user_code.py
        def _call_function(self, fn: FuncV, args: tuple[Any, ...], kwargs: dict[str, Any],
                           self_value: Any = None, standalone: bool = False) -> Any: ...
        def _instantiate(self, cls: ClassV, node: cst.Call, args: tuple[Any, ...],
                         kwargs: dict[str, Any]) -> Any: ...

        # interp_numeric.py
        def _record_numeric_call(self, name: str, short: str, node: cst.Call,
                                 arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg],
                                 env: Env) -> None: ...
        def _record_logits_use(self, name: str, short: str, from_logits: Any,
                               args: tuple[Any, ...], kwargs: dict[str, Any],
                               node: cst.Call) -> None: ...
        def _record_division(self, denominator: cst.BaseExpression, numerator: Any,
                             node: cst.CSTNode, env: Env) -> None: ...
