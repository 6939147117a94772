"""The language server (``kerascheck server``): editor diagnostics and code actions over LSP.

Modules, each small and single-purpose:

- ``positions``: 1-based code-point columns ↔ LSP positions in the negotiated encoding (no pygls);
- ``noqa``: the "disable KCxxx for this line" edit (no pygls);
- ``convert``: kerascheck diagnostics and edits → LSP types;
- ``documents``: lint a buffer or a notebook's cells through ``engine.lint_source``;
- ``actions``: code actions (fixes, noqa, fix-all);
- ``settings_cache``: per-document configuration, re-read when the file changes;
- ``server``: the pygls server, scheduling and failure isolation.

Only ``server`` (and the modules that build LSP types) need the ``lsp`` extra; importing this package
does not import pygls, so the CLI can say how to install it when it is missing.
"""

from __future__ import annotations

INSTALL_HINT = "the language server needs pygls: pip install 'kerascheck[lsp]'"


def pygls_available() -> bool:
    """Whether ``pygls`` 2 (``pygls.lsp.server``) can be imported, without importing it."""
    import importlib.util

    try:
        return importlib.util.find_spec("pygls.lsp.server") is not None
    except (ImportError, ValueError):
        return False
