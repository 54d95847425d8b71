"""Safe YAML reading: refusals, line numbers, size limits, atomic writes."""

from __future__ import annotations

import os

import pytest

from llmchoose.errors import InputError
from llmchoose.loading.yamlio import atomic_write, line_of, load_yaml, parse_yaml, read_bytes


def test_line_numbers_of_keys_and_items():
    data = parse_yaml("a: 1\nb:\n  - x: 2\n    y: 3\n  - x: 4\n")
    assert line_of(data, ("a",)) == 1
    assert line_of(data, ("b", 0, "y")) == 4
    assert line_of(data, ("b", 1)) == 5
    # A path that goes past the data stops at the deepest node that exists.
    assert line_of(data, ("b", 1, "missing")) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a: [1, 2\n", "invalid YAML"),
        ("x: !!python/object/apply:os.system [ls]\n", "could not determine a constructor"),
    ],
)
def test_refused_documents_name_the_line(text, expected):
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "f.yaml")
    assert expected in str(caught.value)
    assert caught.value.file == "f.yaml"
    assert caught.value.line is not None


def test_billion_laughs_is_refused_before_expansion():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    with pytest.raises(InputError, match="aliases"):
        parse_yaml(bomb, "bomb.yaml")


def test_huge_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(InputError, match="the limit is 1,000"):
        load_yaml(path, max_bytes=1000)


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_yaml(tmp_path / "nope.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid UTF-8"):
        load_yaml(bad)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out" / "file.txt"
    atomic_write(target, "first")
    atomic_write(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_atomic_write_failure_keeps_old_content(tmp_path, monkeypatch):
    target = tmp_path / "file.txt"
    target.write_text("old")

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("pathlib.Path.replace", broken)
    with pytest.raises(InputError, match="cannot write: disk full"):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


# --- hardening: values no reader can hold, unreadable files, output paths ---------------


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("a: 1\nwhen: 2026-02-30\n", 2, "date '2026-02-30' cannot be read"),
        ("a: 1\nwhen: 2026-13-01\n", 2, "date '2026-13-01' cannot be read"),
        ("n: " + "9" * 5000 + "\n", 1, "number '999"),
        ('a:\n  b: "x\\ey"\n', 2, "control character ESC (U+001B) in a value"),
        ('a:\n  b: "\\0"\n', 2, "control character NUL (U+0000) in a value"),
    ],
)
def test_values_python_cannot_hold_are_input_errors_with_line(text, line, expected):
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "f.yaml")
    assert expected in caught.value.message
    assert caught.value.line == line


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 250 + "]" * 250 + "\n",
        "a: " + "{b: " * 600 + "1" + "}" * 600 + "\n",
        "".join("  " * depth + f"k{depth}:\n" for depth in range(900)) + "  " * 900 + "v: 1\n",
    ],
    ids=["flow-lists", "flow-maps", "block-maps"],
)
def test_deep_nesting_is_refused_with_a_line(text):
    with pytest.raises(InputError, match="nest deeper than 64 levels") as caught:
        parse_yaml(text, "deep.yaml")
    assert caught.value.line is not None


@pytest.mark.parametrize(("raw", "name"), [("\x00", "NUL"), ("\x1b", "ESC")])
def test_raw_control_character_gives_one_line_with_its_line_number(raw, name):
    with pytest.raises(InputError) as caught:
        parse_yaml(f"a: 1\nb: 2\nname: x{raw}y\n", "f.yaml")
    assert str(caught.value).count("\n") == 0
    assert caught.value.line == 3
    assert f"control character {name}" in caught.value.message
    assert "<unicode string>" not in str(caught.value)


def test_fifo_and_device_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="device, pipe or socket"):
        load_yaml(fifo)
    with pytest.raises(InputError, match="device, pipe or socket"):
        load_yaml("/dev/zero")


def test_read_bytes_limits_size(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"x" * 11)
    assert read_bytes(path, max_bytes=11) == b"x" * 11
    with pytest.raises(InputError, match="the limit is 10"):
        read_bytes(path, max_bytes=10)


def test_write_into_a_file_as_folder_is_an_input_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        atomic_write(tmp_path / "afile" / "r.md", "text")


def test_write_onto_a_folder_is_an_input_error(tmp_path):
    (tmp_path / "somedir").mkdir()
    with pytest.raises(InputError, match="found a folder"):
        atomic_write(tmp_path / "somedir", "text")
    assert list((tmp_path / "somedir").iterdir()) == []


def test_write_where_no_folder_can_be_made_is_an_input_error():
    with pytest.raises(InputError, match="cannot create the folder"):
        atomic_write("/proc/llmchoose-none/y.json", "{}")


def test_write_through_a_symlink_updates_its_target(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    written = atomic_write(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"
    assert written == target.resolve()


def test_yaml_that_would_not_read_back_is_not_written(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("a: 1\n")
    with pytest.raises(InputError, match="invalid Unicode character escape"):
        atomic_write(path, 'by: "\\uDCFF"\n')
    with pytest.raises(InputError, match="too long"):
        atomic_write(path, "a: 2\n", check=lambda text: _refuse("too long"))
    assert path.read_text() == "a: 1\n"


def _refuse(message):
    raise InputError(message)


def _full_loader(text):
    """The node-composing loader the fast builder must agree with."""
    from llmchoose.loading.yamlio import _Loader

    loader = _Loader(text)
    try:
        return loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (a.line, a.lines, list(a)) == (b.line, b.lines, list(b)) and all(
            _same(a[k], b[k]) for k in a
        )
    if isinstance(a, list):
        return (a.line, a.lines, len(a)) == (b.line, b.lines, len(b)) and all(
            _same(x, y) for x, y in zip(a, b, strict=True)
        )
    return a == b


def test_fast_builder_gives_what_the_full_loader_gives_on_the_shipped_files():
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    files = sorted((repo / "knowledge").rglob("*.yaml")) + sorted(
        (repo / "criteria").glob("*.yaml")
    )
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _same(parse_yaml(text, path), _full_loader(text)), path


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 12\nb: !!float 1\nc: [yes, no, ~, 0x1f, 1_000, 2026-01-02, '3']\n",
        "base: {x: 1}\nchild:\n  <<: {x: 2, y: 3}\n  z: 4\n",
        "s: !!set {a, b}\n",
        "",
    ],
    ids=["scalar-tags", "merge-key", "set", "empty"],
)
def test_tags_and_merge_keys_read_as_the_full_loader_reads_them(text):
    assert _same(parse_yaml(text), _full_loader(text) if text else None)
