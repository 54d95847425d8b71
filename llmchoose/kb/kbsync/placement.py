"""Where a generated overlay sits among the knowledge layers, and what it may override.

A generated file is compared with the layers *below* its own, so a second run sees the
same starting point as the first and an out-of-date earlier output can never stop the
run. Records that a person defines in the same layer or a later one are left alone: in
the same layer a second definition is an error, in a later one it would win anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from llmchoose.loading.catalog import Catalog
from llmchoose.loading.knowledge import knowledge_layers, load_catalog
from llmchoose.loading.layers import yaml_files
from llmchoose.loading.paths import PROJECT_DIR
from llmchoose.loading.yamlio import load_yaml

__all__ = ["IMPORT_MARKER", "Placement", "place"]

IMPORT_MARKER = "# Written by llmchoose kb import"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _is_import_file(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(IMPORT_MARKER)
    except (OSError, UnicodeDecodeError):
        return False


@dataclass
class Placement:
    """The layers, the index of the output's layer, and who else defines what above it."""

    layers: list[Path]
    index: int  # len(layers) when the output is in no layer
    output: Path
    defined_above: dict[str, dict[str, Path]] = field(default_factory=dict)  # kind -> id -> file

    @property
    def in_a_layer(self) -> bool:
        return self.index < len(self.layers)

    def baseline(self) -> Catalog:
        """The knowledge base from the layers below the output's own."""
        return load_catalog(layers=self.layers[: self.index])

    def overridden_by(self, kind: str, record_id: str) -> Path | None:
        return self.defined_above.get(kind, {}).get(record_id)


def place(
    output: Path, kb: list[Path] | tuple[Path, ...] = (), *, skip: Path | None = None
) -> Placement:
    """Locate ``output`` among the layers and index what the layers from it upward define.

    ``skip`` (a file or folder) is left out of that index: the previous output itself.
    Files written by ``kb import`` are left out too; they only add ``gp.`` records.
    """
    layers = knowledge_layers(list(kb))
    index = next((i for i, layer in enumerate(layers) if _inside(output, layer)), None)
    if index is None:
        project = Path.cwd() / PROJECT_DIR / "knowledge"
        if _inside(output, project):
            # The project layer does not exist yet; it will, right after the builtin one.
            layers.insert(1, project)
            index = 1
        else:
            index = len(layers)
    placement = Placement(layers=layers, index=index, output=output)
    for layer in layers[index:]:
        if not layer.is_dir():
            continue
        for path in yaml_files(layer):
            if (skip is not None and _inside(path, skip)) or _is_import_file(path):
                continue
            data = load_yaml(path)
            if not isinstance(data, dict):
                continue
            for kind, records in data.items():
                if not isinstance(records, list):
                    continue
                for record in records:
                    if isinstance(record, dict) and isinstance(record.get("id"), str):
                        placement.defined_above.setdefault(kind, {}).setdefault(record["id"], path)
    return placement
