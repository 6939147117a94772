"""The one output type every reporter consumes.

A ``Diagnostic`` is positioned (1-based lines and columns, end exclusive) and self-contained, so text,
JSON, SARIF or editor reporters never need the parser, the facts or the rules that produced it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How sure we are that the pattern breaks training (error) or may (warning, info)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` with ``content``: 1-based lines, 1-based columns counted in code
    points of the line, end exclusive (an insertion has start == end).

    In a notebook, ``cell`` is the 1-based code cell and the lines are inside that cell, like the
    diagnostic's own position; ``None`` for a plain file.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    content: str
    cell: int | None = None


@dataclass(frozen=True)
class Fix:
    """Edits that resolve one finding, applied together or not at all.

    ``safe`` fixes keep what the program means (a renamed keyword, a moved import): ``--fix`` applies
    them. Unsafe fixes change behaviour on purpose (a different activation, loss or metric) and need
    ``--unsafe-fixes``: review them.
    """

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    @property
    def applicability(self) -> str:
        """``"safe"`` or ``"unsafe"`` (the JSON ``applicability`` value)."""
        return "safe" if self.safe else "unsafe"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, ordered by path and then position so every run prints the same sequence."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    fix: Fix | None = field(default=None, compare=False)
    # Documented extra JSON keys some findings carry, as sorted (key, value) pairs so the diagnostic
    # stays hashable: runtime findings name the ``layer`` they are about.
    extra: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        """The public JSON object: the documented keys (plus the documented ``extra`` keys, if any)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": None if self.fix is None else _fix_json(self.fix),
            **dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Diagnostic":
        """Rebuild a diagnostic from ``to_json`` output (the runtime child sends them this way)."""
        known = {"code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column",
                 "fix"}
        fix = data.get("fix")
        return cls(
            path=data["path"], line=int(data["line"]), column=int(data["column"]),
            end_line=int(data["end_line"]), end_column=int(data["end_column"]), code=data["code"],
            name=data["name"], severity=Severity(data["severity"]), message=data["message"],
            fix=None if fix is None else Fix(
                message=fix["message"],
                safe=fix["applicability"] == "safe" if "applicability" in fix else bool(fix["safe"]),
                edits=tuple(Edit(e["line"], e["column"], e["end_line"], e["end_column"], e["content"],
                                 e.get("cell")) for e in fix["edits"])),
            extra=tuple(sorted((k, v) for k, v in data.items() if k not in known)),
        )


def _fix_json(fix: Fix) -> dict[str, Any]:
    """``applicability`` ("safe"/"unsafe"), ``message``, ``edits``; ``safe`` is kept for older readers."""
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "safe": fix.safe,
        "edits": [_edit_json(e) for e in fix.edits],
    }


def _edit_json(edit: Edit) -> dict[str, Any]:
    out: dict[str, Any] = {
        "line": edit.line,
        "column": edit.column,
        "end_line": edit.end_line,
        "end_column": edit.end_column,
        "content": edit.content,
    }
    if edit.cell is not None:
        out["cell"] = edit.cell
    return out
