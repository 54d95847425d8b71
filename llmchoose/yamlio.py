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

import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from llmchoose.errors import InputError

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

# C0 and C1 control characters other than tab and newlines, and lone surrogates (text
# that was not valid UTF-8 on the command line). None of them belongs in data, and each
# can corrupt a terminal, an XML report or a Markdown table.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x08: "backspace", 0x0C: "form feed"}


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


def describe_control(char: str) -> str:
    """``ESC (U+001B)``: a control character named the way people search for it."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    if 0xD800 <= code <= 0xDFFF:
        return f"text that is not valid UTF-8 (U+{code:04X})"
    return f"control character {name + ' ' if name else ''}(U+{code:04X})"


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
for _tag, _what in (("str", "text"), ("timestamp", "date"), ("int", "number")):
    _tag = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_tag, _scalar_guard(_Loader.yaml_constructors[_tag], _what))


def read_bytes(path: str | Path, *, max_bytes: int, what: str = "file") -> bytes:
    """Read a regular file of at most ``max_bytes``, or raise a clear :class:`InputError`.

    FIFOs, devices and sockets are refused before opening (a FIFO would block forever,
    ``/dev/zero`` never ends), and at most ``max_bytes + 1`` bytes are read so a file
    that grows after the check cannot exhaust memory either.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"expected a {what}, found a folder", file=path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"expected a {what}, found a device, pipe or socket", file=path)
    if info.st_size > max_bytes:
        raise InputError(
            f"file is {info.st_size:,} bytes; the limit is {max_bytes:,}",
            file=path,
            hint="split it into several files" if what == "YAML file" else None,
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=path) from None
    if len(data) > max_bytes:
        raise InputError(f"file grew past the limit of {max_bytes:,} bytes", file=path)
    return data


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
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def parse_yaml(text: str, path: str | Path = "<string>") -> Any:
    """Parse YAML text (one document) with the same rules as :func:`load_yaml`."""
    _control_line(text.removeprefix("\ufeff"), path)
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


def _writable_target(path: Path) -> Path:
    """Where writing ``path`` must go, or an InputError saying why it cannot.

    A symlink is followed so the link stays a link and its target gets the new content
    (replacing the link itself would silently break whatever it pointed at).
    """
    if path.is_symlink():
        path = path.resolve()
    if path.is_dir():
        raise InputError("expected a file to write, found a folder", file=path)
    if path.exists() and not path.is_file():
        raise InputError("expected a regular file to write, found a device or pipe", file=path)
    parent = path.parent
    for folder in (parent, *parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise InputError(f"cannot write here: {folder} is a file, not a folder", file=path)
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder {parent}: {exc.strerror}", file=path) from None
    return path


def atomic_write(
    path: str | Path, text: str | bytes, *, check: Callable[[str], None] | None = None
) -> Path:
    """Write a file so that readers see the old or the new content, never half of it.

    What is written must read back: a ``.yaml`` file is parsed with :func:`parse_yaml`'s
    rules and ``check`` (a reader's validation, raising InputError) runs on the text
    before anything on disk changes. Returns the path actually written (a symlink's target).
    """
    path = _writable_target(Path(path))
    if isinstance(text, str):
        if path.suffix in (".yaml", ".yml"):
            parse_yaml(text, path)
        if check is not None:
            check(text)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"cannot write {describe_control(exc.object[exc.start])}", file=path
            ) from None
    else:
        data = text
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
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
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
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
