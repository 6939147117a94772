"""KC001: a suppression comment that silences nothing (kerascheck's RUF100)."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.rules.base import Finding, Rule, RuleContext


class UnusedSuppression(Rule):
    """A `# noqa: KC...` or `# kerascheck: ignore[...]` comment that silences no finding.

    ## What it flags
    A suppression directive, or one code in it, that covers no kerascheck finding: the comment is on the
    wrong line (a `# noqa` applies to its own line only), the bug it silenced was fixed, the code is not
    a kerascheck code (`# noqa: KC9999`), or the rule it names is not enabled. Blanket directives
    (`# kerascheck: ignore`, `# kerascheck: ignore-file`) are flagged when nothing they cover fires.
    Codes of runtime checks (KC6xx-KC8xx) are never judged: they fire only under `kerascheck run`.

    Opt-in, like ruff's RUF100: turn it on with `--extend-select KC001` (or `extend-select = ["KC001"]`)
    in CI. A directive whose comment holds nothing else carries a safe fix that deletes it.

    ## Why it breaks training
    A suppression that covers nothing is worse than none: the reader believes a finding was reviewed and
    waived, while the finding it was meant for still fires elsewhere, or a later bug on that line is
    silenced without anyone seeing it. A `# noqa: KC101` written on the line above the softmax head (where
    it does nothing) leaves the one-unit-softmax model that never learns unreported in review.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(16, activation="relu"),  # noqa: KC101
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    Delete the comment, or move it to the line the finding is reported on (for a `# noqa`, the end of
    that line).

    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - ruff's unused-noqa (RUF100): https://docs.astral.sh/ruff/rules/unused-noqa/
    """

    code = "KC001"
    name = "unused-suppression"
    severity = Severity.WARNING
    default_enabled = False
    fixable = "safe"
    fix_doc = ("Safe fix: the unused comment is deleted (the whole line when it stood alone). No fix when "
               "only some of the directive's codes are unused, or when the comment holds more than the "
               "directive.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        # Judging a directive needs every other rule's findings on the file, so the engine does it
        # after the rules ran (``kerascheck.unused_suppressions``); the rule is here for selection,
        # configuration, ``kerascheck rule KC001`` and the catalogue.
        return iter(())
