"""Suppression directives that silence nothing (rule KC001), judged after every other rule ran.

A directive is judged against the findings *before* suppression and per-file ignores, so one that
does its job is never reported. Only the rules that ran can have been silenced, so a code naming a
rule that is off is reported as such ("not enabled") rather than as a wrong line; codes of runtime
checks are never judged here because the static pass cannot see their findings.
"""

from __future__ import annotations

from typing import Collection, Iterable

from kerascheck.config import PARSE_ERROR_CODE
from kerascheck.diagnostics import Diagnostic, Edit, Fix, Severity
from kerascheck.suppressions import UNUSED_SUPPRESSION_CODE, Directive, parse_suppressions

CODE = UNUSED_SUPPRESSION_CODE
NAME = "unused-suppression"


def unused_suppressions(
    diagnostics: Iterable[Diagnostic], source: str, path: str, *,
    enabled: Collection[str], known: Collection[str], runtime: Collection[str],
) -> list[Diagnostic]:
    """KC001 findings for the directives of ``source`` that cover none of ``diagnostics``."""
    suppressions = parse_suppressions(source)
    if not suppressions.directives:
        return []
    found = [d for d in diagnostics if d.code not in (PARSE_ERROR_CODE, CODE)]
    lines = source.splitlines(keepends=True)
    result = []
    for directive in suppressions.directives:
        reasons = _unused(directive, found, enabled, known, runtime)
        if not reasons:
            continue
        whole = directive.codes is None or len(reasons) == len(directive.codes)
        result.append(Diagnostic(
            path=path, line=directive.comment_line, column=directive.column,
            end_line=directive.comment_line, end_column=directive.end_column, code=CODE, name=NAME,
            severity=Severity.WARNING, message=_message(directive, reasons),
            fix=_removal(directive, lines) if whole and directive.whole_comment else None,
        ))
    return result


def _unused(directive: Directive, found: list[Diagnostic], enabled: Collection[str],
            known: Collection[str], runtime: Collection[str]) -> list[str]:
    """One reason per unused code (or one for a blanket directive); empty when the directive is used."""
    def covered(diagnostic: Diagnostic) -> bool:
        return directive.line is None or directive.line in (diagnostic.line, diagnostic.end_line)

    if directive.codes is None:
        if directive.kind != "ignore-file" and directive.line is None:
            return ["there is no code below it"]
        if any(covered(d) for d in found):
            return []
        return ["no kerascheck finding in this file" if directive.kind == "ignore-file"
                else "no kerascheck finding on " + _where(directive)]
    reasons = []
    for prefix in directive.codes:
        matching = [code for code in known if code.startswith(prefix)]
        if matching and all(code in runtime for code in matching):
            continue  # only ``kerascheck run`` can tell
        if any(covered(d) and d.code.startswith(prefix) for d in found):
            continue
        if not matching:
            reasons.append(f"{prefix} is not a kerascheck code")
        elif not any(code in enabled for code in matching):
            reasons.append(f"{prefix} is not enabled")
        elif directive.kind == "ignore-file":
            reasons.append(f"no {prefix} finding in this file")
        elif directive.line is None:
            reasons.append("there is no code below it")
        else:
            reasons.append(f"no {prefix} finding on {_where(directive)}")
    return reasons


def _where(directive: Directive) -> str:
    if directive.line == directive.comment_line:
        return "this line"
    return f"line {directive.line}, the line it applies to"


def _message(directive: Directive, reasons: list[str]) -> str:
    text = f"unused suppression: {'; '.join(reasons)}"
    if directive.kind == "noqa" and directive.alone:
        text += (" (a `# noqa` applies to its own line only: put it at the end of the reported line, or write "
                 "`# kerascheck: ignore[...]` on the line above)")
    elif directive.kind != "ignore-file" and not any("not" in r for r in reasons):
        text += "; move it to the reported line or delete it"
    else:
        text += "; delete it"
    return text


def _removal(directive: Directive, lines: list[str]) -> Fix:
    """Delete the comment (and the blank it leaves): the whole line when it stood alone."""
    index = directive.comment_line - 1
    text = lines[index] if index < len(lines) else ""
    body = text.rstrip("\r\n")
    if directive.alone and body != text:
        edit = Edit(directive.comment_line, 1, directive.comment_line + 1, 1, "")
    elif directive.alone:  # the last line, with no line break to take along
        edit = Edit(directive.comment_line, 1, directive.comment_line, len(body) + 1, "")
    else:
        start = directive.column - 1
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        edit = Edit(directive.comment_line, start + 1, directive.comment_line, len(body) + 1, "")
    return Fix(message="remove the unused suppression comment", edits=(edit,), safe=True)
