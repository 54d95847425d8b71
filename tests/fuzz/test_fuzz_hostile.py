"""Hand-written hostile cases: each reproduction of the hardening issue, and other inputs
an attacker or an accident would bring, run through the same checks as generated input
(see fuzzhelp), each with the exit code it must end with."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fuzzhelp import VALID_DECISION, check, prepare, run

FIXTURE_KB = Path(__file__).resolve().parent.parent / "data" / "kb"

D = VALID_DECISION
NAMED = D.replace("name: Fuzz base", 'name: "Acme [/] [/bold] chat"')


def _with(line: str) -> str:
    return D + line + "\n"


OVERLAY = """\
sources:
  - {{id: hs, title: "Hostile [/bold] source", url: {url}}}
providers:
  - id: hp
    name: "Prov [/] name"
    vendor: "V [/bold]"
    kind: reseller
    regions: [us]
    compliance: {{zero_data_retention: {zdr}}}
    source: hs
    as_of: 2026-11-20
models:
  - id: hm
    name: {name}
    vendor: V
    family: h
    open_weights: false
    licence: {{id: proprietary, commercial_use: true}}
    source: hs
    as_of: 2026-11-20
offerings:
  - id: hp/hm
    provider: hp
    model: hm
    regions: [us]
    price: {{input: {price}, output: 1}}
    source: hs
    as_of: 2026-11-20
