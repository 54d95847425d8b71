"""Validated records as JSON and back, exactly, without validating them again.

A cached knowledge base is rebuilt from what validation produced: every model's field
values, which fields were set (``exclude_unset`` dumps read that) and its class, with
``model_construct``, so a run whose files are unchanged builds no validators at all.
That is exact by construction: only the value types below are written, each in a form
that reads back equal and of the same type, and anything else (another class, a private
attribute, a key that is not text) makes the whole entry not worth keeping.

Tags: ``{"$m": class, "s": fields set, "f": fields}`` for a model (only the classes the
reader is given, never a name it would import) and ``{"$date": iso}`` (URLs are
validated text); YAML data kept as read, with its line numbers, as ``{"$ll": items,
…}`` or ``{"$ld": mapping, …}``. A mapping whose own keys start with ``$`` is refused, so a tag is
never data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from llmchoose.loading.yamlio import LineDict, LineList

__all__ = ["NotCacheable", "RecordCodec"]


class NotCacheable(Exception):
    """A value this module cannot write so that it reads back exactly."""


class RecordCodec:
    """Writes and reads the models of the given schema modules."""

    def __init__(self, modules: Iterable[ModuleType]) -> None:
        self.classes: dict[str, type[BaseModel]] = {
            name: value
            for module in modules
            for name, value in vars(module).items()
            if isinstance(value, type)
            and issubclass(value, BaseModel)
            and value.__module__ == module.__name__
        }

    def encode(self, value: Any) -> Any:
        """A JSON value that :meth:`decode` turns back into an equal value of the same
        types; raises :class:`NotCacheable` for anything else."""
        kind = type(value)
        if value is None or kind is str or kind is int or kind is float or kind is bool:
            return value
        if kind is list:
            return [self.encode(inner) for inner in value]
        if kind is dict:
            out = {}
            for key, inner in value.items():
                if type(key) is not str or key.startswith("$"):
                    raise NotCacheable(f"mapping key {key!r}")
                out[key] = self.encode(inner)
            return out
        if kind is dt.date:
            return {"$date": value.isoformat()}
        if isinstance(value, BaseModel):
            return self._encode_model(value)
        if kind is LineList or kind is LineDict:
            return self._encode_lines(value)
        raise NotCacheable(kind.__name__)

    def _encode_lines(self, value: LineList | LineDict) -> dict[str, Any]:
        """YAML data a model kept as it was (an ``Any`` field), with its line numbers."""
        line, lines = getattr(value, "line", None), getattr(value, "lines", None)
        if type(line) is not int:
            raise NotCacheable("YAML data without its line")
        if isinstance(value, LineList) and type(lines) is list:
            return {"$ll": [self.encode(inner) for inner in value], "line": line, "lines": lines}
        if isinstance(value, LineDict) and type(lines) is dict:
            return {"$ld": self.encode(dict(value)), "line": line, "lines": self.encode(lines)}
        raise NotCacheable("YAML data without its lines")

    def _encode_model(self, model: BaseModel) -> dict[str, Any]:
        kind = type(model)
        if self.classes.get(kind.__name__) is not kind:
            raise NotCacheable(kind.__name__)
        if model.__pydantic_extra__ or model.__pydantic_private__:
            raise NotCacheable(f"{kind.__name__} with extra or private values")
        return {
            "$m": kind.__name__,
            "s": sorted(model.model_fields_set),
            "f": {name: self.encode(inner) for name, inner in model.__dict__.items()},
        }

    def decode(self, text: str) -> Any:
        """The value whose :meth:`encode` was dumped as ``text``; raises ValueError,
        LookupError or TypeError when the text is not such a dump."""
        return json.loads(text, object_hook=self._hook)

    def _hook(self, mapping: dict[str, Any]) -> Any:
        if "$m" in mapping:
            cls = self.classes[mapping["$m"]]
            fields = mapping["f"]
            if type(fields) is not dict or fields.keys() != cls.model_fields.keys():
                raise ValueError(f"not the fields of {cls.__name__}")
            return cls.model_construct(set(mapping["s"]), **fields)
        if "$date" in mapping:
            return dt.date.fromisoformat(mapping["$date"])
        if "$ll" in mapping or "$ld" in mapping:
            return _with_lines(mapping)
        return mapping


def _with_lines(mapping: dict[str, Any]) -> LineList | LineDict:
    line, lines = mapping["line"], mapping["lines"]
    if type(line) is not int:
        raise TypeError("YAML data with a damaged line number")
    if "$ll" in mapping and type(lines) is list:
        items = LineList(mapping["$ll"])
        items.line, items.lines = line, lines
        return items
    if "$ld" in mapping and type(lines) is dict:
        keyed = LineDict(mapping["$ld"])
        keyed.line, keyed.lines = line, lines
        return keyed
    raise TypeError("YAML data with damaged line numbers")
