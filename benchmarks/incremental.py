"""Incremental build: the cost of adding 1% new papers to a built graph, against a full build.

Builds N papers from nothing with `kg build BASE.jsonl --db DB`, then, on copies
of that database, runs `kg build NEW.jsonl --db COPY` where NEW holds the N/100
papers that follow the base corpus in the generator's stream (new coined
names keep appearing, old ones are reused). Each `kg build` runs as a
subprocess, so interpreter and pipeline start-up count as a user pays them.
Target: adding 1% costs <= 5% of the full build.

Two more rows explain where an incremental build's time goes: rerunning the
whole grown corpus when nothing changed (the cost of the content-hash check
over every paper), and adding a single paper (the fixed cost of one build on
a graph of that size: start-up, schema, the orphan sweep, the counts).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from make_corpus import generate  # noqa: E402


def kg_build(sources: list[Path], db: Path) -> tuple[float, str]:
    command = [*common.kg_command(), "build", *map(str, sources), "--db", str(db)]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "KG_STORE": "embedded"})
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds, done.stdout.strip().replace("\n", " ")


def write(papers: list[dict[str, object]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for paper in papers:
            out.write(json.dumps(paper, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--papers", type=int, default=10000, help="size of the base corpus (default 10000)")
    parser.add_argument("--percent", type=float, default=1.0, help="new papers, in percent of the base (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each incremental step, each on a fresh copy of the built database (default 3)")
    parser.add_argument("--base-db", type=Path,
                        help="reuse this database, already built from the base corpus, instead of building one "
                             "(its full-build time is then taken from --base-seconds)")
    parser.add_argument("--base-seconds", type=float, help="the wall time of the build that made --base-db")
    args = parser.parse_args(argv)
    if args.base_db and not args.base_seconds:
        parser.error("--base-db needs --base-seconds")

    base = common.corpus(args.papers, seed=args.seed)
    added = max(1, round(args.papers * args.percent / 100))
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-incr-", dir=common.DATA))
    new = write(list(generate(added, seed=args.seed, start=args.papers)), scratch / f"new-{added}.jsonl")
    one = write(list(generate(1, seed=args.seed, start=args.papers + added)), scratch / "one.jsonl")
    print(common.header("Incremental build", {
        "base corpus": f"{base} ({args.papers:,} papers)",
        "new papers": f"{added:,} ({args.percent:g}%), papers {args.papers:,}..{args.papers + added - 1:,} of seed {args.seed}",
    }))
    try:
        if args.base_db:
            db, full, said = args.base_db, args.base_seconds, "(reused)"
        else:
            db = scratch / "base"
            full, said = kg_build([base], db)
        print(f"Full build: {full:,.1f} s. {said}\n", file=sys.stderr)
        steps = {
            f"add {added:,} new papers: `kg build NEW.jsonl --db COPY`": [new],
            "rebuild the grown corpus, nothing changed: `kg build BASE.jsonl NEW.jsonl --db COPY` (after the add)": None,
            "add 1 new paper: `kg build ONE.jsonl --db COPY`": [one],
        }
        times: dict[str, list[float]] = {name: [] for name in steps}
        for round_ in range(args.repeats):
            for name, sources in steps.items():
                copy = scratch / f"copy-{round_}"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(db, copy)
                if sources is None:  # the grown corpus: first the add, untimed, then the timed rerun
                    kg_build([new], copy)
                    sources = [base, new]
                seconds, said = kg_build(sources, copy)
                times[name].append(seconds)
                shutil.rmtree(copy, ignore_errors=True)
                print(f"  round {round_ + 1}: {name}: {seconds:.1f} s — {said}", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    rows = [(f"full build of {args.papers:,} papers (from nothing)", f"{full:,.1f}", "(1 run)", "100%")]
    for name, values in times.items():
        rows.append((name, f"{common.median(values):,.1f}", common.spread(values), f"{100 * common.median(values) / full:.2f}%"))
    print(f"Wall seconds of each `kg build`, median of {args.repeats} runs; share = median / full build.\n")
    print(common.table(["step", "seconds", "range", "share of full build"], rows))
    share = common.median(times[next(iter(times))]) / full
    print(f"Target: adding {args.percent:g}% costs <= 5% of a full build: {'met' if share <= 0.05 else 'NOT met'} "
          f"({100 * share:.2f}%).\n")
    print(f"Load average at end: {common.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
