"""Every output format on the same findings: a script, a notebook cell, and a message with % , : and a newline.

The diagnostics are built by hand so each format's exact text can be asserted; SARIF is validated
against the official 2.1.0 schema (a copy of the public standard lives in tests/schemas).
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.report import FORMATS, write_report
from kerascheck.report.ci_formats import gitlab_report
from kerascheck.report.sarif import sarif_document

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
TRICKY = "loss 100% NaN: use a, b\nthen c"


def diagnostics() -> list[Diagnostic]:
    return [
        Diagnostic("nb.ipynb", 2, 5, 2, 9, "KC101", "single-unit-softmax", Severity.ERROR, "one unit softmax",
                   extra=(("cell", 3),)),
        Diagnostic("src/train.py", 10, 1, 10, 30, "KC201", "learning-rate-too-high", Severity.WARNING, TRICKY),
        Diagnostic("src/train.py", 12, 3, 12, 3, "KC000", "parse-error", Severity.ERROR, "syntax error: x"),
    ]


def render(fmt: str, found: list[Diagnostic] | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    write_report(diagnostics() if found is None else found, 2, output_format=fmt, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_concise_and_its_text_alias() -> None:
    out, err = render("concise")
    assert out.splitlines() == [
        "nb.ipynb:cell 3:2:5: KC101 one unit softmax",
        "src/train.py:10:1: KC201 loss 100% NaN: use a, b then c",
        "src/train.py:12:3: KC000 syntax error: x",
    ]
    assert err == "Found 3 problems in 2 files.\n"
    assert render("text") == (out, err)


def test_summary_counts_skipped_files_apart() -> None:
    from kerascheck.report.text import summary

    assert summary([], 1, 2) == "All checks passed! (1 file checked; 2 skipped: no Keras or TensorFlow code)"
    assert summary(diagnostics(), 5, 1) == ("Found 3 problems in 2 files (5 files checked; 1 skipped: "
                                            "no Keras or TensorFlow code).")


def test_full_shows_the_source_line_underlined_and_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("\n" * 9 + "opt = keras.optimizers.Adam(learning_rate=0.5)\n")
    [finding] = [d for d in diagnostics() if d.code == "KC201"]
    out, _ = render("full", [finding])
    lines = out.splitlines()
    assert lines[0] == "src/train.py:10:1: KC201 loss 100% NaN: use a, b then c"
    assert lines[2] == "10 | opt = keras.optimizers.Adam(learning_rate=0.5)"
    assert lines[3] == "   | " + "^" * 29
    assert any(line.startswith("  = why: ") for line in lines)
    assert lines[-2].endswith("rules/KC201-learning-rate-too-high.md") and lines[-1] == ""
    assert "\x1b[" not in out  # not a terminal: no colours


def test_json_and_json_lines_carry_cell_and_url() -> None:
    data = json.loads(render("json")[0])
    assert data[0]["cell"] == 3 and data[0]["url"].endswith("rules/KC101-single-unit-softmax.md")
    assert "cell" not in data[1]
    lines = [json.loads(line) for line in render("json-lines")[0].splitlines()]
    assert lines == data


def test_github_workflow_commands_are_escaped() -> None:
    out, err = render("github")
    assert err == ""
    assert out.splitlines() == [
        "::error file=nb.ipynb,line=2,endLine=2,col=5,endColumn=9,title=KC101 single-unit-softmax::(cell 3) one unit softmax",
        "::warning file=src/train.py,line=10,endLine=10,col=1,endColumn=30,title=KC201 learning-rate-too-high::"
        "loss 100%25 NaN: use a, b%0Athen c",
        "::error file=src/train.py,line=12,endLine=12,col=3,endColumn=3,title=KC000 parse-error::syntax error: x",
    ]
    from kerascheck.report.ci_formats import _escape_property

    assert _escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_gitlab_code_quality() -> None:
    report = json.loads(render("gitlab")[0])
    assert [r["severity"] for r in report] == ["critical", "major", "critical"]
    assert report[1]["location"] == {"path": "src/train.py", "lines": {"begin": 10, "end": 10}}
    assert report[1]["check_name"] == "KC201 learning-rate-too-high"
    assert len({r["fingerprint"] for r in report}) == 3


def test_junit_is_well_formed_xml_with_one_testcase_per_finding() -> None:
    root = ET.fromstring(render("junit")[0])
    cases = root.findall(".//testcase")
    assert len(cases) == 3 and root.get("failures") == "3"
    assert cases[1].find("failure").get("message") == TRICKY


def test_sarif_validates_against_the_official_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    monkeypatch.chdir(tmp_path)
    document = json.loads(render("sarif")[0])
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run = document["runs"][0]
    assert run["tool"]["driver"]["name"] == "kerascheck"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["KC000", "KC101", "KC201"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "KC101"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "nb.ipynb", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 9}
    assert first["properties"] == {"cell": 3}
    assert run["results"][2]["locations"][0]["physicalLocation"]["region"]["endColumn"] == 4  # empty span widened


def test_sarif_fingerprints_survive_unrelated_lines_moving() -> None:
    before = sarif_document(diagnostics())["runs"][0]["results"]
    moved = [Diagnostic(d.path, d.line + 7, d.column, d.end_line + 7, d.end_column, d.code, d.name, d.severity,
                        d.message, extra=d.extra) for d in diagnostics()]
    after = sarif_document(moved)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert gitlab_report(diagnostics())[0]["fingerprint"] == gitlab_report(moved)[0]["fingerprint"]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("concise", "text", "full")])
def test_machine_formats_write_nothing_to_stderr_and_handle_no_findings(fmt: str) -> None:
    out, err = render(fmt, [])
    assert err == ""
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
