"""Remember what `check` said for inputs it has seen, so a pre-commit hook that runs it
on an unchanged decision and knowledge base answers at once.

`check` is a pure function of its inputs: the decision files, every knowledge and
criteria layer, the evaluation date, the options and the code itself. The key is a
SHA-256 over all of them (file contents, not modification times, so a checkout that keeps
times cannot fool it); any change gives a new key and a fresh run. Entries live in
:mod:`llmchoose.cachefiles`; ``--no-cache`` turns this one off.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from llmchoose import cachefiles
from llmchoose.errors import InputError
from llmchoose.loading.layers import yaml_files
from llmchoose.loading.paths import layer_folders

__all__ = ["cache_enabled", "input_key", "load_entry", "store_entry"]

_KIND = "check"


def cache_enabled(no_cache: bool) -> bool:
    return cachefiles.caching_on(no_cache)


def input_key(
    files: list[Path], kb: list[Path], criteria: list[Path], settings: dict[str, Any]
) -> str | None:
    """The key for these inputs, or None when one cannot be read (the full run then
    reports the problem as usual)."""
    digest = cachefiles.new_digest()
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    try:
        folders = layer_folders("knowledge", kb) + layer_folders("criteria", criteria)
        for folder in folders:
            cachefiles.folder_digest(digest, folder, yaml_files(folder))
        for path in files:
            digest.update(f"\0decision {path}\0".encode())
            digest.update(path.read_bytes())
    except (InputError, OSError):
        return None
    return digest.hexdigest()


def load_entry(key: str) -> dict[str, Any] | None:
    return cachefiles.load_entry(_KIND, key)


def store_entry(key: str, entry: dict[str, Any]) -> None:
    """Write the entry; a cache that cannot be written is no reason to fail a check."""
    cachefiles.store_entry(_KIND, key, entry)
