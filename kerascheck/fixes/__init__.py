"""Autofixes: rules describe them (``intents``), the engine positions them (``build``, the only part
that needs libcst), one applier applies them to text (``apply``) and ``files`` writes files and
notebooks (encodings, atomic replace, the fix-and-re-lint loop) for ``--fix`` and ``--diff``.

``apply_fixes(text, diagnostics, *, unsafe)`` is the entry point for other front ends (the language
server's code actions): it needs neither the file system nor libcst.
"""

from __future__ import annotations

from kerascheck.fixes.apply import apply_fixes

__all__ = ["apply_fixes"]
