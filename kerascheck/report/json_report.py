"""``--output-format json``: one JSON array on stdout, one object per finding.

Each object has the keys of ``Diagnostic.to_json`` (code, name, severity, message, path, line, column,
end_line, end_column, fix; plus ``cell`` for notebook findings and ``layer`` for runtime ones) and ``url``,
the rule's page; positions are 1-based with an exclusive end. An empty run prints
``[]`` so consumers never special-case empty output.
"""

from __future__ import annotations

import json
from typing import Sequence, TextIO

from kerascheck.diagnostics import Diagnostic


def write_json(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    out.write(dumps([json_object(d) for d in diagnostics]) + "\n")


def json_object(diagnostic: Diagnostic) -> dict[str, object]:
    """The documented object of one finding: ``Diagnostic.to_json`` plus the rule page's ``url``."""
    from kerascheck.report.rule_info import rule_url

    return {**diagnostic.to_json(), "url": rule_url(diagnostic.code, diagnostic.name)}


def dumps(value: object) -> str:
    """JSON text that is always valid and encodable: readable UTF-8 normally, ``\\u`` escapes when a
    string holds what UTF-8 cannot carry (a file name with non-UTF-8 bytes, kept as surrogate escapes:
    ``json.loads`` then gives back the same name, and ``os.fsencode`` its original bytes)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, indent=2, ensure_ascii=True)
    return text


def write_statistics(rows: Sequence[tuple[str, str, int]], out: TextIO) -> None:
    json.dump([{"code": code, "name": name, "count": count} for code, name, count in rows], out, indent=2)
    out.write("\n")
