"""Safe YAML reading that remembers line numbers, and atomic file writing.

Only ``yaml.SafeLoader`` is used. On top of it this module refuses what a data file
never needs and an attacker would use: anchors/aliases (the "billion laughs" bomb),
duplicate keys (PyYAML silently keeps the last), and files above a size limit.
Mappings and lists come back as :class:`LineDict` / :class:`LineList`, which carry the
line of each key or item so that schema errors can point at ``file:line``.

Values no reader can hold are refused here with their line, once for every file kind:
impossible dates, integers of thousands of digits, nesting deeper than
:data:`MAX_DEPTH`, and control characters (raw or escaped) that would reach a terminal,
an XML report or a Markdown file. Only regular files are read, never more than a limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from llmchoose.errors import InputError
from llmchoose.loading.fileio import atomic_write, read_bytes
from llmchoose.loading.safetext import CONTROL as _CONTROL
from llmchoose.loading.safetext import describe_control
from llmchoose.schemas.common import MAX_NUMBER

__all__ = [
    "MAX_DEPTH",
    "MAX_YAML_BYTES",
    "LineDict",
    "LineList",
    "atomic_write",
    "header_comments",
    "line_of",
    "load_yaml",
    "read_bytes",
]

MAX_YAML_BYTES = 4 * 1024 * 1024
# The deepest knowledge record is about six levels; anything far deeper is hostile and
# would exhaust Python's recursion while building or validating the data.
MAX_DEPTH = 64


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list):
    """A list that knows the 1-based line of itself and of each item."""

    line: int = 0
    lines: list[int]


# libyaml's parser when PyYAML has it (several times faster on big overlays), the pure
# Python one otherwise; the safe constructors either way.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _reject_aliases(root: yaml.Node) -> None:
    """Refuse any node reached twice (what an alias makes) and nesting past MAX_DEPTH.

    Composing shares aliased nodes instead of copying them, so this check runs before a
    "billion laughs" document could expand, and before a deep one could recurse.
    """
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases (*name) are not allowed", node.start_mark
            )
        seen.add(id(node))
        if isinstance(node, yaml.CollectionNode) and depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"lists and mappings nest deeper than {MAX_DEPTH} levels",
                node.start_mark,
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]


def _scalar_guard(construct: Callable[[Any, yaml.Node], Any], what: str):
    """Wrap a scalar constructor so a value Python cannot hold becomes a marked error."""

    def guarded(loader: _Loader, node: yaml.Node) -> Any:
        try:
            value = construct(loader, node)
        except (ValueError, OverflowError) as exc:
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            raise yaml.MarkedYAMLError(
                None, None, f"{what} '{shown}' cannot be read: {exc}", node.start_mark
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"{node.value}: infinite or not-a-number values are not allowed",
                node.start_mark,
            )
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and abs(value) > MAX_NUMBER
        ):
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"number {node.value} is out of range (at most 1e15)",
                node.start_mark,
            )
        if isinstance(value, str):
            found = _CONTROL.search(value)
            if found:
                raise yaml.MarkedYAMLError(
                    None,
                    None,
                    f"{describe_control(found.group())} in a value; remove it",
                    node.start_mark,
                )
        return value

    return guarded


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.MarkedYAMLError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in result:
            raise yaml.MarkedYAMLError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
for _tag, _what in (("str", "text"), ("timestamp", "date"), ("int", "number"), ("float", "number")):
    _tag = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_tag, _scalar_guard(_Loader.yaml_constructors[_tag], _what))


class _Unusual(Exception):
    """The document uses a feature the fast builder leaves to the full loader."""


_PLAIN_TAGS = {
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
}


class _Builder:
    """Build the data straight from libyaml's parser events.

    The same result as composing nodes and constructing them, about ten times faster on
    a large overlay (0.5 s instead of 6 s for 14,000 offerings): the node tree, and a
    Python resolver call per scalar, are skipped
    (tags of repeated plain scalars are cached). Nothing recurses, so deep nesting is
    refused at MAX_DEPTH with its line. Explicit collection tags and merge keys
    (``<<``) raise :class:`_Unusual` and go to the full loader.
    """

    def __init__(self) -> None:
        self.loader = _Loader("")
        self.plain: dict[str, tuple[str, Any]] = {}

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        plain = event.implicit[0] and event.tag in (None, "!")
        if plain:
            cached = self.plain.get(event.value)
            if cached is not None:
                return cached[1]
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        constructor = self.loader.yaml_constructors.get(tag)
        if constructor is None or tag == "tag:yaml.org,2002:merge":
            raise _Unusual
        # The C parser has its own Mark class, which the type stubs do not accept here.
        node = yaml.ScalarNode(
            tag,
            event.value,
            event.start_mark,  # type: ignore[arg-type]
            event.end_mark,  # type: ignore[arg-type]
            event.style,
        )
        value = constructor(self.loader, node)
        if plain:
            self.plain[event.value] = (tag, value)
        return value

    def build(self, text: str) -> Any:
        parser = _Loader(text)
        try:
            return self._events(parser)
        finally:
            parser.dispose()

    def _events(self, parser: _Loader) -> Any:
        # Hot loop (one pass per event of a 4 MB overlay): names are bound locally and
        # repeated plain scalars come from the cache without a method call.
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        cache, get_event, add = self.plain, parser.get_event, self._add
        stack: list[Any] = []  # open collections
        keys: list[Any] = []  # per open mapping, the key waiting for its value
        root: Any = None
        documents = 0
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is scalar_event:
                cached = cache.get(event.value) if event.implicit[0] and event.tag is None else None
                value = cached[1] if cached is not None else self.scalar(event)
            elif kind is map_start or kind is seq_start:
                if event.tag not in (None, "!") and event.tag not in _PLAIN_TAGS:
                    raise _Unusual
                if len(stack) >= MAX_DEPTH:
                    raise yaml.MarkedYAMLError(
                        None,
                        None,
                        f"lists and mappings nest deeper than {MAX_DEPTH} levels",
                        event.start_mark,
                    )
                value = LineDict() if kind is map_start else LineList()
                value.line = event.start_mark.line + 1
                value.lines = {} if kind is map_start else []
            elif kind in ends:
                stack.pop()
                keys.pop()
                continue
            elif kind is alias_event:
                raise yaml.MarkedYAMLError(
                    None, None, "anchors and aliases (*name) are not allowed", event.start_mark
                )
            else:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise yaml.MarkedYAMLError(
                            None,
                            None,
                            "expected one document, found a second (---)",
                            event.start_mark,
                        )
                continue
            if stack:
                add(stack[-1], keys, value, event.start_mark)
            else:
                root = value
            if kind is not scalar_event:
                stack.append(value)
                keys.append(_NO_KEY)
        return root

    @staticmethod
    def _add(parent: Any, keys: list[Any], value: Any, mark: Any) -> None:
        if isinstance(parent, LineList):
            parent.append(value)
            parent.lines.append(mark.line + 1)
            return
        key = keys[-1]
        if key is _NO_KEY:
            if isinstance(value, LineDict | LineList):
                raise yaml.MarkedYAMLError(None, None, "a mapping key must be a plain value", mark)
            try:
                hash(value)
            except TypeError:
                raise yaml.MarkedYAMLError(
                    None, None, "a mapping key must be a plain value", mark
                ) from None
            if value in parent:
                raise yaml.MarkedYAMLError(None, None, f"duplicate key '{value}'", mark)
            keys[-1] = value
            parent.lines[value] = mark.line + 1
        else:
            parent[key] = value
            keys[-1] = _NO_KEY


_NO_KEY = object()


def load_yaml(path: str | Path, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Read one YAML document safely; raise :class:`InputError` with file and line."""
    data = read_bytes(path, max_bytes=max_bytes, what="YAML file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("file is not valid UTF-8 text", file=path, line=line) from None
    return parse_yaml(text, path)


def _control_line(text: str, path: str | Path) -> None:
    """Refuse raw control characters with their line; the YAML reader names only an
    offset into "<unicode string>", on two lines."""
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise InputError(
            f"{describe_control(found.group())} is not allowed in a YAML file",
            file=path,
            line=line,
            hint="remove it, or write it as an escape in a quoted string if it is meant",
        )


def _deep_line(text: str) -> int | None:
    """The line where nesting first passes MAX_DEPTH, found with the (iterative) parser."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _marked(exc: yaml.MarkedYAMLError, path: str | Path) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or exc.context or "invalid YAML"
    return InputError(f"invalid YAML: {problem}", file=path, line=line)


def parse_yaml(text: str, path: str | Path = "<string>") -> Any:
    """Parse YAML text (one document) with the same rules as :func:`load_yaml`."""
    _control_line(text.removeprefix("\ufeff"), path)
    try:
        return _Builder().build(text)
    except _Unusual:
        pass  # explicit tags or merge keys: the full loader below reads them
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, path) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=path) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _reject_aliases(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, path) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=path) from None
    except RecursionError:
        raise InputError(
            f"invalid YAML: lists and mappings nest deeper than {MAX_DEPTH} levels",
            file=path,
            line=_deep_line(text),
        ) from None
    finally:
        loader.dispose()
    return data


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest node of ``loc`` that the raw YAML data still has."""
    best = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            best = node.lines.get(part, best)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.lines[part]
            node = node[part]
        else:
            break
        inner = getattr(node, "line", None)
        if inner and not isinstance(node, LineDict | LineList):
            best = inner
    return best


def header_comments(text: str) -> list[str]:
    """The comment (and blank) lines at the top of a YAML file, to keep when rewriting it."""
    lines = []
    for line in text.splitlines():
        if line.strip() == "" or line.lstrip().startswith("#"):
            lines.append(line)
        else:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
