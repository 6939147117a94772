"""Creation sites: which line of the user's code made each live layer and model.

Runtime findings must point at a user line, and a model built in a helper function, a loop or from a
config dict has no line the static pass could name. So while the script runs, ``Layer.__init__`` is
wrapped (Models are Layers) and every new layer records ``capture.SITE_ATTR``: the innermost frame of
the current stack that lies in a *user file*, skipping the ``__init__`` chain of the object itself (a
custom layer's ``super().__init__`` is not where it was created; ``MyBlock(32)`` is).

A user file is one under ``user_roots`` (the script's folder and the working directory) and not under
the interpreter's prefix, site-packages, Keras, TensorFlow or kerascheck itself (the most specific
folder decides, so a project in ``/usr/src/app`` under a ``/usr`` prefix is still the user's). The walk uses
``sys._getframe``/``f_back`` and caches the verdict per file name, so a layer costs a few attribute
reads, not an ``inspect.stack()`` (which reads every source file).

Columns come from ``co_positions()`` (Python 3.11+) of the executing instruction, so the site spans the
call expression (``layers.Dense(64)``) rather than the whole statement.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import sysconfig
from types import FrameType
from typing import Any, Callable, Iterable

from kerascheck.runtime.capture import SITE_ATTR
from kerascheck.runtime.measurements import Site
from kerascheck.runtime.patching import like_constructor

__all__ = ["UserFiles", "site_of_frame", "user_frame", "user_site", "notebook_cell_filename", "split_cell_filename",
           "wrap_layer_init", "set_site"]

# Notebook cells are compiled with this file name so a frame maps back to (notebook, cell).
_CELL_FILENAME = re.compile(r"^(?P<path>.*\.ipynb):cell (?P<cell>\d+)$")


def notebook_cell_filename(path: str, cell: int) -> str:
    """The file name a notebook's code cell is compiled with (``/abs/nb.ipynb:cell 3``)."""
    return f"{path}:cell {cell}"


def split_cell_filename(filename: str) -> tuple[str, int | None]:
    """(notebook path, cell number) for a cell's file name; (absolute path, None) for a real file."""
    cell = _CELL_FILENAME.match(filename)
    if cell is not None:
        return cell.group("path"), int(cell.group("cell"))
    return os.path.abspath(filename), None


class UserFiles:
    """Decides, once per file name, whether a frame's code is the user's.

    ``roots`` are absolute directories; the excluded trees are the interpreter's installation
    (``sys.prefix``, ``sys.base_prefix``, the stdlib and site-packages paths) and the packages that call
    back into user code (kerascheck, keras, tensorflow), wherever they are installed: an editable
    kerascheck checkout under the user's root must still not count as user code.
    """

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = tuple(_directory(r) for r in roots if r)
        excluded = {sys.prefix, sys.base_prefix, sys.exec_prefix}
        for key in ("stdlib", "platstdlib", "purelib", "platlib"):
            path = sysconfig.get_paths().get(key)
            if path:
                excluded.add(path)
        import kerascheck

        excluded.add(os.path.dirname(os.path.abspath(kerascheck.__file__)))
        for name in ("keras", "tensorflow", "tf_keras"):
            module = sys.modules.get(name)
            if module is not None and getattr(module, "__file__", None):
                excluded.add(os.path.dirname(os.path.abspath(module.__file__)))
        self.excluded = tuple(_directory(p) for p in excluded)
        self._cache: dict[str, bool] = {}

    def __call__(self, filename: str) -> bool:
        verdict = self._cache.get(filename)
        if verdict is None:
            verdict = self._cache[filename] = self._decide(filename)
        return verdict

    def _decide(self, filename: str) -> bool:
        cell = _CELL_FILENAME.match(filename)
        if cell is not None:
            filename = cell.group("path")
        elif filename.startswith("<"):  # <string>, <frozen importlib._bootstrap>, <stdin>
            return False
        path = _directory(os.path.abspath(filename))
        if "site-packages" in path.split(os.sep) or "dist-packages" in path.split(os.sep):
            return False
        # The most specific folder decides: a project in /usr/src/app is the user's even when
        # sys.prefix is /usr, while an editable kerascheck inside the project's root is not.
        root = max((len(r) for r in self.roots if path.startswith(r)), default=-1)
        excluded = max((len(e) for e in self.excluded if path.startswith(e)), default=-1)
        return root > excluded


def _directory(path: str) -> str:
    """``path`` with one trailing separator, so ``/a/b`` is not taken to contain ``/a/bc``."""
    return os.path.join(os.path.realpath(path), "")


def site_of_frame(frame: FrameType) -> Site:
    """The site of the instruction ``frame`` is executing: its call expression's span when known."""
    code = frame.f_code
    line, end_line, column, end_column = frame.f_lineno, None, None, None
    if frame.f_lasti >= 0:
        positions = next(itertools.islice(code.co_positions(), frame.f_lasti // 2, None),
                         (None, None, None, None))
        start, end, col, end_col = positions
        if start is not None:
            line, end_line = start, end
            if col is not None and end_col is not None:
                column, end_column = col + 1, end_col + 1  # co_positions columns are 0-based
    path, cell = split_cell_filename(code.co_filename)
    return Site(file=path, line=line, column=column, end_line=end_line, end_column=end_column, cell=cell)


def user_frame(frame: FrameType | None, is_user: UserFiles, skip_self: Any = None) -> FrameType | None:
    """The innermost frame from ``frame`` outward that runs user code.

    Frames of ``__init__``/``__new__`` whose ``self``/``cls`` argument is ``skip_self`` are passed over:
    they are the object's own constructor chain (a custom layer calling ``super().__init__``).
    """
    while frame is not None:
        if is_user(frame.f_code.co_filename):
            if skip_self is None or not _constructs(frame, skip_self):
                return frame
        frame = frame.f_back
    return None


def _constructs(frame: FrameType, obj: Any) -> bool:
    code = frame.f_code
    if code.co_name not in ("__init__", "__new__", "__post_init__") or code.co_argcount == 0:
        return False
    first = code.co_varnames[0]
    value = frame.f_locals.get(first)
    return value is obj or value is type(obj)


def user_site(is_user: UserFiles, skip_self: Any = None, depth: int = 1) -> Site | None:
    """The user's line on the current stack (the caller's caller and outward), or ``None``."""
    frame = user_frame(sys._getframe(depth), is_user, skip_self)
    return None if frame is None else site_of_frame(frame)


def set_site(obj: Any, attr: str, site: Site | None) -> None:
    """Store a site on a live object without Keras's attribute tracking seeing it.

    ``Layer.__setattr__`` wraps dicts and lists and tracks layers and variables assigned to it; a site
    is plain metadata, so it goes straight into the instance dictionary.
    """
    try:
        object.__setattr__(obj, attr, site)
    except (AttributeError, TypeError):  # a __slots__ class or a C type: no site, never a crash
        pass


def wrap_layer_init(original: Callable[..., None], is_user: UserFiles) -> Callable[..., None]:
    """``Layer.__init__`` that records the creation site after the original initialises the layer.

    The site is taken once per object (the first, outermost-recorded call), so a layer whose
    ``__init__`` chain reaches the base twice keeps the user's line.
    """

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if getattr(self, SITE_ATTR, None) is None:
            set_site(self, SITE_ATTR, user_site(is_user, skip_self=self, depth=2))

    return like_constructor(__init__, original)
