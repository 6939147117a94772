"""The realistic-program corpus: every ``tests/corpus/NAME.py`` must produce exactly ``NAME.expected``.

Each sidecar lists one expected finding per line as ``LINE CODE`` (sorted; empty = no findings). The
comparison is on the *set* of (line, code) pairs, so a rule may report one or several findings on the
same line. See ``tests/corpus/README.md`` for the format and the policy (correct code must stay quiet).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.engine import lint_paths

CORPUS = Path(__file__).parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("*.py"))
SIDECARS = sorted(CORPUS.glob("*.expected"))

# Codes that may appear in a sidecar: the default-on catalogue. Default-off rules (KC203, KC303, KC411,
# KC505) are never listed: the corpus is linted with default settings.
DEFAULT_ON = frozenset(
    "KC101 KC102 KC103 KC104 KC105 KC106 KC107 KC108 KC109 KC110 KC112 KC113 "
    "KC201 KC202 KC204 KC205 KC301 KC302 KC304 KC305 KC306 "
    "KC401 KC402 KC403 KC404 KC405 KC406 KC407 KC408 KC409 KC410 KC411 KC412 KC413 "
    "KC501 KC502 KC503 KC504 KC901 KC902".split()
)
_LINE = re.compile(r"^([1-9][0-9]*) (KC[0-9]{3})$")


def read_expected(program: Path) -> list[tuple[int, str]]:
    """The sidecar of ``program`` as (line, code) pairs, in file order."""
    entries = []
    for number, raw in enumerate(program.with_suffix(".expected").read_text(encoding="utf-8").splitlines(), 1):
        match = _LINE.match(raw)
        assert match, f"{program.stem}.expected:{number}: expected 'LINE CODE', got {raw!r}"
        entries.append((int(match.group(1)), match.group(2)))
    return entries


def lint(program: Path) -> set[tuple[int, str]]:
    settings = default_settings(project_root=CORPUS)
    result = lint_paths([str(program)], settings)
    return {(d.line, d.code) for d in result.diagnostics}


def _describe(program: Path, pairs: set[tuple[int, str]]) -> str:
    lines = program.read_text(encoding="utf-8").splitlines()
    out = []
    for line, code in sorted(pairs):
        text = lines[line - 1].strip() if 0 < line <= len(lines) else "<no such line>"
        out.append(f"    {line:>4} {code}   | {text}")
    return "\n".join(out)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_produces_exactly_the_expected_findings(program: Path) -> None:
    expected = set(read_expected(program))
    actual = lint(program)
    if actual != expected:
        missing = expected - actual
        unexpected = actual - expected
        message = [f"{program.name}: findings differ from {program.stem}.expected"]
        if missing:
            message.append(f"  missing (expected, not reported):\n{_describe(program, missing)}")
        if unexpected:
            message.append(f"  unexpected (reported, not expected):\n{_describe(program, unexpected)}")
        pytest.fail("\n".join(message), pytrace=False)


def test_every_program_has_a_sidecar_and_every_sidecar_a_program() -> None:
    programs = {p.stem for p in PROGRAMS}
    sidecars = {p.stem for p in SIDECARS}
    assert programs - sidecars == set(), "programs without a .expected sidecar"
    assert sidecars - programs == set(), ".expected sidecars without a program"


def test_corpus_is_large_and_mixed() -> None:
    assert len(PROGRAMS) >= 40
    clean = [p for p in PROGRAMS if not read_expected(p)]
    buggy = [p for p in PROGRAMS if read_expected(p)]
    assert len(clean) >= 0.3 * len(PROGRAMS), "keep plenty of correct programs: they guard precision"
    assert len(buggy) >= 0.3 * len(PROGRAMS)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_sidecar_is_well_formed(program: Path) -> None:
    entries = read_expected(program)
    assert entries == sorted(entries), "sort the sidecar by line, then code"
    assert len(entries) == len(set(entries)), "duplicate line in the sidecar"
    n_lines = len(program.read_text(encoding="utf-8").splitlines())
    for line, code in entries:
        assert code in DEFAULT_ON, f"{code} is not a default-on rule; sidecars list only those"
        assert line <= n_lines, f"line {line} is past the end of {program.name}"
    # naming convention: ok_* are correct programs, bug_* have at least one expected finding
    assert program.stem.startswith(("ok_", "bug_"))
    assert bool(entries) == program.stem.startswith("bug_")


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_starts_with_a_header_comment(program: Path) -> None:
    lines = [line for line in program.read_text(encoding="utf-8").splitlines()
             if not line.startswith(("#!", "# coding", "# -*-"))]
    assert lines and lines[0].startswith("# "), "start each program with a comment saying what it is"
