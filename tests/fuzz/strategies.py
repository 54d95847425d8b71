"""Hypothesis strategies for hostile llmchoose input: YAML documents (decisions and
knowledge overlays, as data and as raw text) and command lines."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import strategies as st

from llmchoose.loading.criteria import load_criteria

_CRITERIA = load_criteria()
QUESTIONS = {q.id: q for q in _CRITERIA.questions.values()}
FACTORS = [c.id for c in _CRITERIA.criteria]

# Text that has broken (or could break) a renderer or a terminal, which readers accept.
ACCEPTED_TEXT = [
    "[/]", "[/bold]", "[red]x", "[link=file:///etc/passwd]x[/link]", "\t", "\u202e", "\u2028",
    "no", "yes", "off", "on", "~", "null", ".inf", "-.inf", ".nan", "1e308", "1e-400", "0x1F",
    "1_000", "+1", "-0", "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01",
    "<script>alert(1)</script>", "| a | b |", "*emph* _x_ `code`", "# heading", "{{ 7*7 }}",
    "{% raw %}", "&anchor", "*alias", "!!python/object/apply:os.system [ls]",
    "../../etc/passwd", "—", "日本語", " ", "x" * 4100, "é" * 300, "a\nb", "%s%n", "{0}",
    "'", '"', "\\", "Acme [/] [/bold] chat",
]  # fmt: skip
# Control characters: every reader must refuse them with a line, never pass them on.
REFUSED_TEXT = ["", "\x1b[2J", "\x1b]8;;x\x07", "\x00", "\x7f", "\x9b", "\r", "\ufeff"]
HOSTILE_TEXT = ACCEPTED_TEXT + REFUSED_TEXT
HOSTILE_NUMBERS = [
    0, -1, 1, 0.5, -0.0, 1e-300, 1e15, 1e16, 1e308, float("inf"), float("-inf"),
    float("nan"), 10**20, 10**400, 2**63, -(2**63),
]  # fmt: skip
# Lines appended to an otherwise generated YAML document.
HOSTILE_LINES = [
    "when: 2026-02-30", "when: 2026-13-01", "n: " + "9" * 5000, "x: " + "[" * 300 + "]" * 300,
    "x: " + "{a: " * 700 + "1" + "}" * 700, "a: &a [1, 2]\nb: *a", "x: !!python/object/apply:os.system [ls]",
    "x: \x1b[31m", "x: \x00", "x: \"\\e\"", "x: \"\\0\"", "project: 1\nproject: 2", "---\nz: 1",
    "? [a]\n: b", "<<: {a: 1}", "zero_data_retention: no", "x: !!binary aGk=", "s: !!set {a, b}",
    "weights: {cost: .inf}", "weights: {cost: 1e308, privacy: 1e308, quality: 1e308}",
    "\t- tab", "  bad indent: [", "x: |\n  \x1b", "x: \"\\uDCFF\"",
]  # fmt: skip


_PLAIN = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20)


def text() -> st.SearchStrategy[str]:
    """Text a reader accepts but a renderer or terminal might trip on."""
    return st.one_of(
        _PLAIN,
        st.sampled_from(ACCEPTED_TEXT),
        st.builds(str.__add__, st.sampled_from(ACCEPTED_TEXT), _PLAIN),
    )


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30))


def number() -> st.SearchStrategy:
    return st.one_of(
        st.integers(min_value=0, max_value=10_000),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
    )


def hostile_number() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(HOSTILE_NUMBERS), st.floats(allow_nan=True, allow_infinity=True)
    )


def hostile_scalar() -> st.SearchStrategy:
    return st.one_of(
        hostile_text(),
        hostile_number(),
        st.booleans(),
        st.none(),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
        st.lists(st.integers(), max_size=2),
    )


def _leaves(data, path=()):
    if isinstance(data, dict):
        found = [path] if path else []
        for key, value in data.items():
            found += _leaves(value, (*path, key))
        return found
    if isinstance(data, list):
        found = [path] if path else []
        for index, value in enumerate(data):
            found += _leaves(value, (*path, index))
        return found
    return [path]


def _replace(data, path, value):
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(copy[path[0]], path[1:], value)
    return copy


def with_hostile_values(data: st.SearchStrategy) -> st.SearchStrategy:
    """Valid-looking data with up to two values (or whole parts) swapped for hostile ones:
    most of a run goes deep, and every part of the document gets its turn."""

    def mutate(value, picks, hostile):
        for pick, bad in zip(picks, hostile, strict=False):
            leaves = _leaves(value)
            if leaves:
                value = _replace(value, leaves[pick % len(leaves)], bad)
        return value

    mutated = st.builds(
        mutate,
        data,
        st.lists(st.integers(0, 10**6), min_size=1, max_size=2),
        st.lists(hostile_scalar(), min_size=2, max_size=2),
    )
    return st.one_of(data, mutated, data)


def scalar() -> st.SearchStrategy:
    return st.one_of(
        text(),
        number(),
        st.booleans(),
        st.none(),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    )


def _answer_value(question) -> st.SearchStrategy:
    good: st.SearchStrategy
    if question.choices:
        values = [c.value for c in question.choices]
        good = (
            st.lists(st.sampled_from(values), max_size=3, unique=True)
            if question.type == "multi"
            else st.sampled_from(values)
        )
    elif question.type == "bool":
        good = st.booleans()
    elif question.min is not None and question.max is not None:
        good = st.floats(min_value=question.min, max_value=question.max, allow_nan=False)
        if question.integer or question.type == "importance":
            good = st.integers(min_value=int(question.min), max_value=int(question.max))
    else:
        good = scalar()
    # Mostly answers a run can use, so the engine and renderers see hostile names too.
    return good


def answers(scope: str | None = None) -> st.SearchStrategy[dict]:
    ids = sorted(q for q, question in QUESTIONS.items() if scope in (None, question.scope))
    return st.dictionaries(st.sampled_from(ids), st.none(), max_size=6).flatmap(
        lambda keys: st.fixed_dictionaries(
            {k: _answer_value(QUESTIONS[k]) if k in QUESTIONS else scalar() for k in keys}
        )
    )


def _choice() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"option": st.sampled_from(["api-co/big-closed", "host-co/open-70b", "api-co/nope"])},
        optional={
            "rationale": text(),
            "decided_by": text(),
            "decided_on": st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
        },
    )


def workload() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "id": st.sampled_from(["chat", "notes", "w"]),
            "name": text(),
        },
        optional={
            "answers": answers("workload"),
            "description": text(),
            "choice": _choice(),
        },
    )


def decision_data() -> st.SearchStrategy[dict]:
    pair = st.fixed_dictionaries(
        {
            "more": st.sampled_from(FACTORS),
            "less": st.sampled_from(FACTORS),
            "by": st.integers(1, 9),
        }
    )
    return st.fixed_dictionaries(
        {
            "version": st.just(1),
            "project": st.fixed_dictionaries({"name": text()}, optional={"organisation": text()}),
            "workloads": st.lists(workload(), min_size=1, max_size=3, unique_by=lambda w: w["id"]),
        },
        optional={
            "answers": answers("project"),
            "weights": st.dictionaries(st.sampled_from(FACTORS), number(), min_size=1, max_size=4),
            "ahp": st.lists(pair, min_size=1, max_size=1).filter(
                lambda p: p[0]["more"] != p[0]["less"]
            ),
            "method": st.sampled_from(["weighted-sum", "topsis"]),
            "policy": st.fixed_dictionaries(
                {},
                optional={
                    "max_rank": st.integers(1, 20),
                    "max_margin": st.floats(0, 1),
                    "severity": st.dictionaries(
                        st.one_of(st.just("LC004"), text()), scalar(), max_size=2
                    ),
                },
            ),
        },
    )


def _dump(data) -> str:
    # Python floats such as inf and nan dump as YAML's .inf / .nan: readers must cope.
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def yaml_text(data: st.SearchStrategy) -> st.SearchStrategy[str]:
    """A document as YAML text: dumped cleanly, with a hostile line, or cut short."""
    dumped = data.map(_dump)
    return st.one_of(
        dumped,
        dumped,
        dumped,
        dumped,
        dumped,
        dumped,
        st.builds(lambda text, line: text + line + "\n", dumped, st.sampled_from(HOSTILE_LINES)),
        st.builds(
            lambda text, cut: text[: max(1, len(text) * cut // 100)], dumped, st.integers(1, 99)
        ),
        st.sampled_from(HOSTILE_LINES),
    )


def overlay_data() -> st.SearchStrategy[dict]:
    """A knowledge overlay: a source, a provider, a model and an offering with hostile facts."""
    price = st.fixed_dictionaries({"input": number(), "output": number()})
    return st.fixed_dictionaries(
        {
            "sources": st.just(
                [{"id": "fz-src", "title": "Fuzz", "url": "https://example.com/fuzz"}]
            ),
            "providers": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.just("fz-prov"),
                        "name": text(),
                        "vendor": text(),
                        "kind": st.sampled_from(["reseller", "model-vendor"]),
                        "regions": st.just(["us"]),
                        "source": st.just("fz-src"),
                        "as_of": st.dates(
                            min_value=dt.date(2000, 1, 1), max_value=dt.date(2026, 11, 30)
                        ),
                    },
                    optional={
                        "compliance": st.fixed_dictionaries(
                            {},
                            optional={
                                "retention_days": number(),
                                "zero_data_retention": st.sampled_from(
                                    ["default", "available", "no"]
                                ),
                            },
                        )
                    },
                ),
                min_size=1,
                max_size=1,
            ),
            "models": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.just("fz-model"),
                        "name": text(),
                        "vendor": text(),
                        "family": st.just("fz"),
                        "open_weights": st.just(False),
                        "licence": st.just({"id": "proprietary", "commercial_use": True}),
                        "source": st.just("fz-src"),
                        "as_of": st.dates(min_value=dt.date(2000, 1, 1)),
                    },
                    optional={
                        "context_window": st.integers(1, 2_000_000),
                        "released": st.dates(
                            min_value=dt.date(2000, 1, 1), max_value=dt.date(2026, 11, 30)
                        ),
                        "retires": st.dates(
                            min_value=dt.date(2027, 1, 1), max_value=dt.date(2030, 1, 1)
                        ),
                        "quality": st.dictionaries(st.just("lmarena-text"), number(), max_size=1),
                    },
                ),
                min_size=1,
                max_size=1,
            ),
            "offerings": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.just("fz-prov/fz-model"),
                        "provider": st.just("fz-prov"),
                        "model": st.just("fz-model"),
                        "regions": st.just(["us"]),
                        "price": price,
                        "source": st.just("fz-src"),
                        "as_of": st.dates(min_value=dt.date(2000, 1, 1)),
                    },
                    optional={"notes": text(), "batch_discount": st.floats(0, 0.99)},
                ),
                min_size=1,
                max_size=1,
            ),
        }
    )


# --- command lines ----------------------------------------------------------------------

NUMBER_ARGS = ["inf", "-inf", "nan", "1e308", "-1", "0", "1", "3", "10", "abc", "", "9" * 30]
PATHS = ["valid.yaml", "input.yaml", "missing.yaml", ".", "afile", "afile/x.yaml", "somedir",
         "/dev/null", "link.yaml", "out.yaml"]  # fmt: skip
DATES = ["2026-11-28", "2026-02-30", "9999-12-31", "0001-01-01", "1989-12-31", "x"]


def _opt(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda value: [name, value]))


def _num(name: str) -> st.SearchStrategy[list[str]]:
    return _opt(name, st.one_of(st.sampled_from(NUMBER_ARGS), st.integers().map(str)))


def _arg_text() -> st.SearchStrategy[str]:
    # Arguments come from a shell: no NUL byte can be in one.
    return text().map(lambda value: value.replace("\x00", ""))


def _join(*parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*parts).map(lambda lists: [arg for part in lists for arg in part])


def command_line(decision: str = "input.yaml") -> st.SearchStrategy[list[str]]:
    """A command line for any llmchoose command, options drawn from hostile values."""
    file = st.one_of(st.just(decision), st.just(decision), st.sampled_from(PATHS))
    out = _opt(
        "-o",
        st.one_of(
            st.sampled_from(
                [
                    "out.yaml",
                    "out.md",
                    "out.json",
                    "r.html",
                    "x.xml",
                    "afile/r.md",
                    "somedir",
                    "link.yaml",
                    "/proc/none/x",
                ]
            ),
            _arg_text(),
        ),
    )
    as_of = _opt("--as-of", st.sampled_from(DATES))
    samples = st.just(["--samples", "20"])
    commands = [
        _join(st.just(["recommend"]), file.map(lambda f: [f]), _num("--top"), samples, as_of,
              _opt("--method", st.sampled_from(["topsis", "weighted-sum", "x"])),
              _opt("-f", st.sampled_from(["json", "table", "xml"]))),
        _join(st.just(["cost"]), st.lists(_arg_text(), max_size=2), _num("--requests-per-day"),
              _num("--input-tokens"), _num("--peak-factor"), _num("--hourly-rate"),
              _num("--cached-share"), _opt("--category", _arg_text()), _opt("-f", st.just("json"))),
        _join(st.just(["check"]), file.map(lambda f: [f]), as_of, out,
              _opt("-f", st.sampled_from(["human", "json", "junit", "github", "sarif"])),
              _opt("--fail-on", st.sampled_from(["error", "never", "x"]))),
        _join(st.just(["decide"]), file.map(lambda f: [f]), _opt("--by", _arg_text()),
              _opt("--rationale", st.one_of(_arg_text(), st.just("r" * 5000))),
              _opt("--choose", _arg_text()), out, as_of,
              st.sampled_from([[], ["--dry-run"], ["--single"], ["--reset"]])),
        _join(st.just(["adr"]), file.map(lambda f: [f]), out, _num("--top"), as_of),
        _join(st.just(["report"]), file.map(lambda f: [f]), out, samples, _num("--top"),
              _opt("-f", st.sampled_from(["md", "html", "json"])), _opt("--template", _arg_text())),
        _join(st.just(["schema"]), st.sampled_from([["knowledge"], ["criteria"], ["decision"], ["x"]]), out),
        _join(st.just(["init", "--defaults", "--no-record", "--force"]), out,
              _opt("--answers", file), _opt("--by", _arg_text())),
        _join(st.just(["questions"]), _opt("-f", st.just("json"))),
        _join(st.just(["kb", "list"]), _opt("--kind", st.one_of(st.sampled_from(["models", "offerings", "providers", "sources"]), _arg_text())),
              _opt("--provider", _arg_text()), _opt("-f", st.just("json"))),
        _join(st.just(["kb", "show"]), st.one_of(st.sampled_from(["api-co", "big-closed", "fixture"]), _arg_text()).map(lambda v: [v])),
        _join(st.just(["kb", "stale"]), _opt("--older-than", st.one_of(st.sampled_from(["180d", "99999999999d", "0", "6m", "1y", "x"]), _arg_text())),
              _opt("--within", st.sampled_from(["90d", "500y", "-1d"])), as_of),
        _join(st.just(["kb", "validate"]), _opt("-f", st.just("json"))),
        _join(st.just(["kb", "diff"]), st.sampled_from([["somedir", "somedir"], ["afile", "somedir"], ["missing", "somedir"]])),
    ]  # fmt: skip
    return st.one_of(*commands)
