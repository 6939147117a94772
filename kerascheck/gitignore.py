"""Files the user's git already ignores: ``.gitignore`` files, ``.git/info/exclude``, global excludes.

Like ruff's ``respect-gitignore`` (on by default): a generated ``build/`` folder, a checked-out
dataset or a virtualenv the user has ignored is not linted. Matching is git's own wildmatch semantics
through ``pathspec`` (negations, anchoring, ``**``, trailing ``/`` for directories); precedence is
git's: a deeper ``.gitignore`` overrides a shallower one, and both override ``info/exclude`` and the
global excludes file. Only inside a git work tree (a folder with ``.git`` above the path), as git does.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a .gitignore is read: naming one file needs none
    import pathspec


__all__ = ["IgnoreStack", "repository_root", "root_stack"]


@dataclass(frozen=True)
class _Layer:
    base: str  # absolute directory the patterns are relative to
    spec: pathspec.GitIgnoreSpec


class IgnoreStack:
    """The ignore files in force for one directory, shallowest first; immutable (``push`` copies)."""

    def __init__(self, layers: tuple[_Layer, ...] = ()) -> None:
        self._layers = layers

    def push(self, directory: str) -> "IgnoreStack":
        """The stack for ``directory``: this one plus its own ``.gitignore``, if it has one."""
        spec = _read_spec(os.path.join(directory, ".gitignore"))
        if spec is None:
            return self
        return IgnoreStack(self._layers + (_Layer(os.path.abspath(directory), spec),))

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path``: the deepest ignore file with a matching pattern decides."""
        absolute = os.path.abspath(path)
        for layer in reversed(self._layers):
            relative = os.path.relpath(absolute, layer.base)
            if relative.startswith(".."):
                continue
            relative = Path(relative).as_posix() + ("/" if is_dir else "")
            result = layer.spec.check_file(relative)
            if result.include is not None:
                return bool(result.include)
        return False

    def __bool__(self) -> bool:
        return bool(self._layers)


def repository_root(path: str) -> str | None:
    """The work tree root holding ``path`` (the nearest folder above it with a ``.git``), if any."""
    current = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def root_stack(directory: str) -> IgnoreStack:
    """The ignore files that apply to ``directory`` from above it: global, info/exclude, then every
    ``.gitignore`` from the repository root down to ``directory`` itself (included)."""
    root = repository_root(directory)
    if root is None:
        return IgnoreStack()
    layers: list[_Layer] = []
    for extra in (_global_excludes_file(), os.path.join(root, ".git", "info", "exclude")):
        spec = _read_spec(extra) if extra else None
        if spec is not None:
            layers.append(_Layer(root, spec))
    stack = IgnoreStack(tuple(layers))
    target = os.path.abspath(directory)
    chain = [target]
    while chain[-1] != root:
        parent = os.path.dirname(chain[-1])
        if parent == chain[-1]:
            break
        chain.append(parent)
    for folder in reversed(chain):
        stack = stack.push(folder)
    return stack


def _read_spec(path: str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines) if any(l.strip() and not l.startswith("#") for l in lines) else None


@functools.lru_cache(maxsize=1)
def _global_excludes_file() -> str | None:
    """git's ``core.excludesFile``, else its default ``$XDG_CONFIG_HOME/git/ignore``."""
    try:
        configured = subprocess.run(["git", "config", "--get", "core.excludesFile"], capture_output=True,
                                    text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        configured = ""
    if configured:
        return os.path.expanduser(configured)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "git", "ignore")
