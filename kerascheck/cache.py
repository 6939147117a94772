"""Result cache: a warm re-run costs little more than hashing the files.

An entry holds one file's diagnostics. Its key is a SHA-256 over everything the result depends on: the
kerascheck version, the effective settings, the path as reported (diagnostics carry it, and
per-file-ignores match it) and the file's bytes. Changing any of them changes the key, so there is no
invalidation logic to get wrong: stale entries are simply never looked up again.

Entries are small JSON files written atomically (a temporary file in the same folder, then
``os.replace``), so parallel runs -- pre-commit runs hooks concurrently -- never see a half-written entry.
An entry that does not parse, belongs to another key or version, or has an unexpected shape is ignored
(and overwritten), never trusted. A cache folder that cannot be created or written (read-only, full
disk) only costs speed: writing stops at the first failure and ``problem`` says why, for the one
warning the command line prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from kerascheck import __version__
from kerascheck.diagnostics import Diagnostic, Edit, Fix, Severity

CACHE_DIR_NAME = ".kerascheck_cache"
ENV_CACHE_DIR = "KERASCHECK_CACHE_DIR"
_FORMAT = 2  # bump when the entry layout changes (2: findings carry fixes and their extra keys)
_FIELDS = ("path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message")


class ResultCache:
    """Diagnostics by (version, settings, path, content) key, stored under ``root``."""

    def __init__(self, root: Path, settings_fingerprint: str, version: str = __version__) -> None:
        self.root = root
        self._root_text = os.fspath(root)
        self._salt = f"{_FORMAT}\0{version}\0{settings_fingerprint}\0".encode()
        self._version = version
        self._ready: bool | None = None
        self.problem: str | None = None  # why the cache could not be written, once it failed

    def key(self, path: str, content: bytes) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(path.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(content)
        return digest.hexdigest()

    def get(self, key: str) -> tuple[Diagnostic, ...] | None:
        """The cached diagnostics, or None on a miss or an untrustworthy entry."""
        try:
            with open(self._entry_path(key), "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        try:
            if data.get("key") != key or data.get("version") != self._version:
                return None
            return tuple(_diagnostic(item) for item in data["diagnostics"])
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, diagnostics: tuple[Diagnostic, ...]) -> None:
        if not self._prepare():
            return
        entry = self._entry(key)
        payload = json.dumps(
            {"key": key, "version": self._version,
             "diagnostics": [_to_json(d) for d in diagnostics]},
            ensure_ascii=False, separators=(",", ":"),
        ).encode("utf-8")
        try:
            entry.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                os.replace(tmp, entry)
            except BaseException:
                _unlink(tmp)
                raise
        except OSError as exc:
            self._give_up(exc)

    def _entry(self, key: str) -> Path:
        return Path(self._entry_path(key))

    def _entry_path(self, key: str) -> str:
        # Plain string joins: ``Path`` arithmetic was a third of a warm run's cost.
        return os.path.join(self._root_text, key[:2], f"{key}.json")

    def _prepare(self) -> bool:
        """Create the folder with its own ``.gitignore`` (once per run)."""
        if self._ready is None:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                ignore = self.root / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# Created by kerascheck: results cache, safe to delete.\n*\n")
                self._ready = True
            except OSError as exc:
                self._give_up(exc)
        return bool(self._ready)

    def _give_up(self, exc: OSError) -> None:
        """Stop writing for this run (a full disk fails every write alike) and remember why."""
        self._ready = False
        if self.problem is None:
            self.problem = f"cannot write the results cache in {self.root} ({exc.strerror or exc}); continuing without it"


def default_cache_dir(project_root: str) -> Path:
    """``$KERASCHECK_CACHE_DIR`` if set, else ``.kerascheck_cache`` at the project root."""
    env = os.environ.get(ENV_CACHE_DIR)
    return Path(env) if env else Path(project_root) / CACHE_DIR_NAME


def settings_fingerprint(settings: Any) -> str:
    """A stable text for the settings that affect results (not where the config file was found)."""
    data = settings.to_dict() if hasattr(settings, "to_dict") else repr(settings)
    return json.dumps(data, sort_keys=True, default=repr)


def _to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(diagnostic, name) for name in _FIELDS}
    out["severity"] = diagnostic.severity.value
    if diagnostic.extra:  # a notebook finding's cell, a runtime finding's layer
        out["extra"] = [[key, value] for key, value in diagnostic.extra]
    if diagnostic.fix is not None:
        fix = diagnostic.fix
        out["fix"] = {"message": fix.message, "safe": fix.safe,
                      "edits": [[e.line, e.column, e.end_line, e.end_column, e.content, e.cell]
                                for e in fix.edits]}
    return out


def _diagnostic(item: dict[str, Any]) -> Diagnostic:
    values = {name: item[name] for name in _FIELDS}
    for name in ("line", "column", "end_line", "end_column"):
        if type(values[name]) is not int:
            raise TypeError(name)
    for name in ("path", "code", "name", "message"):
        if not isinstance(values[name], str):
            raise TypeError(name)
    values["severity"] = Severity(values["severity"])
    fix = None
    if item.get("fix") is not None:
        raw = item["fix"]
        fix = Fix(str(raw["message"]), tuple(Edit(*edit) for edit in raw["edits"]),
                  bool(raw["safe"]))
    extra = tuple((str(key), value) for key, value in item.get("extra", ()))
    return Diagnostic(fix=fix, extra=extra, **values)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
