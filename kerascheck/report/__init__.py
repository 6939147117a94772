"""Reporters: turn diagnostics into output. They depend only on ``Diagnostic``, never on the parser.

Convention shared by all formats: findings (or the JSON document) go to stdout and nothing else does, so
editors, problem matchers and ``jq`` can read stdout as-is; the human summary goes to stderr.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence, TextIO

from kerascheck.diagnostics import Diagnostic

FORMATS = ("text", "json")


def statistics(diagnostics: Sequence[Diagnostic]) -> list[tuple[str, str, int]]:
    """(code, name, count) per code, most frequent first, then by code."""
    counts = Counter((d.code, d.name) for d in diagnostics)
    return sorted(((code, name, n) for (code, name), n in counts.items()), key=lambda row: (-row[2], row[0]))


def write_report(
    diagnostics: Sequence[Diagnostic],
    files_checked: int,
    *,
    output_format: str,
    stdout: TextIO,
    stderr: TextIO,
    quiet: bool = False,
    show_statistics: bool = False,
) -> None:
    """Write findings (or per-code counts with ``show_statistics``) in ``output_format``.

    The text summary goes to stderr unless ``quiet``; JSON mode writes no summary at all, so a tool
    that merges the two streams still reads valid JSON.
    """
    if output_format == "json":
        from kerascheck.report import json_report

        if show_statistics:
            json_report.write_statistics(statistics(diagnostics), stdout)
        else:
            json_report.write_json(diagnostics, stdout)
        return
    if output_format != "text":
        raise ValueError(f"unknown output format {output_format!r}")
    from kerascheck.report import text

    if show_statistics:
        text.write_statistics(statistics(diagnostics), stdout)
    else:
        text.write_text(diagnostics, stdout)
    if not quiet:
        stderr.write(text.summary(diagnostics, files_checked) + "\n")
