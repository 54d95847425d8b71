"""Entries remembered between runs: JSON files under the user's cache folder.

Each kind of entry (``check`` answers, parsed knowledge, sized deployments) has its own
folder. A key is a SHA-256 over everything the entry depends on, the code included, so
an entry is either exactly right or never found. Entries are JSON (never pickle: a cache
folder is not trusted code), written atomically; a damaged or foreign entry is ignored and
an unwritable folder only means no caching. ``LLMCHOOSE_NO_CACHE=1`` turns every kind off;
``LLMCHOOSE_CACHE_DIR`` moves the folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["caching_on", "code_stamp", "folder_digest", "load_entry", "new_digest", "store_entry"]

_PACKAGE = Path(__file__).resolve().parent
_MAX_ENTRY_BYTES = 32 * 1024 * 1024


def caching_on(no_cache: bool = False) -> bool:
    return not no_cache and os.environ.get("LLMCHOOSE_NO_CACHE", "") in ("", "0")


def _folder(kind: str) -> Path:
    chosen = os.environ.get("LLMCHOOSE_CACHE_DIR")
    if chosen:
        # The folder `check` always used, kept so existing entries stay valid.
        return Path(chosen) if kind == "check" else Path(chosen) / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "llmchoose" / kind


_STAMP: bytes | None = None


def code_stamp() -> bytes:
    """The code that computes every entry: its version and each module's size and time.
    (An editable install changes code without a new version.)"""
    global _STAMP
    if _STAMP is None:
        from llmchoose import __version__

        digest = hashlib.sha256(__version__.encode())
        for path in sorted(_PACKAGE.rglob("*.py")):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
            )
        _STAMP = digest.digest()
    return _STAMP


def new_digest() -> Any:
    """A SHA-256 already holding the code stamp."""
    return hashlib.sha256(code_stamp())


def folder_digest(digest: Any, folder: Path, files: list[Path]) -> None:
    """Add a layer folder's files (names and contents, not times) to a digest; raises
    OSError when one cannot be read."""
    digest.update(f"\0layer {folder.resolve()}\0".encode())
    for path in files:
        digest.update(f"\0{path.relative_to(folder)}\0".encode())
        digest.update(path.read_bytes())


def load_entry(kind: str, key: str) -> dict[str, Any] | None:
    path = _folder(kind) / f"{key}.json"
    try:
        if path.stat().st_size > _MAX_ENTRY_BYTES:
            return None
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry


def store_entry(kind: str, key: str, entry: dict[str, Any], *, keep: int = 64) -> None:
    """Write the entry and keep the ``keep`` newest; failing to write is never an error."""
    folder = _folder(kind)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({**entry, "key": key}, handle, separators=(",", ":"))
        Path(tmp).replace(folder / f"{key}.json")
        _prune(folder, keep)
    except (OSError, TypeError, ValueError):
        Path(tmp).unlink(missing_ok=True)


def _prune(folder: Path, keep: int) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
