"""Which files to lint: walk directories for Python sources, skipping what is never user code.

Always skipped while walking (not configurable, because they never hold code the user wrote): hidden
directories (``.git``, ``.tox``, ``.venv``...), ``__pycache__``, ``site-packages``, ``node_modules``,
``build``, ``dist``, ``venv``, and any directory containing ``pyvenv.cfg`` (a virtualenv, whatever its
name). A directory merely named ``env`` is *not* skipped unless it is a virtualenv: reinforcement-learning
projects keep their environment code in ``env/``.

``exclude``/``extend-exclude`` patterns mean exactly what they mean in a ``.gitignore`` (matched by
``pathspec``, an implementation of git's wildmatch), relative to the project root: a pattern with a
``/`` is anchored (``tests/corpus``, ``legacy/*.py``, ``**/generated``), one without matches any path
component (``legacy``, ``*_pb2.py``), ``!`` negates, a trailing ``/`` matches directories only, and a
pattern that matches a directory excludes everything below it. With ``respect-gitignore`` (the
default) what git ignores is skipped too (``gitignore.py``).

Paths named explicitly on the command line are linted even when excluded (what users expect from
``kerascheck legacy/old.py``), unless ``force_exclude`` is set, which pre-commit needs because it passes
every staged file by name.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

if TYPE_CHECKING:
    import pathspec

from kerascheck.config import KerascheckError
from kerascheck.gitignore import IgnoreStack, repository_root, root_stack

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")
SKIPPED_DIRECTORIES = frozenset({"__pycache__", "site-packages", "node_modules", "build", "dist", "venv"})


class PathNotFoundError(KerascheckError):
    """A path given on the command line does not exist."""


@functools.lru_cache(maxsize=512)
def _spec(patterns: tuple[str, ...]) -> "pathspec.GitIgnoreSpec":
    """Patterns as git reads a ``.gitignore`` (``pathspec``'s implementation of git's wildmatch)."""
    import pathspec

    cleaned = [p.strip()[2:] if p.strip().startswith("./") else p.strip() for p in patterns]
    return pathspec.GitIgnoreSpec.from_lines(cleaned)


def _matches_exact(relative: str, pattern: str, is_dir: bool = False) -> bool:
    """Whether ``pattern`` matches this exact relative path (a directory is matched with a trailing /)."""
    return _spec((pattern,)).match_file(relative + ("/" if is_dir else ""))


def path_matches(relative: str, pattern: str) -> bool:
    """Whether ``pattern`` matches ``relative`` (POSIX, relative to the project root) or a directory above it.

    Used both for ``exclude`` and ``per-file-ignores``, so both read the same way: as ``.gitignore`` does.
    """
    parts = [part for part in relative.replace(os.sep, "/").split("/") if part not in ("", ".")]
    spec = _spec((pattern,))
    return any(spec.match_file("/".join(parts[: i + 1]) + ("/" if i + 1 < len(parts) else ""))
               for i in range(len(parts)))


def relative_to_root(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """POSIX path of ``path`` relative to ``root``, or its absolute POSIX path when outside it."""
    absolute = os.path.abspath(path)
    root_abs = os.path.abspath(root)
    try:
        common = os.path.commonpath([absolute, root_abs])
    except ValueError:  # different drives on Windows
        common = ""
    if common == root_abs:
        return Path(os.path.relpath(absolute, root_abs)).as_posix()
    return Path(absolute).as_posix()


def is_excluded(path: str | os.PathLike[str], root: str | os.PathLike[str], patterns: Sequence[str]) -> bool:
    """Whether ``path`` (or a directory above it, up to ``root``) matches an exclude pattern."""
    if not patterns:
        return False
    relative = relative_to_root(path, root)
    return any(path_matches(relative, pattern) for pattern in patterns)


def _git_ignores_file(path: str) -> bool:
    """Whether git ignores this file (or a folder above it), for files named explicitly with --force-exclude."""
    folder = os.path.dirname(os.path.abspath(path))
    root = repository_root(folder)
    if root is None:
        return False
    stack = root_stack(root)
    parts = Path(os.path.relpath(folder, root)).parts if folder != root else ()
    current = root
    for part in parts:
        current = os.path.join(current, part)
        if stack.ignored(current, is_dir=True):
            return True
        stack = stack.push(current)
    return stack.ignored(path, is_dir=False)


def _is_skipped_directory(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    if name.startswith(".") or name in SKIPPED_DIRECTORIES:
        return True
    return os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))


# Called with (path, reason) for a path that cannot be linted: missing, or a directory that cannot be listed.
ProblemHandler = Callable[[str, str], None]


def _walk(directory: str, root: str, patterns: Sequence[str], on_problem: ProblemHandler | None = None,
          ignores: "IgnoreStack | None" = None) -> Iterable[str]:
    """Source files under ``directory`` in sorted order, pruning skipped and excluded directories.

    Directory symlinks are not followed (no loops, nothing outside the tree walked twice); file symlinks
    are linted like the files they point to.
    """
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        if on_problem is not None:
            on_problem(directory, f"cannot list directory: {exc.strerror or exc}")
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            if _is_skipped_directory(entry):
                continue
            if patterns and _spec(tuple(patterns)).match_file(relative_to_root(entry.path, root) + "/"):
                continue
            if ignores and ignores.ignored(entry.path, is_dir=True):
                continue
            yield from _walk(entry.path, root, patterns, on_problem,
                             ignores.push(entry.path) if ignores is not None else None)
        elif is_file and entry.name.endswith(SOURCE_SUFFIXES):
            if patterns and _spec(tuple(patterns)).match_file(relative_to_root(entry.path, root)):
                continue
            if ignores and ignores.ignored(entry.path, is_dir=False):
                continue
            yield entry.path


def discover(
    paths: Sequence[str],
    *,
    project_root: str,
    exclude: Sequence[str] = (),
    force_exclude: bool = False,
    on_problem: ProblemHandler | None = None,
    respect_gitignore: bool = False,
) -> list[str]:
    """The files to lint, in a deterministic order: given order for explicit files, sorted within directories.

    A path that does not exist, or a directory that cannot be listed, goes to ``on_problem`` and the
    other paths are still discovered; without a handler a missing path raises ``PathNotFoundError``.
    Each file appears once even if named twice or reached through two arguments.
    """
    missing = [p for p in paths if not os.path.lexists(p) or (os.path.islink(p) and not os.path.exists(p))]
    if missing and on_problem is None:
        raise PathNotFoundError(f"path does not exist: {missing[0]}")
    for path in missing:
        assert on_problem is not None
        on_problem(path, "no such file or directory" if not os.path.lexists(path) else "broken symbolic link")
    found: list[str] = []
    seen: set[str] = set()
    real_dirs: dict[str, str] = {}

    def real(path: str) -> str:
        """``os.path.realpath(path)``, resolving each folder once rather than once per file in it."""
        folder, name = os.path.split(path)
        if not name or name in (".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        resolved = real_dirs.get(folder)
        if resolved is None:
            resolved = real_dirs[folder] = os.path.realpath(folder)
        return os.path.join(resolved, name)

    def add(path: str) -> None:
        key = real(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for given in paths:
        if given in missing:
            continue
        if force_exclude and (is_excluded(given, project_root, exclude) or (
                respect_gitignore and not os.path.isdir(given) and _git_ignores_file(given))):
            continue
        if os.path.isdir(given):
            # Walk relative to the argument so printed paths look like what the user typed.
            ignores = root_stack(given) if respect_gitignore else None
            for path in _walk(given, project_root, exclude, on_problem, ignores):
                add(path)
        else:
            add(given)
    return found
