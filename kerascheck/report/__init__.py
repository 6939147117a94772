"""Reporters: turn diagnostics into output. They depend only on ``Diagnostic``, never on the parser.

Convention shared by all formats: findings (or the JSON document) go to stdout and nothing else does, so
editors, problem matchers and ``jq`` can read stdout as-is; the human summary goes to stderr.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence, TextIO

from kerascheck.diagnostics import Diagnostic

# "concise" is the one-line format ("text" is kept as its alias); see each module for the others.
FORMATS = ("concise", "text", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit")


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
    no_colour: bool = False,
    files_skipped: int = 0,
) -> None:
    """Write findings (or per-code counts with ``show_statistics``) in ``output_format``.

    The text summary goes to stderr unless ``quiet``; machine formats (JSON, SARIF, ...) write no summary
    at all, so a tool that merges the two streams still reads a valid document.
    """
    if output_format not in FORMATS:
        raise ValueError(f"unknown output format {output_format!r}")
    if show_statistics:
        if output_format == "json":
            from kerascheck.report import json_report

            json_report.write_statistics(statistics(diagnostics), stdout)
        else:
            from kerascheck.report import text

            text.write_statistics(statistics(diagnostics), stdout)
        return
    if output_format in ("concise", "text", "full"):
        from kerascheck.report import text

        if output_format == "full":
            from kerascheck.report import full

            full.write_full(diagnostics, stdout, colour=full.use_colour(stdout, no_colour))
        else:
            text.write_text(diagnostics, stdout)
        if not quiet:
            stderr.write(text.summary(diagnostics, files_checked, files_skipped) + "\n")
        return
    from kerascheck.report import ci_formats, json_report, sarif

    writers = {"json": json_report.write_json, "json-lines": ci_formats.write_json_lines,
               "sarif": sarif.write_sarif, "github": ci_formats.write_github, "gitlab": ci_formats.write_gitlab,
               "junit": lambda d, out: ci_formats.write_junit(d, out, files_checked)}
    writers[output_format](diagnostics, stdout)
