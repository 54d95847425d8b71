"""Write every example's recommendation as JSON, or compare against an earlier run.

An equality harness for engine changes that must not change results: it runs
``recommend`` for every ``examples/*.yaml`` and ``tests/data/teams/*.yaml`` on the
built-in knowledge base and criteria at a fixed date, and writes one JSON file per
decision (keys sorted) into OUTDIR; then once more with each other aggregation method
(``…--topsis.json``, ``…--minmax.json``), as the files themselves all use one. With ``--compare OLDDIR`` it then reports each file
whose JSON differs from the one in OLDDIR (with the first differing path) and exits 1
if any does.

Run: python scripts/golden_recommend.py OUTDIR [--compare OLDDIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 28)
# The decision's own method (None), then each of the others.
METHODS = (None, "topsis", "minmax")


def decision_files() -> list[Path]:
    return sorted(ROOT.glob("examples/*.yaml")) + sorted(ROOT.glob("tests/data/teams/*.yaml"))


def golden_name(path: Path, method: str | None) -> str:
    return f"{path.parent.name}--{path.stem}{'' if method is None else '--' + method}.json"


def write_all(out_dir: Path) -> list[str]:
    """Run every decision and write its JSON; the names of the files written."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.engine.serialize import recommendation_to_dict
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog

    catalog, criteria = load_catalog([]), load_criteria([])
    out_dir.mkdir(parents=True, exist_ok=True)
    names = []
    for path in decision_files():
        decision = load_decision(path, criteria)
        for method in METHODS:
            rec = recommend(decision, catalog, criteria, as_of=AS_OF, method=method)
            data = recommendation_to_dict(rec, top=100000)
            name = golden_name(path, method)
            (out_dir / name).write_text(json.dumps(data, sort_keys=True, indent=1) + "\n")
            names.append(name)
    return names


def first_difference(old: Any, new: Any, path: str = "$") -> str | None:
    """The path of the first place two JSON values differ, or None when equal."""
    if type(old) is not type(new):
        return f"{path} (type {type(old).__name__} -> {type(new).__name__})"
    if isinstance(old, dict):
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                return f"{path}.{key} (only in {'new' if key not in old else 'old'})"
            found = first_difference(old[key], new[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(old, list):
        for index, (a, b) in enumerate(zip(old, new, strict=False)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None if len(old) == len(new) else f"{path} (length {len(old)} -> {len(new)})"
    return None if old == new else f"{path} ({old!r} -> {new!r})"


def compare(names: list[str], new_dir: Path, old_dir: Path) -> int:
    """Print each file that differs; how many do."""
    differing = 0
    for name in names:
        old_file, new_file = old_dir / name, new_dir / name
        if not old_file.exists():
            print(f"{name}: missing in {old_dir}")
            differing += 1
            continue
        if old_file.read_bytes() == new_file.read_bytes():
            continue
        where = first_difference(json.loads(old_file.read_text()), json.loads(new_file.read_text()))
        print(f"{name}: differs at {where or 'formatting only'}")
        differing += 1
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="Folder to write one JSON per decision to.")
    parser.add_argument("--compare", type=Path, metavar="OLDDIR", help="Folder of an earlier run.")
    args = parser.parse_args()
    names = write_all(args.out_dir)
    print(f"wrote {len(names)} recommendations to {args.out_dir}")
    if args.compare is None:
        return
    differing = compare(names, args.out_dir, args.compare)
    print(f"{differing} of {len(names)} differ" if differing else "all identical")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
