"""Turning the persistent caches on inside one test, and counting what is parsed."""

from __future__ import annotations

from pathlib import Path


def counting_cache(monkeypatch, tmp_path: Path, module, kind: str) -> tuple[Path, list[Path]]:
    """The cache on, in this test's own folder: the folder of ``kind``'s entries, and
    a list that gets every YAML file ``module`` parses."""
    monkeypatch.delenv("LLMCHOOSE_NO_CACHE")
    folder = tmp_path / "cache"
    monkeypatch.setenv("LLMCHOOSE_CACHE_DIR", str(folder))
    parsed: list[Path] = []
    real = module.parse_file

    def counted(item):
        parsed.append(item.path)
        return real(item)

    monkeypatch.setattr(module, "parse_file", counted)
    return folder / kind, parsed
