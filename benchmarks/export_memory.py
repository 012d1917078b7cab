"""Peak memory and wall time of the two ways to neo4j-admin's import files.

`kg export EXTRACTIONS --format csv` streams `kg extract` output to the files
with no store; the other way loads it (`kg load`) and exports the store
(`kg export --db`), which reads the stored graph whole. Both run on the same
extraction of a generated corpus, as subprocesses under GNU time (see
build_memory.py), at two corpus sizes, so the table shows how each grows: the
streamed export should grow with the distinct entities and the papers' ids,
not with the graph. The extraction itself (`kg extract --rules-only`) is not
measured. The two exports must agree on every count, or the run stops.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from build_memory import run_measured  # noqa: E402


def _extracted(papers: int, seed: int, scratch: Path) -> Path:
    corpus = common.corpus(papers, seed=seed)
    out = scratch / f"extract-{papers}.jsonl"
    command = [*common.kg_command(), "extract", str(corpus), "-o", str(out), "--rules-only", "--workers", "2"]
    subprocess.run(command, check=True, capture_output=True)
    return out


def _counts(stdout: str) -> tuple[int, int]:
    """Nodes and relationships from either export's or load's summary line."""
    match = re.search(r"([\d,]+) nodes?,? and ([\d,]+) relationships?", stdout) or re.search(
        r"([\d,]+) nodes?, ([\d,]+) relationships?", stdout
    )
    if not match:
        raise SystemExit(f"cannot read the counts from: {stdout}")
    return int(match.group(1).replace(",", "")), int(match.group(2).replace(",", ""))


def measure(papers: int, seed: int, scratch: Path) -> list[tuple[object, ...]]:
    extracted = _extracted(papers, seed, scratch)
    kg = common.kg_command()
    streamed = run_measured([*kg, "export", str(extracted), "--format", "csv", "-o", str(scratch / f"csv-{papers}-a")])
    loaded = run_measured([*kg, "load", str(extracted), "--db", str(scratch / f"db-{papers}")])
    exported = run_measured([*kg, "export", "--format", "csv", "-o", str(scratch / f"csv-{papers}-b"), "--db", str(scratch / f"db-{papers}")])
    if _counts(str(streamed["stdout"])) != _counts(str(loaded["stdout"])):
        raise SystemExit(f"the exports disagree:\n{streamed['stdout']}\n{loaded['stdout']}")
    nodes, relationships = _counts(str(streamed["stdout"]))
    store_peak = max(int(loaded["peak_rss"]), int(exported["peak_rss"]))  # type: ignore[call-overload]
    store_wall = float(loaded["wall"]) + float(exported["wall"])  # type: ignore[arg-type]
    stream_peak, stream_wall = int(streamed["peak_rss"]), float(streamed["wall"])  # type: ignore[call-overload, arg-type]
    return [
        (f"{papers:,}", f"{nodes:,} / {relationships:,}", "kg export EXTRACTIONS", common.human_bytes(stream_peak), f"{stream_wall:,.1f} s"),
        (f"{papers:,}", "", "kg load, then kg export --db", common.human_bytes(store_peak), f"{store_wall:,.1f} s"),
        (f"{papers:,}", "", "ratio streamed / through the store", f"{stream_peak / store_peak:.2f}", f"{stream_wall / store_wall:.2f}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--papers", type=int, default=20000, help="the larger corpus (default 20000); the smaller is a quarter of it")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-export-", dir=common.DATA if common.DATA.exists() else None))
    print(common.header("Export memory", {"corpora": f"{args.papers // 4:,} and {args.papers:,} generated papers"}))
    try:
        rows = [row for papers in (args.papers // 4, args.papers) for row in measure(papers, args.seed, scratch)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(common.table(["papers", "nodes / relationships", "way", "peak RSS", "wall time"], rows))
    print(f"Load average at end: {common.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
