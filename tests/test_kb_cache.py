"""The knowledge base comes from the cache only when its files are unchanged, and then it
is the same catalogue in every way the program uses."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cachehelp import counting_cache
from pydantic import BaseModel

import llmchoose.loading.knowledge as knowledge
from llmchoose import cachefiles
from llmchoose.loading.catalog import Catalog, Origin
from llmchoose.loading.jsonrecords import NotCacheable, RecordCodec
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors
from llmchoose.schemas import common
from llmchoose.schemas.common import Provenance

FIXTURE_KB = Path(__file__).parent / "data" / "kb"

OVERLAY = {
    "ours/internal.yaml": {
        "sources": [
            {"id": "platform-team", "title": "Platform sheet", "url": "https://intranet.example.com/llm"}
        ],
        "offerings": [
            {"id": "api-co/big-closed", "price": {"input": 0.5}, "source": "platform-team", "as_of": "2026-11-02"},
        ],
    }
}  # fmt: skip


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """The cache on, in this test's own folder; counts the YAML files parsed."""
    return counting_cache(monkeypatch, tmp_path, knowledge, "knowledge")


def shape(value: Any) -> Any:
    """Everything about a value the program could see: types, which fields were set
    (``exclude_unset`` dumps read that), and values, recursively."""
    if isinstance(value, BaseModel):
        return (
            type(value).__name__,
            sorted(value.model_fields_set),
            {name: shape(inner) for name, inner in value.__dict__.items()},
            value.__pydantic_extra__,
            value.__pydantic_private__,
        )
    if isinstance(value, dict):
        return (type(value).__name__, [(shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [shape(v) for v in value])
    return (type(value).__name__, repr(value))


def assert_same_catalog(cached: Catalog, fresh: Catalog) -> None:
    assert cached.layers == fresh.layers
    for kind in Catalog.KINDS:
        # The same records in the same order: tables are iterated, not only looked up.
        assert list(getattr(cached, kind)) == list(getattr(fresh, kind)), kind
        for record_id, record in getattr(fresh, kind).items():
            mine = getattr(cached, kind)[record_id]
            assert mine == record and shape(mine) == shape(record), (kind, record_id)
    assert list(cached.origins.items()) == list(fresh.origins.items())
    assert list(cached.overridden.items()) == list(fresh.overridden.items())
    assert cached.content_key == fresh.content_key is not None


def test_the_built_in_knowledge_base_from_the_cache_is_the_same(cache):
    folder, parsed = cache
    fresh = load_catalog()
    files_parsed = len(parsed)
    assert files_parsed > 0 and len(list(folder.glob("*.json"))) == 1
    cached = load_catalog()
    assert len(parsed) == files_parsed  # nothing parsed the second time
    assert_same_catalog(cached, fresh)


def test_an_overlay_from_the_cache_keeps_every_origin_and_provenance(cache, write_tree, tmp_path):
    _, parsed = cache
    write_tree(OVERLAY)
    layers = [FIXTURE_KB, tmp_path / "ours"]
    fresh = load_catalog(layers=layers)
    assert fresh.overridden[("offerings", "api-co/big-closed")]  # the overlay merged
    cached = load_catalog(layers=layers)
    assert len(parsed) == 2
    assert_same_catalog(cached, fresh)
    offering = cached.offerings["api-co/big-closed"]
    assert offering.price.input == 0.5
    assert offering.provenance_of("price.input").source == "platform-team"
    assert offering.provenance_of("price.output").source == "fixture"
    overlay = tmp_path / "ours" / "internal.yaml"
    line = overlay.read_text(encoding="utf-8").splitlines().index("- id: api-co/big-closed") + 1
    assert cached.origins[("offerings", "api-co/big-closed")] == Origin(
        file=overlay, line=line, layer=1
    )


def test_any_changed_file_is_parsed_again(cache, write_tree, tmp_path):
    folder, parsed = cache
    write_tree(OVERLAY)
    layers = [FIXTURE_KB, tmp_path / "ours"]
    first = load_catalog(layers=layers)
    overlay = tmp_path / "ours" / "internal.yaml"
    overlay.write_text(overlay.read_text().replace("0.5", "0.25"), encoding="utf-8")
    second = load_catalog(layers=layers)
    assert second.offerings["api-co/big-closed"].price.input == 0.25
    assert len(parsed) == 4
    (tmp_path / "ours" / "more.yaml").write_text("sources: []\n", encoding="utf-8")
    third = load_catalog(layers=layers)  # a new file, however empty
    assert len(parsed) == 7
    keys = {first.content_key, second.content_key, third.content_key}
    assert len(keys) == 3 and len(list(folder.glob("*.json"))) == 3


def test_the_same_files_in_other_layers_have_another_key(cache, write_tree, tmp_path):
    write_tree(OVERLAY)
    alone = load_catalog(layers=[FIXTURE_KB])
    overlaid = load_catalog(layers=[FIXTURE_KB, tmp_path / "ours"])
    assert alone.content_key != overlaid.content_key
    assert load_catalog(layers=[FIXTURE_KB]).content_key == alone.content_key


def test_a_folder_named_another_way_keeps_the_name_it_was_given(
    cache, write_tree, tmp_path, monkeypatch
):
    write_tree(OVERLAY)
    monkeypatch.chdir(tmp_path)
    absolute = load_catalog(layers=[FIXTURE_KB, tmp_path / "ours"])
    relative = load_catalog(layers=[FIXTURE_KB, Path("ours")])
    assert relative.origins[("sources", "platform-team")].file == Path("ours/internal.yaml")
    assert absolute.origins[("sources", "platform-team")].file == tmp_path / "ours/internal.yaml"
    assert relative.content_key != absolute.content_key


def test_a_knowledge_base_with_errors_is_reported_every_time_and_never_cached(
    cache, write_tree, tmp_path
):
    folder, _ = cache
    write_tree({"bad/x.yaml": "models:\n  - id: m\n    source: s\n    as_of: 2026-01-01\n"})
    for _ in range(2):
        with pytest.raises(KnowledgeErrors) as caught:
            load_catalog(layers=[FIXTURE_KB, tmp_path / "bad"])
        first = caught.value.errors[0]
        assert Path(first.file) == tmp_path / "bad" / "x.yaml" and first.line == 2
    assert not folder.exists() or not list(folder.glob("*.json"))


def _edit_records(change):
    def edit(text: str) -> str:
        entry = json.loads(text)
        records = json.loads(entry["records"])
        change(records)
        entry["records"] = json.dumps(records)
        return json.dumps(entry)

    return edit


def _edit_entry(change):
    def edit(text: str) -> str:
        entry = json.loads(text)
        change(entry)
        return json.dumps(entry)

    return edit


def _first_model(records: list) -> dict:
    return next(r[1] for r in records if r[0] == "models")


DAMAGE = {
    "cut": lambda text: text[: len(text) // 2],
    "not-a-mapping": lambda text: "[1, 2, 3]",
    "format": _edit_entry(lambda e: e.update(format=99)),
    "kind": _edit_entry(lambda e: e.update(kind="criteria")),
    "file-name": _edit_entry(lambda e: e["files"].insert(0, 7)),
    "records-not-text": _edit_entry(lambda e: e.update(records=[])),
    "plain-record": _edit_records(lambda r: r.insert(0, ["models", {"id": "x"}, [0, 1, 0], []])),
    "unknown-kind": _edit_records(lambda r: r[0].__setitem__(0, "nothing")),
    "record-of-another-kind": _edit_records(lambda r: r[0].__setitem__(0, "offerings")),
    "unknown-class": _edit_records(lambda r: _first_model(r).update({"$m": "Nothing"})),
    "missing-field": _edit_records(lambda r: _first_model(r)["f"].pop("name")),
    "extra-field": _edit_records(lambda r: _first_model(r)["f"].update(colour="red")),
    "bad-date": _edit_records(lambda r: _first_model(r)["f"].update(as_of={"$date": "soon"})),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_or_foreign_entry_is_ignored(cache, damage):
    folder, parsed = cache
    fresh = load_catalog(layers=[FIXTURE_KB])
    entry = next(folder.glob("*.json"))
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    again = load_catalog(layers=[FIXTURE_KB])
    assert len(parsed) == 2  # parsed anew
    assert_same_catalog(again, fresh)
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == fresh.content_key  # replaced


def test_an_entry_under_another_key_is_not_used(cache, write_tree, tmp_path):
    folder, parsed = cache
    write_tree(OVERLAY)
    load_catalog(layers=[FIXTURE_KB])
    overlaid = load_catalog(layers=[FIXTURE_KB, tmp_path / "ours"])
    entries = {p.stem: p for p in folder.glob("*.json")}
    alone = next(p for k, p in entries.items() if k != overlaid.content_key)
    entries[overlaid.content_key].write_bytes(alone.read_bytes())  # a foreign entry
    again = load_catalog(layers=[FIXTURE_KB, tmp_path / "ours"])
    assert "platform-team" in again.sources and len(parsed) == 5


def test_no_cache_writes_nothing_but_still_names_the_contents(cache, monkeypatch):
    folder, parsed = cache
    monkeypatch.setenv("LLMCHOOSE_NO_CACHE", "1")
    first = load_catalog(layers=[FIXTURE_KB])
    second = load_catalog(layers=[FIXTURE_KB])
    assert len(parsed) == 2 and not folder.exists()
    assert first.content_key == second.content_key
    assert len(first.content_key) == 64


def test_values_go_to_json_and_back_with_their_types():
    codec = RecordCodec([common])
    value = {
        "as_of": dt.date(2026, 1, 2),
        "items": [1, 1.0, -0.0, True, None, "text"],
        "provenance": Provenance(source="s", as_of=dt.date(2026, 1, 3)),
    }
    back = codec.decode(json.dumps(codec.encode(value)))
    assert shape(back) == shape(value)
    assert back["provenance"].model_fields_set == {"source", "as_of"}


@pytest.mark.parametrize(
    "value",
    [
        {1: "a number as a key"},
        {"at": dt.datetime(2026, 1, 2, 3, 4)},
        {"$date": "2026-01-02"},
        (1, 2),
        Origin(file=Path("x"), line=1, layer=0),
    ],
    ids=["number-key", "timestamp", "tag-lookalike", "tuple", "other-class"],
)
def test_values_json_cannot_give_back_exactly_are_refused(value):
    with pytest.raises(NotCacheable):
        RecordCodec([common]).encode({"nested": [value]})


def test_a_model_of_a_class_the_reader_was_not_given_is_refused():
    with pytest.raises(NotCacheable):
        RecordCodec([]).encode(Provenance(source="s", as_of=dt.date(2026, 1, 3)))


def test_a_catalogue_edited_or_copied_after_loading_has_no_key():
    loaded = load_catalog(layers=[FIXTURE_KB])
    key = loaded.content_key
    assert key is not None
    assert Catalog().content_key is None
    assert copy.deepcopy(loaded).content_key is None
    assert copy.copy(loaded).content_key is None
    assert loaded.content_key == key  # copying leaves the original alone

    model = loaded.models["open-8b"]
    loaded.models["open-8b"] = model.model_copy(update={"context_window": 1})
    assert loaded.content_key is None
    loaded.models["open-8b"] = model  # put back: still edited, to be safe
    assert loaded.content_key is None

    origin = loaded.origins[("models", "open-8b")]
    for edit in (
        lambda c: c.origins.__setitem__(("models", "open-8b"), origin),
        lambda c: c.offerings.pop("api-co/big-closed"),
        lambda c: c.offerings.update({}),
        lambda c: c.runtimes.clear(),
        lambda c: c.hardware.setdefault("new", None),
        lambda c: c.sources.__ior__({}),
        lambda c: c.quantizations.popitem(),
        lambda c: setattr(c, "assumptions", dict(c.assumptions)),
        lambda c: c.layers.append(Path("more")),
        lambda c: setattr(c, "layers", [*c.layers]),
    ):
        edited = load_catalog(layers=[FIXTURE_KB])
        assert edited.content_key == key
        edit(edited)
        assert edited.content_key is None

    added = load_catalog(layers=[FIXTURE_KB])
    added.add("models", model.model_copy(update={"id": "copy-8b"}), origin)
    assert added.content_key is None

    removed = load_catalog(layers=[FIXTURE_KB])
    del removed.offerings["api-co/big-closed"]
    assert removed.content_key is None


def test_a_copy_starts_without_what_was_remembered_about_the_original():
    """Results kept on a catalogue (the engine keeps some) describe the original, not an
    edited copy."""
    loaded = load_catalog(layers=[FIXTURE_KB])
    loaded._remembered = {"open-8b": 1.0}  # type: ignore[attr-defined]
    for copied in (copy.copy(loaded), copy.deepcopy(loaded)):
        assert not hasattr(copied, "_remembered")
        assert list(copied.models) == list(loaded.models)
        assert copied.origins == loaded.origins


def test_other_code_reading_the_same_files_gives_another_key(monkeypatch):
    before = load_catalog(layers=[FIXTURE_KB]).content_key
    monkeypatch.setattr(cachefiles, "_STAMP", b"another version of the code")
    after = load_catalog(layers=[FIXTURE_KB]).content_key
    assert before is not None and after is not None and before != after
