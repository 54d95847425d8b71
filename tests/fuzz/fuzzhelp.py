"""Run llmchoose commands in-process on hostile input and check what every run must keep:

- the exit code is 0, 1, 2 or 130;
- no exception escapes (no traceback), and none is printed;
- every file a run writes loads again with the reader's own rules;
- no output (stdout, stderr, written files) holds a raw control character;
- every run ends within a bound (a timer interrupts a run that hangs).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
import traceback
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from llmchoose.loading.yamlio import load_yaml

EXIT_CODES = {0, 1, 2, 130}
# Seconds one command may take before it counts as a hang (generous: the machine may be
# busy; a real hang is minutes or forever).
BOUND_SECONDS = float(os.environ.get("LLMCHOOSE_FUZZ_BOUND", "30"))
# Tab, newline and carriage return are text; every other C0 control and DEL is not.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Hang(BaseException):
    """A run went past BOUND_SECONDS (BaseException: no `except Exception` swallows it)."""


@dataclass
class Run:
    args: list[str]
    code: int
    out: str
    err: str
    written: list[Path] = field(default_factory=list)


def _files(root: Path) -> dict[Path, tuple[int, int]]:
    found = {}
    for path in root.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                info = path.stat()
                found[path] = (info.st_mtime_ns, info.st_size)
        except OSError:
            continue
    return found


def _stream(encoding: str = "utf-8") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", errors="replace")


def run(args: list[str], root: Path, *, encoding: str = "utf-8") -> Run:
    """Run `llmchoose ARGS` in this process with ``root`` as the working folder, its
    output streams in ``encoding`` (strict: a character it cannot hold is an error)."""
    from llmchoose.cli import main

    before = _files(root)
    out, err = _stream(encoding), _stream(encoding)
    saved = sys.stdout, sys.stderr

    def hang(signum, frame):
        raise Hang

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, BOUND_SECONDS)
    sys.stdout, sys.stderr = out, err
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Hang:
        sys.stdout, sys.stderr = saved
        raise AssertionError(f"llmchoose {args!r} ran longer than {BOUND_SECONDS} s") from None
    except BaseException:
        sys.stdout, sys.stderr = saved
        raise AssertionError(
            f"llmchoose {args!r} raised:\n{traceback.format_exc()}\nstderr: {_text(err)}"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdout, sys.stderr = saved
    after = _files(root)
    written = sorted(p for p, stamp in after.items() if before.get(p) != stamp)
    return Run(list(args), code, _text(out), _text(err), written)


def check(result: Run) -> None:
    """Everything a run must keep, whatever its input."""
    where = f"llmchoose {result.args!r}"
    assert result.code in EXIT_CODES, f"{where} exited {result.code}:\n{result.err}"
    assert "Traceback (most recent call last)" not in result.err, f"{where}:\n{result.err}"
    for name, text in (("stdout", result.out), ("stderr", result.err)):
        found = RAW_CONTROL.search(text)
        assert found is None, f"{where}: raw control {found.group()!r} in {name}: {text[-500:]!r}"
    if result.code == 2:
        assert result.err.strip(), f"{where} failed without a message"
    writes_yaml = result.args[:1] in (["decide"], ["init"]) or result.args[:2] in (
        ["kb", "sync"],
        ["kb", "import"],
    )
    for path in result.written:
        loads_again(path, where, as_yaml=writes_yaml and path.suffix in (".yaml", ".yml"))


def loads_again(path: Path, where: str = "", *, as_yaml: bool = False) -> None:
    """A written file must read back with the rules its reader uses. Reports go where the
    user says, so they are parsed only when their content is in the file's format."""
    data = path.read_bytes()
    text = data.decode("utf-8")  # every format llmchoose writes is UTF-8 text
    found = RAW_CONTROL.search(text)
    assert found is None, f"{where}: raw control {found.group()!r} in {path.name}"
    suffix = path.suffix.lower()
    start = text.lstrip()[:1]
    if as_yaml:
        raw = load_yaml(path)
        if isinstance(raw, dict) and "workloads" in raw and "project" in raw:
            from llmchoose.loading.criteria import load_criteria
            from llmchoose.loading.decision import read_decision

            document = read_decision(path, load_criteria())
            problems = [str(p.error) for p in document.problems if p.kind == "schema"]
            assert not problems, f"{where} wrote {path.name} that does not load: {problems}"
    elif suffix in (".json", ".sarif") and start in ("{", "["):
        json.loads(text, parse_constant=_refuse_constant)
    elif (
        suffix == ".xml" and start == "<" and not text.lstrip().lower().startswith("<!doctype html")
    ):
        ET.fromstring(data)  # an HTML report the user named .xml is HTML, not XML


def _refuse_constant(name: str):
    raise AssertionError(f"non-standard JSON constant {name}")


def prepare(root: Path) -> None:
    """Fixtures every generated command may point at: a file where a folder is expected,
    an empty folder, a symlink, and a valid decision file."""
    (root / "afile").write_text("not a folder\n")
    (root / "somedir").mkdir(exist_ok=True)
    (root / "valid.yaml").write_text(VALID_DECISION, encoding="utf-8")
    link = root / "link.yaml"
    if not link.is_symlink():
        link.symlink_to(root / "link-target.yaml")


VALID_DECISION = """\
version: 1
project:
  name: Fuzz base
answers:
  ops_capability: some
workloads:
  - id: chat
    name: Chat
    answers:
      data_sensitivity: public
      requests_per_day: 2000
  - id: notes
    name: Notes
    answers:
      data_sensitivity: regulated
      data_location: own-infrastructure
"""
