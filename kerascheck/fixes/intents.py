"""What a rule says about fixing a finding: edit *intents* on the nodes it reported, not text.

Rules never import libcst (a fully cached run must not load it), and they do not know positions:
those cost a partial re-parse and are computed by the engine only for reported nodes. So a rule
attaches a ``FixIntent`` to its ``Finding``: a message, an applicability (safe or unsafe) and a few
operations named by what they mean ("rename this keyword argument", "delete this argument"). The
engine hands them to ``kerascheck.fixes.build`` (imported only when a finding carries a fix), which
checks the syntax really has the expected shape and turns each operation into positioned text
edits. When the shape is not the expected one (the loss is a variable, not a string; the call has a
``**kwargs``), the builder offers no fix rather than guess: a fix must be unambiguous at the site.

Every operation holds a ``Loc`` (the opaque handle rules already report with) and plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from kerascheck.facts.model import Loc


@dataclass(frozen=True)
class RenameKeyword:
    """Rename the keyword of the argument at ``arg`` (``lr=0.1`` -> ``learning_rate=0.1``).

    ``values`` optionally maps old string values to new ones (``dim_ordering="th"`` ->
    ``data_format="channels_first"``); a string value not in it is left as written.
    Refused when the call already has a keyword ``new``.
    """

    arg: Loc
    new: str
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DeleteArgument:
    """Delete the argument at ``arg`` from its call, with its comma, keeping the rest of the layout.

    With ``keyword``, ``arg`` is the call and the argument is its ``keyword=`` (refused if absent).
    """

    arg: Loc
    keyword: str | None = None


@dataclass(frozen=True)
class SetKeyword:
    """Give the call at ``call`` the keyword argument ``keyword=value``.

    An existing ``keyword=...`` gets its value replaced; otherwise the argument is appended (after the
    last argument, in the call's own style: same line, or a new line with the same indentation for
    one-argument-per-line calls). Refused when the call has ``*args``/``**kwargs`` that could
    already hold the keyword, or when ``positional`` is given and that many positional arguments are
    written (the keyword would then duplicate one).
    """

    call: Loc
    keyword: str
    value: str
    positional: int | None = None


@dataclass(frozen=True)
class ReplaceString:
    """Replace the string literal at ``node`` (or the string value of the argument at ``node``) by
    ``value``, keeping its quotes and prefix. Refused for f-strings, concatenations, non-strings.

    When ``node`` is a call, the string is its argument ``keyword=``, else its positional argument
    number ``position`` (0-based).
    """

    node: Loc
    value: str
    keyword: str | None = None
    position: int | None = None


@dataclass(frozen=True)
class ReplaceWithKerasCall:
    """Replace the expression at ``node`` by ``{keras}.<suffix>``, spelled with a name the file binds
    to the Keras package (``keras``, ``tf.keras``, ``K`` is not one); refused when the file binds none.

    Used to turn ``loss="binary_crossentropy"`` into ``keras.losses.BinaryCrossentropy(from_logits=True)``.
    ``expect`` is the string literal the node must hold (a guard against moved code).
    """

    node: Loc
    suffix: str
    expect: str | None = None


@dataclass(frozen=True)
class ReplaceImportModule:
    """In the ``from OLD import a, b`` statement holding ``node``, write ``NEW`` for the module.

    Refused for ``import OLD`` (names bound differently), star imports and relative imports, and when
    one of the imported names is not in ``names`` (``None``: any public name).
    """

    node: Loc
    old: str
    new: str
    names: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()


@dataclass(frozen=True)
class JoinPositional:
    """Join ``count`` positional arguments of the call at ``call``, from number ``start`` (0-based),
    into one tuple argument: Keras 1's ``Convolution2D(32, 3, 3)`` -> ``Convolution2D(32, (3, 3))``.
    Refused unless those arguments are positional, and ``count`` of them are written."""

    call: Loc
    start: int
    count: int


@dataclass(frozen=True)
class MoveKeywordIntoCall:
    """Move the keyword argument at ``arg`` into the call that is its call's first argument:
    ``model.add(Dense(8), activation="relu")`` -> ``model.add(Dense(8, activation="relu"))``.
    Refused when that first argument is not a call, or the inner call has the keyword or ``**kwargs``."""

    arg: Loc


@dataclass(frozen=True)
class RenameMethod:
    """Rename the called method whose name is the node at ``node`` (``model.fit_generator(...)``).

    Refused unless the name is ``old`` and the call has at most ``max_positional`` positional
    arguments (the old and new methods may order them differently), and when it uses a keyword of
    ``forbidden`` (one the new method does not take).
    """

    node: Loc
    old: str
    new: str
    max_positional: int | None = None
    forbidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClampLogArgument:
    """Wrap the first argument of the log call at ``call`` in a guard.

    ``template`` spells the guarded argument: ``{x}`` is the argument as written, ``{mod}`` the
    module part of the call's own callee (``tf.math`` for ``tf.math.log``, ``K`` for ``K.log``),
    ``{root}`` its first name (``tf``), so the fix uses the library under the name the file already
    binds; ``{eps}`` is a module constant ``EPSILON = 1e-7`` that the builder inserts after the
    imports (or reuses when the module already assigns ``EPSILON`` a number), so the fixed code names
    its epsilon instead of repeating a magic number. A callee imported bare (``from numpy import
    log``) has no module part: no fix. With ``root_module``, the first name must be bound to that
    module by a top-level import (``{root}.clip_by_value`` needs ``tf`` to be TensorFlow).
    """

    call: Loc
    template: str
    root_module: str | None = None  # the module the callee's first name must be imported as


@dataclass(frozen=True)
class OneOf:
    """The first of ``options`` that applies at the site (a loss may be a string or an object)."""

    options: tuple["FixOp", ...]


FixOp = Union[RenameKeyword, DeleteArgument, SetKeyword, ReplaceString, ReplaceWithKerasCall,
              ReplaceImportModule, JoinPositional, MoveKeywordIntoCall, RenameMethod, ClampLogArgument,
              OneOf]


@dataclass(frozen=True)
class FixIntent:
    """A fix as a rule describes it: ``message`` (what it does, shown by ``--diff``, the editor's
    code action and JSON), ``safe`` (False: it changes behaviour, applied only with
    ``--unsafe-fixes``) and the operations, applied together or not at all."""

    message: str
    safe: bool
    ops: tuple[FixOp, ...]


def intent(message: str, *ops: FixOp, safe: bool) -> FixIntent:
    """Shorthand for rules: ``intent("Rename lr to learning_rate", RenameKeyword(loc, ...), safe=True)``."""
    return FixIntent(message, safe, tuple(ops))
