"""The user-code part of the interpreter: calling the file's own functions and classes.

Separate because entering user code is what makes the interpreter see through idioms (a model built
in ``build_model()``, a custom layer's ``call``, a subclassed model's forward pass) and also what
could make it slow: each call gets a fresh frame and environment, and depth and the step budget
bound how far it goes.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts.env import MISSING, Env
from kerascheck.facts.interp_state import MAX_CALL_DEPTH, STEP_BUDGET, Frame, InterpreterState
from kerascheck.facts.syntax import children
from kerascheck.facts.values import UNK, ClassV, FuncV, Instance, ModelB, TensorV


class UserCodeMixin(InterpreterState):
    """User functions (with arguments bound to parameters) and class instantiation."""

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
            value = values[i] if i < len(values) else self._keyword_argument(param, kwargs, fn)
            env.bind(param.name.value, value)
        for param in params.kwonly_params:
            env.bind(param.name.value, self._keyword_argument(param, kwargs, fn))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env.bind(star.name.value, UNK)
        saved_top = self._top
        self._top = fn.top
        self._depth += 1
        frame = Frame(fn, uncertain_base=self._uncertain)
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

    def _keyword_argument(self, param: cst.Param, kwargs: dict[str, Any], fn: FuncV) -> Any:
        """A parameter no positional argument fills: given by keyword, else its default (evaluated
        where the function was defined), else unknown."""
        if param.name.value in kwargs:
            return kwargs[param.name.value]
        if param.default is not None:
            return self.ev(param.default, fn.scope)
        return UNK

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
            model.ignores_optimizer = ignores_compile_optimizer(cls)
            self.models.append(model)
            instance.attrs["__model__"] = model
            return model
        if cls.is_subclass_of("Sequential", "Model"):
            model = ModelB("subclassed", self.loc(node), complete=False)
            model.ignores_optimizer = ignores_compile_optimizer(cls)
            self.models.append(model)
            return model
        return instance


def ignores_compile_optimizer(cls: ClassV) -> bool:
    """Whether the class overrides ``train_step`` and that step never reads ``self.optimizer``
    (it steps optimizers of its own, ``self.d_optimizer.apply_gradients(...)``): whatever
    ``compile(optimizer=...)`` receives then never updates a weight."""
    step = cls.methods.get("train_step")
    if step is None:
        return False
    stack: list[cst.CSTNode] = [step.node.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Attribute) and node.attr.value == "optimizer" and isinstance(
                node.value, cst.Name) and node.value.value == "self":
            return False
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(
                node.func.value, cst.Name) and node.func.value.value == "super":
            return False  # super().train_step(data) runs Keras' own step with self.optimizer
        stack.extend(children(node))
    return True
