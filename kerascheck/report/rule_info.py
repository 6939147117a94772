"""What reporters say about a rule: name, one-line summary, rationale, page URL, default level.

Rich formats (full, SARIF, GitLab) describe the rules behind their findings; this is the one place that
reads that from the rules' docstrings, so every format says the same. ``KC000`` is not a rule but has
an entry too (SARIF needs a descriptor for every ``ruleId``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kerascheck import __version__

REPOSITORY_URL = "https://github.com/kerascheck/kerascheck"
RULES_URL = f"{REPOSITORY_URL}/blob/main/rules"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    rationale: str  # "Why it breaks training", first paragraph
    fix_hint: str  # "Fix", its prose before the code block (may be empty)
    url: str
    level: str  # "error", "warning", "info"


@functools.lru_cache(maxsize=None)
def rule_info(code: str) -> RuleInfo:
    """The description of ``code`` (``KC000`` included); unknown codes get a minimal entry."""
    if code == "KC000":
        return RuleInfo("KC000", "parse-error", "kerascheck could not read, parse or analyse this file.",
                        "A file that cannot be read is never reported clean: its findings would be unknown.",
                        "Fix the syntax or encoding, or exclude the file.", f"{REPOSITORY_URL}#what-it-catches",
                        "error")
    from kerascheck import docs
    from kerascheck.rules.base import all_rules

    rule = all_rules().get(code)
    if rule is None:
        return RuleInfo(code, code.lower(), "", "", "", f"{RULES_URL}/README.md", "warning")
    return RuleInfo(code, rule.name, docs.summary(rule), _first_paragraph(docs.section(rule, "Why it breaks training")),
                    _first_paragraph(docs.section(rule, "Fix")), f"{RULES_URL}/{docs.page_name(rule)}",
                    rule.severity.value)


def _first_paragraph(text: str | None) -> str:
    if not text:
        return ""
    lines: list[str] = []
    for line in text.strip().splitlines():
        if line.lstrip().startswith("```"):  # prose only: a code block is not a one-line hint
            break
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line.strip())
    return " ".join(lines)


def rule_url(code: str, name: str) -> str:
    """The rule page's URL from a diagnostic's own code and name (no rule module is imported)."""
    if code == "KC000":
        return f"{REPOSITORY_URL}#what-it-catches"
    return f"{RULES_URL}/{code}-{name}.md"


def tool_version() -> str:
    return __version__
