"""Remember what `check` said for inputs it has seen, so a pre-commit hook that runs it
on an unchanged decision and knowledge base answers at once.

`check` is a pure function of its inputs: the decision files, every knowledge and
criteria layer, the evaluation date, the options and the code itself. The key is a
SHA-256 over all of them (file contents, not modification times, so a checkout that keeps
times cannot fool it); any change gives a new key and a fresh run. Entries are JSON (never
pickle: a cache folder is not trusted code) written atomically, and a damaged or foreign
entry is simply ignored. ``LLMCHOOSE_NO_CACHE=1`` or ``--no-cache`` turn it off;
``LLMCHOOSE_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError
from llmchoose.loading.layers import yaml_files
from llmchoose.loading.paths import layer_folders

__all__ = ["cache_enabled", "input_key", "load_entry", "store_entry"]

_ENTRY_LIMIT = 64  # newest entries kept; a hook sees a handful of distinct inputs
_MAX_ENTRY_BYTES = 8 * 1024 * 1024
_PACKAGE = Path(__file__).resolve().parents[2]


def cache_enabled(no_cache: bool) -> bool:
    return not no_cache and os.environ.get("LLMCHOOSE_NO_CACHE", "") in ("", "0")


def _folder() -> Path:
    chosen = os.environ.get("LLMCHOOSE_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "llmchoose" / "check"


def _code_stamp(digest) -> None:
    """The code that computes the answer: its version and every module's size and time.
    (An editable install changes code without a new version.)"""
    from llmchoose import __version__

    digest.update(__version__.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())


def input_key(
    files: list[Path], kb: list[Path], criteria: list[Path], settings: dict[str, Any]
) -> str | None:
    """The key for these inputs, or None when one cannot be read (the full run then
    reports the problem as usual)."""
    digest = hashlib.sha256()
    _code_stamp(digest)
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    try:
        folders = layer_folders("knowledge", kb) + layer_folders("criteria", criteria)
        for folder in folders:
            digest.update(f"\0layer {folder.resolve()}\0".encode())
            for path in yaml_files(folder):
                digest.update(f"\0{path.relative_to(folder)}\0".encode())
                digest.update(path.read_bytes())
        for path in files:
            digest.update(f"\0decision {path}\0".encode())
            digest.update(path.read_bytes())
    except (InputError, OSError):
        return None
    return digest.hexdigest()


def load_entry(key: str) -> dict[str, Any] | None:
    path = _folder() / f"{key}.json"
    try:
        if path.stat().st_size > _MAX_ENTRY_BYTES:
            return None
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry


def store_entry(key: str, entry: dict[str, Any]) -> None:
    """Write the entry; a cache that cannot be written is no reason to fail a check."""
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({**entry, "key": key}, handle)
        Path(tmp).replace(folder / f"{key}.json")
        _prune(folder)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[_ENTRY_LIMIT:]:
        old.unlink(missing_ok=True)
