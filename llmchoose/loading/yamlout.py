"""The one place llmchoose writes YAML, in two styles.

:func:`dump_yaml` writes files people read and edit (decision files, answers, drafts):
list items indented under their key, small mappings (:class:`FlowMap`) on one line.
:func:`dump_records` writes generated knowledge overlays, which can hold thousands of
records: libyaml's fast emitter where available, long texts as literal blocks. Neither
ever emits anchors, which the loader refuses.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["FlowMap", "dump_records", "dump_yaml"]


class FlowMap(dict):
    """A mapping written on one line: ``{value: 2.5, source: x, as_of: 2026-11-01}``."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never anchors: llmchoose refuses them when reading

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # Indent list items under their key, as people write them.
        return super().increase_indent(flow, False)


_Dumper.add_representer(
    FlowMap, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)


def dump_yaml(data: Any, width: int = 100) -> str:
    """Block-style YAML with keys in the order given (safe types only)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=width,
    )


# libyaml's emitter when PyYAML has it: an import writes thousands of records.
_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _RecordDumper(_Base):  # type: ignore[misc, valid-type]
    """Never emits anchors or aliases: the knowledge loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_RecordDumper.add_representer(str, _str)


def dump_records(data: Any) -> str:
    """Block-style YAML in the given key order, readable by the strict loader."""
    return yaml.dump(
        data,
        Dumper=_RecordDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
