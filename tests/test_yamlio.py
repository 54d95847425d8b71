"""Safe YAML reading: refusals, line numbers, size limits, atomic writes."""

from __future__ import annotations

import pytest

from llmchoose.errors import InputError
from llmchoose.yamlio import atomic_write, line_of, load_yaml, parse_yaml


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
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]
