"""``--output-format json``: one JSON array on stdout, one object per finding.

Each object has exactly the keys of ``Diagnostic.to_json`` (code, name, severity, message, path, line,
column, end_line, end_column, fix); positions are 1-based with an exclusive end. An empty run prints
``[]`` so consumers never special-case empty output.
"""

from __future__ import annotations

import json
from typing import Sequence, TextIO

from kerascheck.diagnostics import Diagnostic


def write_json(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    json.dump([d.to_json() for d in diagnostics], out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_statistics(rows: Sequence[tuple[str, str, int]], out: TextIO) -> None:
    json.dump([{"code": code, "name": name, "count": count} for code, name, count in rows], out, indent=2)
    out.write("\n")
