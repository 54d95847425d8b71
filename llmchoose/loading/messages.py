"""Turn pydantic validation errors into ``file:line: path: what was expected`` messages."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.yamlio import line_of

__all__ = ["format_loc", "validation_errors"]


def format_loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _unwrap(annotation: Any) -> list[Any]:
    """The schema classes an annotation may hold (through Optional, list, dict, Union)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found = []
        for arg in typing.get_args(annotation):
            found += _unwrap(arg)
        return found
    if origin in (list, tuple, set):
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> set[str]:
    """The keys a mapping at ``loc`` (relative to ``model``) may hold."""
    classes: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        following: list[type[BaseModel]] = []
        for cls in classes:
            for name, field in cls.model_fields.items():
                if part in (name, field.alias):
                    following += _unwrap(field.annotation)
        if not following:
            break
        classes = following
    keys: set[str] = set()
    for cls in classes:
        keys |= {field.alias or name for name, field in cls.model_fields.items()}
    return keys


def _describe(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, str | None]:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _keys_at(model, loc[:-1])
        return f"unknown key '{key}'", did_you_mean(str(key), allowed)
    if kind == "missing":
        return "required key is missing", None
    message = error["msg"]
    # Pydantic prefixes model-validator messages with "Value error, ".
    message = message.removeprefix("Value error, ")
    value = error.get("input")
    if isinstance(value, bool) and kind in _TEXT_ERRORS:
        word = "yes, on or true" if value else "no, off or false"
        message += (
            f", but YAML read an unquoted {word} as {str(value).lower()}"
            f' (quote it, like "{"yes" if value else "no"}", to mean the word)'
        )
    elif isinstance(value, str | int | float | bool) and len(repr(value)) <= 60:
        message += f", got {value!r}"
    # Lower-case the first letter of a sentence, not of an acronym ("URL scheme ...").
    if message[:1].isupper() and not message[1:2].isupper():
        message = message[0].lower() + message[1:]
    return message, None


# Errors where a YAML boolean stands where text or a word from a list was expected.
_TEXT_ERRORS = {"string_type", "literal_error", "enum", "url_type", "date_type"}


def _field_in_message(error: dict[str, Any], raw: Any) -> dict[str, Any]:
    """Move ``field: `` from a model validator's message into the location, so the
    message points at the field's own line."""
    if error["type"] != "value_error":
        return error
    found = re.match(r"Value error, ([A-Za-z_][\w-]*): (.*)", error["msg"], re.S)
    node = raw
    for part in error["loc"]:
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (
                node[part]
                if isinstance(node, list) and isinstance(part, int) and part < len(node)
                else None
            )
        )
    if found and isinstance(node, dict) and found.group(1) in node:
        return {
            **error,
            "loc": (*error["loc"], found.group(1)),
            "msg": "Value error, " + found.group(2),
            "input": node[found.group(1)],
        }
    return error


def validation_errors(
    exc: ValidationError,
    *,
    model: type[BaseModel],
    raw: Any,
    file: str | Path,
    prefix: tuple[Any, ...] = (),
    raw_root: Any = None,
) -> list[InputError]:
    """One :class:`InputError` per pydantic error, pointing at the YAML line.

    ``prefix`` is where ``raw`` sits in the file (``("models", 3)``); ``raw_root`` is the
    whole file's data, used for line lookup when given.
    """
    problems = []
    for error in exc.errors():
        loc = tuple(
            p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        details = _field_in_message({**error, "loc": loc}, raw)
        loc = details["loc"]
        message, hint = _describe(details, model)
        full = prefix + loc
        line = line_of(raw_root, full) if raw_root is not None else line_of(raw, loc)
        where = format_loc(full)
        text = f"{where}: {message}" if where else message
        problems.append(InputError(text, file=file, line=line, hint=hint))
    return problems
