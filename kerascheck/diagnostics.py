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
    """Replace ``[start, end)`` (1-based line/column, end exclusive) with ``content``."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Fix:
    """A set of edits; ``safe`` fixes never change what the program means beyond the finding."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True


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
                message=fix["message"], safe=bool(fix["safe"]),
                edits=tuple(Edit(e["line"], e["column"], e["end_line"], e["end_column"], e["content"])
                            for e in fix["edits"])),
            extra=tuple(sorted((k, v) for k, v in data.items() if k not in known)),
        )


def _fix_json(fix: Fix) -> dict[str, Any]:
    return {
        "message": fix.message,
        "safe": fix.safe,
        "edits": [
            {
                "line": e.line,
                "column": e.column,
                "end_line": e.end_line,
                "end_column": e.end_column,
                "content": e.content,
            }
            for e in fix.edits
        ],
    }