"""


def overlay(**fields) -> str:
    values = {
        "url": "https://example.com/s",
        "zdr": '"no"',
        "name": '"Model [/bold] [red]x"',
        "price": "0.5",
    }
    return OVERLAY.format(**{**values, **fields})


ASSUMPTION = (
    "assumptions:\n  - {id: gpu-memory-utilization, value: %s, unit: fraction, source: fixture,"
    " as_of: 2026-11-20}\n"
)
TEMPLATE = "templates/report.md.j2"

# (id, files written first, command line, exit codes allowed, text stderr must hold)
CASES = [
    # 1. a successful write reads back
    ("by-not-utf8", {}, ["decide", "valid.yaml", "--by", "\udcff", "-o", "o.yaml"], {2}, "not valid UTF-8"),
    ("init-by-not-utf8", {}, ["init", "--defaults", "--no-record", "-o", "n.yaml", "--by", "x\udcff"], {2}, "not valid UTF-8"),
    ("rationale-5000", {}, ["decide", "valid.yaml", "--rationale", "r" * 5000], {2}, "at most 4000 characters"),
    ("rationale-4000", {}, ["decide", "valid.yaml", "--rationale", "r" * 4000, "-o", "o.yaml"], {0}, ""),
    ("init-zero-weights", {"a.yaml": _with("weights: {cost: 0}")}, ["init", "--defaults", "--no-record", "--answers", "a.yaml", "-o", "n.yaml"], {2}, "weight above zero"),
    ("init-unknown-factor", {"a.yaml": _with("weights: {costt: 1}")}, ["init", "--defaults", "--no-record", "--answers", "a.yaml", "-o", "n.yaml"], {2}, "unknown factor"),
    # 2. data is never markup
    ("markup-recommend", {"m.yaml": NAMED}, ["recommend", "m.yaml", "--samples", "20"], {0}, ""),
    ("markup-kb-show", {"ov/x.yaml": overlay()}, ["kb", "show", "hm", "--kb", "ov"], {0}, ""),
    ("markup-kb-list", {"ov/x.yaml": overlay()}, ["kb", "list", "--kb", "ov"], {0}, ""),
    ("markup-kb-diff", {"ov/x.yaml": overlay()}, ["kb", "diff", "somedir", "ov"], {0}, ""),
    ("markup-check", {"m.yaml": NAMED}, ["check", "m.yaml"], {1}, ""),
    # 3. values no reader can hold
    ("date-feb-30", {"d.yaml": _with("extra: 2026-02-30")}, ["recommend", "d.yaml"], {2}, "d.yaml:17: invalid YAML: date '2026-02-30'"),
    ("date-month-13", {"d.yaml": _with("extra: 2026-13-01")}, ["check", "d.yaml", "-f", "json"], {1}, ""),
    ("int-5000-digits", {"d.yaml": _with("extra: " + "9" * 5000)}, ["recommend", "d.yaml"], {2}, "cannot be read"),
    ("flow-lists-250", {"d.yaml": _with("extra: " + "[" * 250 + "]" * 250)}, ["check", "d.yaml", "-f", "json"], {1}, ""),
    ("flow-maps-600", {"d.yaml": _with("extra: " + "{a: " * 600 + "1" + "}" * 600)}, ["recommend", "d.yaml"], {2}, "nest deeper than 64"),
    ("block-900", {"d.yaml": "".join("  " * n + f"k{n}:\n" for n in range(900)) + "  " * 900 + "v: 1\n"}, ["check", "d.yaml", "-f", "junit", "-o", "x.xml"], {1}, ""),
    ("alias-bomb", {"d.yaml": "a: &a [1, 2]\nb: [*a, *a]\n"}, ["recommend", "d.yaml"], {2}, "aliases"),
    ("python-tag", {"d.yaml": "x: !!python/object/apply:os.system [ls]\n"}, ["recommend", "d.yaml"], {2}, "constructor"),
    # 4. output paths
    ("report-into-file", {}, ["report", "valid.yaml", "--samples", "20", "-o", "afile/r.md"], {2}, "afile is a file, not a folder"),
    ("schema-proc", {}, ["schema", "decision", "-o", "/proc/llmchoose-none/y.json"], {2}, "cannot create the folder"),
    ("schema-onto-dir", {}, ["schema", "knowledge", "-o", "somedir"], {2}, "found a folder"),
    ("init-into-file", {}, ["init", "--defaults", "--no-record", "-o", "afile/n.yaml"], {2}, "is a file, not a folder"),
    ("adr-onto-dir", {}, ["adr", "valid.yaml", "-o", "somedir"], {2}, "folder"),
    ("check-into-file", {}, ["check", "valid.yaml", "-f", "sarif", "-o", "afile/x.sarif"], {2}, "is a file, not a folder"),
    ("decide-symlink", {}, ["decide", "valid.yaml", "-o", "link.yaml"], {0}, ""),
    ("schema-symlink", {}, ["schema", "decision", "-o", "link.yaml"], {0}, ""),
    ("name-too-long-out", {}, ["schema", "knowledge", "-o", "x" * 300], {2}, "File name too long"),
    ("name-too-long-report", {}, ["report", "valid.yaml", "-o", "x" * 300 + ".md"], {2}, "File name too long"),
    ("name-too-long-in", {}, ["recommend", "x" * 300 + ".yaml"], {2}, "File name too long"),
    # 5. numbers
    ("cost-inf", {}, ["cost", "--requests-per-day", "inf"], {2}, "Invalid value"),
    ("cost-1e308", {}, ["cost", "--requests-per-day", "1e308"], {2}, "Invalid value"),
    ("cost-peak-inf", {}, ["cost", "--peak-factor", "inf"], {2}, "Invalid value"),
    ("cost-rate-json", {}, ["cost", "--hourly-rate", "1e308", "-f", "json"], {2}, "Invalid value"),
    ("cost-top-rate-json", {}, ["cost", "--hourly-rate", "100000", "--requests-per-day", "1e9", "-f", "json"], {0}, ""),
    ("weights-inf", {"d.yaml": _with("weights: {cost: .inf}")}, ["recommend", "d.yaml"], {2}, "infinite"),
    ("weights-1e308", {"d.yaml": _with("weights: {cost: 1e308, privacy: 1e308, quality: 1e308}")}, ["recommend", "d.yaml"], {2}, "out of range"),
    ("stale-within", {}, ["kb", "stale", "--within", "99999999999d"], {2}, "more than 100 years"),
    ("stale-as-of", {}, ["kb", "stale", "--as-of", "9999-12-31"], {2}, "expected a date"),
    ("overlay-price-inf", {"ov/x.yaml": overlay(price=".inf")}, ["kb", "validate", "--kb", "ov"], {2}, "infinite or not-a-number"),
    ("overlay-price-1e308", {"ov/x.yaml": overlay(price="1e308")}, ["recommend", "valid.yaml", "--kb", "ov"], {2}, "out of range"),
    ("assumption-negative", {"ov/a.yaml": ASSUMPTION % "-1"}, ["kb", "validate", "--kb", "ov"], {2}, "greater than or equal to 0"),
    ("assumption-nan", {"ov/a.yaml": ASSUMPTION % ".nan"}, ["recommend", "valid.yaml", "--kb", "ov"], {2}, "not-a-number"),
    ("question-default-nan", {"cr/x.yaml": "id: x\nquestions:\n  - {id: q, default: .nan}\n"}, ["questions", "--criteria", "cr"], {2}, "not-a-number"),
    # 6. control characters
    ("esc-in-name-junit", {"d.yaml": D.replace("name: Chat", 'name: "Chat\\e[2J"')}, ["check", "d.yaml", "-f", "junit", "-o", "x.xml"], {1}, ""),
    ("esc-in-name-human", {"d.yaml": D.replace("name: Chat", 'name: "Chat\\e[2J"')}, ["check", "d.yaml"], {1}, ""),
    ("esc-in-overlay", {"ov/x.yaml": overlay(name='"M\\e]0;x\\a"')}, ["kb", "show", "hm", "--kb", "ov"], {2}, "ESC"),
    ("esc-report", {"d.yaml": D.replace("name: Chat", 'name: "\\x1b[31mred"')}, ["report", "d.yaml", "-o", "r.md"], {2}, "control character ESC"),
    ("esc-argument", {}, ["cost", "evil\x1b[2Jid"], {2}, "evil\\x1b[2Jid"),
    # 7. unbounded reads and hangs
    ("dev-zero", {}, ["recommend", "/dev/zero"], {2}, "device, pipe or socket"),
    ("fifo-decision", {"pipe.yaml": "FIFO"}, ["recommend", "pipe.yaml"], {2}, "device, pipe or socket"),
    ("logo-dev-zero", {"brand.yaml": "logo: /dev/zero\n"}, ["report", "valid.yaml", "--brand", "brand.yaml", "-f", "html"], {2}, "device or pipe"),
    ("template-power", {TEMPLATE: "{{ 9 ** 9999999999 }}"}, ["report", "valid.yaml", "--template-dir", "templates"], {2}, "too large"),
    ("template-product", {TEMPLATE: '{{ "x" * 3000000000 }}'}, ["report", "valid.yaml", "--template-dir", "templates"], {2}, "too large"),
    ("template-fifo", {TEMPLATE: "FIFO"}, ["report", "valid.yaml", "--template-dir", "templates"], {2}, "not a regular file"),
    ("mapping-backtracking", {"map.yaml": 'version: 1\nfamilies:\n  - {pattern: "^([a-z0-9.-]+)+X$", family: x, vendor: X, open_weights: false}\n'}, ["kb", "import", "genai-prices", "--mapping", "map.yaml", "--dry-run"], {2}, "quantifier"),
    # 10. messages
    ("raw-nul", {"d.yaml": D.replace("name: Chat", "name: Ch\x00at")}, ["recommend", "d.yaml"], {2}, "d.yaml:8: control character NUL"),
    ("raw-esc", {"d.yaml": D.replace("name: Chat", "name: Ch\x1bat")}, ["recommend", "d.yaml"], {2}, "d.yaml:8: control character ESC"),
    ("weights-file", {"d.yaml": _with("weights: {costt: 1}")}, ["recommend", "d.yaml"], {2}, "d.yaml:17: weights.costt: unknown factor"),
    ("ahp-file", {"d.yaml": _with("ahp: [{more: cost, less: costt, by: 3}]")}, ["recommend", "d.yaml"], {2}, "d.yaml:17: ahp[0]: unknown factor"),
    ("url-scheme", {"ov/x.yaml": overlay(url="ftp://example.com/x")}, ["kb", "validate", "--kb", "ov"], {2}, "url: expected an http:// or https:// URL"),
    ("unquoted-no", {"ov/x.yaml": overlay(zdr="no")}, ["recommend", "valid.yaml", "--kb", "ov"], {2}, "YAML read an unquoted no"),
    # Found by the long fuzz profile: answers that are a string, not a mapping.
    ("denormal-volume", {"input.yaml": "version: 1\nproject:\n  name: '0'\nworkloads:\n- id: chat\n  name: '0'\n  answers:\n    requests_per_day: 2.225073858507203e-309\n"}, ["recommend", "input.yaml", "--samples", "20"], {0}, ""),
    ("answers-not-mapping", {"input.yaml": "answers: '[/]'\nproject:\n  name: '0'\nworkloads:\n- id: chat\n  name: '0'\nversion: 1\n"}, ["adr", "input.yaml", "-o", "adr.md"], {2}, "answers"),
]  # fmt: skip


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(FIXTURE_KB))
    monkeypatch.setenv("LLMCHOOSE_DECIDED_BY", "Fuzz")
    prepare(tmp_path)
    return tmp_path


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text == "FIFO":
            os.mkfifo(path)
        else:
            path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "args", "codes", "message"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_case(workdir, files, args, codes, message):
    if args[:2] == ["kb", "import"]:
        pytest.importorskip("genai_prices")
    _write(workdir, files)
    result = run(args, workdir)
    check(result)
    assert result.code in codes, result.err
    assert message in result.err
    if (
        result.code == 0
        and "-f" in args
        and args[args.index("-f") + 1] == "json"
        and "-o" not in args
    ):
        json.loads(result.out)


def test_symlinked_outputs_stay_links(workdir):
    check(run(["schema", "decision", "-o", "link.yaml"], workdir))
    assert (workdir / "link.yaml").is_symlink()
    assert (workdir / "link-target.yaml").read_text().startswith("{")


def test_ascii_terminal_gets_every_listing(workdir):
    for args in (["kb", "list"], ["recommend", "valid.yaml", "--samples", "20"], ["questions"]):
        result = run(args, workdir, encoding="ascii")
        check(result)
        assert result.code == 0, result.err
