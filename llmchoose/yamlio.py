"""Safe YAML reading that remembers line numbers, and atomic file writing.

Only ``yaml.SafeLoader`` is used. On top of it this module refuses what a data file
never needs and an attacker would use: anchors/aliases (the "billion laughs" bomb),
duplicate keys (PyYAML silently keeps the last), and files above a size limit.
Mappings and lists come back as :class:`LineDict` / :class:`LineList`, which carry the
line of each key or item so that schema errors can point at ``file:line``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from llmchoose.errors import InputError

__all__ = [
    "MAX_YAML_BYTES",
    "LineDict",
    "LineList",
    "atomic_write",
    "header_comments",
    "line_of",
    "load_yaml",
]

MAX_YAML_BYTES = 4 * 1024 * 1024


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
    """Refuse any node reached twice: that is what an alias (*name) makes.

    Composing shares aliased nodes instead of copying them, so this check runs before a
    "billion laughs" document could expand.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases (*name) are not allowed", node.start_mark
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


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


def load_yaml(path: str | Path, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Read one YAML document safely; raise :class:`InputError` with file and line."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=path) from None
    if path.is_dir():
        raise InputError("expected a YAML file, found a folder", file=path)
    if size > max_bytes:
        raise InputError(
            f"file is {size:,} bytes; the limit is {max_bytes:,}",
            file=path,
            hint="split it into several files",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("file is not valid UTF-8 text", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=path) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: str | Path = "<string>") -> Any:
    """Parse YAML text (one document) with the same rules as :func:`load_yaml`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _reject_aliases(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"invalid YAML: {problem}", file=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=path) from None
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


def atomic_write(path: str | Path, text: str | bytes) -> Path:
    """Write a file so that readers see the old or the new content, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file owner-only; give it the mode a plain open() would
        # (or keep the mode of the file being replaced) so teammates can read it.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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
