"""`kb diff A B`: facts added, removed and changed between two knowledge folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURE_KB = Path(__file__).resolve().parent / "data" / "kb"

SOURCE = {"id": "s", "title": "S", "url": "https://example.com/s"}
OLD = {
    "sources": [SOURCE],
    "offerings": [
        {"id": "p/a", "provider": "p", "model": "a", "price": {"input": 1, "output": 2.0},
         "regions": ["us"], "source": "s", "as_of": "2026-01-01"},
        {"id": "p/gone", "provider": "p", "model": "gone", "price": {"input": 1, "output": 1},
         "source": "s", "as_of": "2026-01-01"},
    ],
    "providers": [
        {"id": "p", "name": "P", "vendor": "P", "kind": "model-vendor",
         "compliance": {"hipaa_baa": False, "retention_days": 30}, "source": "s", "as_of": "2026-01-01"},
    ],
}  # fmt: skip
NEW = {
    "sources": [SOURCE],
    "offerings": [
        # input 1 -> 1.0 is no change; output 2.0 -> 2.5 is; regions gains eu; cached added.
        {"id": "p/a", "provider": "p", "model": "a", "price": {"input": 1.0, "output": 2.5, "cached_input": 0.1},
         "regions": ["us", "eu"], "source": "s", "as_of": "2026-06-01",
         "provenance": {"price.output": {"source": "s2", "as_of": "2026-06-02"}}},
        {"id": "p/new", "provider": "p", "model": "new", "price": {"input": 3, "output": 4},
         "source": "s", "as_of": "2026-06-01"},
    ],
    "providers": [
        # hipaa_baa false -> true; retention_days 30 stays; a `true` never equals a `1`.
        {"id": "p", "name": "P", "vendor": "P", "kind": "model-vendor",
         "compliance": {"hipaa_baa": True, "retention_days": 30.0}, "source": "s", "as_of": "2026-01-01"},
    ],
}  # fmt: skip

EXPECTED = {
    ("changed", "providers", "p", "compliance.hipaa_baa", False, True),
    ("added", "offerings", "p/a", "price.cached_input", None, 0.1),
    ("changed", "offerings", "p/a", "price.output", 2.0, 2.5),
    ("changed", "offerings", "p/a", "regions", ("us",), ("us", "eu")),
    ("removed", "offerings", "p/gone", "model", "gone", None),
    ("removed", "offerings", "p/gone", "price.input", 1, None),
    ("removed", "offerings", "p/gone", "price.output", 1, None),
    ("removed", "offerings", "p/gone", "provider", "p", None),
    ("added", "offerings", "p/new", "model", None, "new"),
    ("added", "offerings", "p/new", "price.input", None, 3),
    ("added", "offerings", "p/new", "price.output", None, 4),
    ("added", "offerings", "p/new", "provider", None, "p"),
}
MIRROR = {"added": "removed", "removed": "added", "changed": "changed"}


@pytest.fixture
def cli(run_cli):
    return run_cli


@pytest.fixture
def folders(write_tree, tmp_path) -> tuple[Path, Path]:
    write_tree({"old/kb.yaml": OLD, "new/kb.yaml": NEW})
    return tmp_path / "old", tmp_path / "new"


def _key(row: dict) -> tuple:
    def freeze(v):
        return tuple(v) if isinstance(v, list) else v

    return (
        row["change"],
        row["kind"],
        row["id"],
        row["field"],
        freeze(row["old"]),
        freeze(row["new"]),
    )


def test_diff_is_exact(cli, folders):
    old, new = folders
    code, out, err = cli("kb", "diff", str(old), str(new), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert {_key(r) for r in result["changes"]} == EXPECTED
    assert len(result["changes"]) == len(EXPECTED)
    assert result["counts"] == {"added": 5, "removed": 4, "changed": 3}


def test_diff_is_exact_the_other_way(cli, folders):
    old, new = folders
    code, out, _ = cli("kb", "diff", str(new), str(old), "--format", "json")
    assert code == 0
    mirrored = {(MIRROR[c], k, i, f, n, o) for c, k, i, f, o, n in EXPECTED}
    assert {_key(r) for r in json.loads(out)["changes"]} == mirrored


def test_provenance_and_dates_travel_with_each_fact(cli, folders):
    old, new = folders
    _, out, _ = cli("kb", "diff", str(old), str(new), "--format", "json")
    row = next(r for r in json.loads(out)["changes"] if r["field"] == "price.output")
    assert (row["old_source"], row["old_as_of"]) == ("s", "2026-01-01")
    assert (row["new_source"], row["new_as_of"]) == ("s2", "2026-06-02")


def test_provenance_only_changes_are_listed_on_request(cli, folders):
    old, new = folders
    _, out, _ = cli("kb", "diff", str(old), str(new), "--format", "json", "--provenance")
    result = json.loads(out)
    resourced = {(r["id"], r["field"]) for r in result["changes"] if r["change"] == "resourced"}
    # p/a was re-checked on 2026-06-01: its unchanged input, model, provider and regions moved date.
    assert resourced == {("p/a", "model"), ("p/a", "provider"), ("p/a", "price.input")}
    assert result["counts"]["resourced"] == 3


def test_a_folder_against_itself_has_no_differences(cli):
    code, out, err = cli("kb", "diff", str(FIXTURE_KB), str(FIXTURE_KB), "--exit-code")
    assert code == 0
    assert out == ""
    assert err == "0 added, 0 removed, 0 changed.\n"


def test_the_table_and_the_exit_code(cli, folders):
    old, new = folders
    code, out, err = cli("kb", "diff", str(old), str(new), "--exit-code")
    assert code == 1
    line = next(line for line in out.splitlines() if "price.output" in line)
    assert "changed" in line and "offerings p/a" in line and "2.5" in line
    assert err == "5 added, 4 removed, 3 changed.\n"


def test_two_single_files_can_be_compared(cli, folders):
    old, new = folders
    code, out, _ = cli("kb", "diff", str(old / "kb.yaml"), str(new / "kb.yaml"), "--format", "json")
    assert code == 0
    assert len(json.loads(out)["changes"]) == len(EXPECTED)


def test_a_missing_folder_is_an_input_error(cli, folders):
    old, _ = folders
    code, _, err = cli("kb", "diff", str(old), "nowhere")
    assert code == 2
    assert err == "Error: nowhere: folder not found\n"


def test_a_duplicate_record_is_refused(cli, write_tree, tmp_path):
    record = {"id": "x", "title": "X", "url": "https://example.com"}
    write_tree(
        {"a/one.yaml": {"sources": [record]}, "a/two.yaml": {"sources": [record]}, "b/k.yaml": {}}
    )
    code, _, err = cli("kb", "diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 2
    assert "two.yaml:2: duplicate sources id 'x'" in err
    assert "first defined at" in err


def test_an_unknown_section_is_refused(cli, write_tree, tmp_path):
    write_tree({"a/k.yaml": {"modles": []}, "b/k.yaml": {}})
    code, _, err = cli("kb", "diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 2
    assert "unknown section 'modles' (did you mean 'models'?)" in err


def test_a_sync_overlay_diffs_against_its_previous_run(tmp_path):
    """Two overlays (say, this month's and last month's price sync) compare directly."""
    from llmchoose.kb.kbsync.diff import diff_facts, read_facts

    (tmp_path / "a.yaml").write_text(
        "offerings:\n  - {id: o/m, price: {input: 1.0}, source: gp-1, as_of: 2026-10-01}\n"
    )
    (tmp_path / "b.yaml").write_text(
        "offerings:\n  - {id: o/m, price: {input: 1.1}, source: gp-2, as_of: 2026-11-01}\n"
    )
    rows = diff_facts(read_facts(tmp_path / "a.yaml"), read_facts(tmp_path / "b.yaml"))
    assert [(r["id"], r["field"], r["old"], r["new"], r["new_source"]) for r in rows] == [
        ("o/m", "price.input", 1.0, 1.1, "gp-2")
    ]
