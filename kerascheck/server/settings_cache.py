"""Each document's settings: the nearest ``kerascheck.toml`` / ``pyproject.toml``, re-read when it changes.

The CLI resolves settings once per run from the working directory; an editor session lasts hours,
spans projects (a monorepo with one config per package) and sees the config edited while it runs. So
here settings are looked up per document, from the document's own directory upward exactly as the
CLI's ``find_config`` does, and a parsed config is reused only while the file's (mtime, size) are
unchanged: every lint re-checks with a few ``stat`` calls, which costs microseconds against the
milliseconds of a parse, and needs no file watcher (clients that do send
``workspace/didChangeWatchedFiles`` just make the re-lint of open documents immediate).

A broken config raises ``ConfigError`` (with the file and key in its message, as on the command line);
the server turns it into a KC000 diagnostic on the document rather than linting with defaults, which
would silently hide the user's ``ignore`` list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kerascheck.config import Settings, find_config, read_config, resolve_settings

__all__ = ["SettingsCache"]


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[int, int]  # (mtime_ns, size) of the config file when it was read
    settings: Settings


class SettingsCache:
    """Settings per config file, keyed and invalidated by the file's stamp."""

    def __init__(self, fallback_root: str | None = None) -> None:
        # Without any config file, per-file-ignores are empty and the root only names paths: the
        # workspace root (or the server's working directory) is what the CLI would use there.
        self._fallback_root = fallback_root or os.getcwd()
        self._by_config: dict[Path, _Entry] = {}
        self._default: Settings | None = None

    def settings_for(self, document_path: str | None) -> Settings:
        """The settings that ``kerascheck`` run from the document's directory would use."""
        start = Path(document_path).parent if document_path else Path(self._fallback_root)
        config_path = find_config(start.resolve()) if start.is_dir() else None
        if config_path is None:
            if self._default is None:
                self._default = resolve_settings(None, project_root=self._fallback_root)
            return self._default
        stat = config_path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        entry = self._by_config.get(config_path)
        if entry is None or entry.stamp != stamp:
            entry = _Entry(stamp, resolve_settings(read_config(config_path)))
            self._by_config[config_path] = entry
        return entry.settings

    def clear(self) -> None:
        """Forget everything (a watched config file changed: stamps alone may miss a same-second edit)."""
        self._by_config.clear()
        self._default = None
