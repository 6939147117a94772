"""Runtime locations: a recorded ``Site`` as the ``Loc`` rules report on, and that ``Loc``'s span.

Kept free of libcst (unlike ``kerascheck.positions``, which resolves static syntax nodes): the runtime
rules are imported by every run for rule selection, and a fully cached static run must not pay for the
parser's import.
"""

from __future__ import annotations

from kerascheck.facts.model import Loc
from kerascheck.runtime.measurements import Site

__all__ = ["site_loc", "runtime_span"]

Span = tuple[int, int, int, int]  # line, column, end_line, end_column: 1-based, end exclusive


def site_loc(*sites: Site | None) -> Loc:
    """The first recorded site as a runtime ``Loc`` (an empty ``Loc`` when none was recorded)."""
    for site in sites:
        if site is not None:
            return Loc(file=site.file, line=site.line, column=site.column, end_line=site.end_line,
                       end_column=site.end_column, cell=site.cell)
    return Loc()


def runtime_span(loc: Loc) -> Span:
    """The span of a location recorded at run time (file/line, and the call's columns when known)."""
    line = loc.line or 1
    column = loc.column or 1
    end_line = loc.end_line or line
    end_column = loc.end_column if loc.end_column is not None else column
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return (line, column, end_line, end_column)
