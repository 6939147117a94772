"""``--output-format sarif``: SARIF 2.1.0, as GitHub code scanning accepts it.

- ``tool.driver``: name, version, informationUri and one ``rules`` entry per code that has findings
  (id, name, short and full description, help text and URI, default level); results refer to them
  by ``ruleId`` and ``ruleIndex``.
- Locations: the artifact URI is relative to the working directory with ``uriBaseId`` ``%SRCROOT%``
  (absolute ``file://`` URIs for files outside it); regions are 1-based with an exclusive end column, as
  SARIF specifies. Notebook findings carry their cell in ``properties.cell``.
- ``fixes``: a finding with a fix carries it as one ``artifactChange`` whose ``replacements`` are the
  fix's edits (``deletedRegion`` + ``insertedContent``); the description says whether it is safe.
- ``partialFingerprints``: a hash of the code, the file and the message, plus the occurrence count of
  that triple in the file, so a finding keeps its fingerprint when unrelated lines move.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path
from typing import Any, Sequence, TextIO
from urllib.parse import quote

from kerascheck.diagnostics import Diagnostic
from kerascheck.report.json_report import dumps
from kerascheck.report.rule_info import REPOSITORY_URL, rule_info, tool_version

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif_document(diagnostics: Sequence[Diagnostic], cwd: str | None = None) -> dict[str, Any]:
    root = os.path.abspath(cwd or os.getcwd())
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    seen: Counter[tuple[str, str, str]] = Counter()
    results = []
    for d in diagnostics:
        key = (d.code, d.path, " ".join(d.message.split()))
        seen[key] += 1
        digest = hashlib.sha256("\0".join(key).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVELS[d.severity.value],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _artifact(d.path, root),
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": max(d.end_line, d.line),
                           "endColumn": d.end_column if (d.end_line, d.end_column) > (d.line, d.column)
                           else d.column + 1},
            }}],
            "partialFingerprints": {"kerascheck/v1": f"{digest}:{seen[key]}"},
        }
        fixes = _fixes(d, root)
        if fixes:
            result["fixes"] = fixes
        extra = dict(d.extra)
        if extra:
            result["properties"] = extra
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kerascheck", "version": tool_version(), "semanticVersion": tool_version(),
                                "informationUri": REPOSITORY_URL, "rules": [_descriptor(c) for c in codes]}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _fixes(d: Diagnostic, root: str) -> list[dict[str, Any]]:
    """The finding's fix as a SARIF ``fix``: one artifact change, its edits as replacements
    (an insertion is an empty ``deletedRegion``). Notebook fixes are cell-relative, which a SARIF
    region of the notebook file cannot express: they are left out."""
    fix = d.fix
    if fix is None or not fix.edits or any(e.cell is not None for e in fix.edits):
        return []
    replacements = [{
        "deletedRegion": {"startLine": e.line, "startColumn": e.column,
                          "endLine": e.end_line, "endColumn": e.end_column},
        "insertedContent": {"text": e.content},
    } for e in fix.edits]
    return [{
        "description": {"text": f"{fix.message} ({fix.applicability} fix)"},
        "artifactChanges": [{"artifactLocation": _artifact(d.path, root), "replacements": replacements}],
    }]


def _descriptor(code: str) -> dict[str, Any]:
    info = rule_info(code)
    full = " ".join(part for part in (info.summary, info.rationale) if part) or info.name
    return {
        "id": code,
        "name": info.name,
        "shortDescription": {"text": info.summary or info.name},
        "fullDescription": {"text": full},
        "help": {"text": f"{full} Fix: {info.fix_hint} See {info.url}" if info.fix_hint else f"{full} See {info.url}",
                 "markdown": f"{full}\n\n[{code} {info.name}]({info.url})"},
        "helpUri": info.url,
        "defaultConfiguration": {"level": _LEVELS.get(info.level, "warning")},
    }


def _artifact(path: str, root: str) -> dict[str, Any]:
    absolute = os.path.abspath(path)
    if path != "-" and os.path.commonpath([absolute, root]) == root:
        relative = Path(os.path.relpath(absolute, root)).as_posix()
        return {"uri": quote(relative.encode("utf-8", "surrogateescape")), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(absolute).as_uri() if path != "-" else "stdin"}


def write_sarif(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    out.write(dumps(sarif_document(diagnostics)) + "\n")
