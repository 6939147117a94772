"""kerascheck ``Diagnostic`` / ``Edit`` → LSP ``Diagnostic`` / ``TextEdit``.

One place decides what an editor shows, so every client sees the same thing: ``code`` is the KC code,
``codeDescription.href`` the rule's page (the same URL the JSON and SARIF reports give, from
``report.rule_info.rule_url``), ``source`` is ``kerascheck``, and the severity maps error → Error,
warning → Warning, info → Information. Positions go through ``positions.to_client`` in the negotiated
encoding, against the exact text that was linted.
"""

from __future__ import annotations

from typing import Sequence

from lsprotocol import types

from kerascheck.diagnostics import Diagnostic, Edit, Severity
from kerascheck.report.rule_info import rule_url
from kerascheck.server.positions import to_client

__all__ = ["SOURCE", "lsp_diagnostic", "lsp_range", "text_edit"]

SOURCE = "kerascheck"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def lsp_range(lines: Sequence[str], line: int, column: int, end_line: int, end_column: int,
              encoding: str) -> types.Range:
    """A 1-based, code-point, end-exclusive span as an LSP range (an empty span stays empty)."""
    start = to_client(lines, line, column, encoding)
    end = to_client(lines, end_line, end_column, encoding)
    if end < start:
        end = start
    return types.Range(start=types.Position(*start), end=types.Position(*end))


def lsp_diagnostic(diagnostic: Diagnostic, lines: Sequence[str], encoding: str,
                   message_prefix: str = "") -> types.Diagnostic:
    """The LSP diagnostic for one finding (``lines``: the text its positions refer to)."""
    return types.Diagnostic(
        range=lsp_range(lines, diagnostic.line, diagnostic.column, diagnostic.end_line,
                        diagnostic.end_column, encoding),
        message=message_prefix + diagnostic.message,
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Warning),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule_url(diagnostic.code, diagnostic.name)),
        source=SOURCE,
    )


def text_edit(edit: Edit, lines: Sequence[str], encoding: str) -> types.TextEdit:
    """One fix edit as an LSP text edit."""
    return types.TextEdit(
        range=lsp_range(lines, edit.line, edit.column, edit.end_line, edit.end_column, encoding),
        new_text=edit.content,
    )
