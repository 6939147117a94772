"""A small abstract interpreter over the statements of one file.

Why an interpreter rather than pattern matching: real Keras code keeps constants in variables
(``LR = 0.1`` ... ``Adam(LR)``), builds models in functions that are called later, folds activations into
separate layers and rescales data three statements before ``fit``. Evaluating statements in order over a
few abstract values (``values.py``) lets every rule ask "what reaches ``compile``/``fit``" and get the
same answer whatever the idiom. It descends only through statements, bodies, calls, assignments and
imports -- never a generic visitor -- which keeps it near the parse floor (DESIGN.md).

It is deliberately conservative: loops with unknown bounds and branches on unknown conditions mark
models incomplete, unknown calls give ``UNK``, and rules stay quiet on incomplete facts.

The interpreter is one class assembled from one mixin per concern, each in its own module:
``interp_statements`` (blocks, assignments, branches, loops), ``interp_expressions`` (``ev``),
``interp_calls`` (calls and the objects and models they build), ``interp_methods`` (methods on
models, data and objects; ``compile``/``fit`` records), ``interp_user_code`` (the file's functions and
classes) and ``interp_numeric`` (numeric sites for KC5xx). ``interp_state`` holds the records and
the shared state. This module is the driver, and the import path of all of them.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts.env import Env
from kerascheck.facts.interp_calls import CallsMixin
from kerascheck.facts.interp_expressions import ExpressionsMixin
from kerascheck.facts.interp_methods import MODEL_METHODS, MethodsMixin
from kerascheck.facts.interp_numeric import NUMERIC_FAMILIES, NUMERIC_OPS, NumericSitesMixin
from kerascheck.facts.interp_state import (
    MAX_CALL_DEPTH, MAX_UNROLL, STEP_BUDGET, CompileRec, FitRec, Frame, MethodCallRec, NumericRec,
)
from kerascheck.facts.interp_statements import StatementsMixin
from kerascheck.facts.interp_user_code import UserCodeMixin
from kerascheck.facts.model import Loc
from kerascheck.facts.names import ImportTable
from kerascheck.facts.values import UNK, ClassV, FuncV, ModelB, ModelOut, Obj

__all__ = [
    "Interpreter", "CompileRec", "FitRec", "NumericRec", "MethodCallRec", "MAX_CALL_DEPTH",
    "MAX_UNROLL", "STEP_BUDGET", "NUMERIC_OPS", "NUMERIC_FAMILIES", "MODEL_METHODS",
]


class Interpreter(StatementsMixin, ExpressionsMixin, CallsMixin, MethodsMixin, UserCodeMixin,
                  NumericSitesMixin):
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
        self._frames: list[Frame] = [Frame(None)]
        # Statements from the top-level one down to the one executing now: locations carry it so
        # positions are computed for the innermost statement only (see positions.py).
        self._top: tuple[cst.CSTNode, ...] = ()
        self._uncertain = 0  # >0 inside loops with unknown bounds or branches on unknown tests
        self._repeating = 0  # of those, ``for`` loops with an unknown trip count
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
