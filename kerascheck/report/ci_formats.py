"""Formats for CI systems: GitHub workflow commands, GitLab Code Quality, JUnit XML, JSON lines.

- ``github``: ``::error file=…,line=…,endLine=…,col=…,endColumn=…,title=CODE name::message``, escaped
  as GitHub's toolkit does (``%``, CR, LF in the message; also ``:`` and ``,`` in properties), so the
  annotations appear on the pull request's diff.
- ``gitlab``: the Code Quality report (a JSON array: description, check_name, fingerprint, severity,
  location.path, location.lines.begin), for merge-request widgets.
- ``junit``: one ``testcase`` per finding (``failure`` with the message) in one ``testsuite`` per file,
  for CI systems that only show test reports.
- ``json-lines``: one JSON object per line, the same keys as ``json``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from typing import Sequence, TextIO
from xml.sax.saxutils import escape, quoteattr

from kerascheck.diagnostics import Diagnostic
from kerascheck.report.json_report import dumps, json_object
from kerascheck.report.rule_info import rule_info

_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_GITLAB_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    for d in diagnostics:
        props = [f"file={_escape_property(d.path)}", f"line={d.line}", f"endLine={d.end_line}", f"col={d.column}",
                 f"endColumn={d.end_column}", f"title={_escape_property(f'{d.code} {d.name}')}"]
        cell = dict(d.extra).get("cell")
        message = f"(cell {cell}) {d.message}" if cell is not None else d.message
        out.write(f"::{_GITHUB_LEVEL[d.severity.value]} {','.join(props)}::{_escape_data(message)}\n")


def gitlab_report(diagnostics: Sequence[Diagnostic]) -> list[dict[str, object]]:
    seen: Counter[tuple[str, str, str]] = Counter()
    report = []
    for d in diagnostics:
        key = (d.code, d.path, " ".join(d.message.split()))
        seen[key] += 1
        fingerprint = hashlib.sha256(("\0".join(key) + f"\0{seen[key]}").encode("utf-8", "surrogateescape"))
        report.append({
            "description": f"{d.code} {d.message}",
            "check_name": f"{d.code} {d.name}",
            "fingerprint": fingerprint.hexdigest(),
            "severity": _GITLAB_SEVERITY[d.severity.value],
            "location": {"path": d.path, "lines": {"begin": d.line, "end": d.end_line}},
        })
    return report


def write_gitlab(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    out.write(dumps(gitlab_report(diagnostics)) + "\n")


def write_junit(diagnostics: Sequence[Diagnostic], out: TextIO, files_checked: int = 0) -> None:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_file[d.path].append(d)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="kerascheck" tests="{len(diagnostics)}" failures="{len(diagnostics)}">\n')
    for path, found in by_file.items():
        out.write(f'  <testsuite name={quoteattr(path)} tests="{len(found)}" failures="{len(found)}">\n')
        for d in found:
            cell = dict(d.extra).get("cell")
            where = f"{path}:cell {cell}:{d.line}:{d.column}" if cell is not None else f"{path}:{d.line}:{d.column}"
            out.write(f'    <testcase name={quoteattr(f"{d.code} {d.name} at {where}")} '
                      f'classname={quoteattr(path)} file={quoteattr(path)} line="{d.line}">\n')
            out.write(f'      <failure type={quoteattr(d.code)} message={quoteattr(d.message)}>'
                      f'{escape(f"{where}: {d.code} {d.message} ({rule_info(d.code).url})")}</failure>\n')
            out.write("    </testcase>\n")
        out.write("  </testsuite>\n")
    out.write("</testsuites>\n")


def write_json_lines(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    for d in diagnostics:
        out.write(json.dumps(json_object(d), ensure_ascii=True) + "\n")
