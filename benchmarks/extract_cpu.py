"""CPU seconds per paper of kg's extraction, in two or more checkouts, for comparing changes.

On a busy machine wall times swing with the load; the CPU time a process spends on the same
papers moves much less. Each checkout runs in a process of its own (``PYTHONPATH`` set to it),
the checkouts taking turns round after round, one ``Extractor`` each, 20 papers to warm up,
then the corpus timed with ``time.process_time()``. The table shows papers per CPU second,
median of the rounds, and each checkout's median ratio to the first within a round. A hash of
every extraction (the extractor version aside) says whether the checkouts extract the same.

Example, the current checkout against the last commit:

    git worktree add /tmp/kg-before HEAD
    python benchmarks/extract_cpu.py /tmp/kg-before . --papers 1000 --rounds 5
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

#: run in each checkout's process: prints "papers_per_cpu_second hash"
_MEASURE = """
import dataclasses, hashlib, json, sys, time
from pathlib import Path
from kg.corpus import read_papers
from kg.extract import Extractor
from kg.extract.pipeline import build_pipeline
papers = list(read_papers([Path(sys.argv[1])]))[: int(sys.argv[2])]
extractor = Extractor(build_pipeline(rules_only=sys.argv[3] == "1"))
list(extractor.extract(papers[:20]))
began = time.process_time()
extractions = list(extractor.extract(papers))
spent = time.process_time() - began
rows = [dict(dataclasses.asdict(e), extractor_version="") for e in extractions]
digest = hashlib.sha1(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()[:12]
print(len(papers) / spent, digest)
"""


def measure(checkout: Path, corpus: Path, papers: int, rules_only: bool) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(corpus), str(papers), "1" if rules_only else "0"],
        env=env, cwd=checkout, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'failed'}")
    rate, digest = done.stdout.split()
    return float(rate), digest


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("checkouts", nargs="+", type=Path, help="kg checkouts to compare, the first is the baseline")
    parser.add_argument("--papers", type=int, default=1000, help="papers timed per run (default 1000)")
    parser.add_argument("--corpus", type=Path, help="a JSON Lines corpus to read instead of generating one")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every checkout (default 3)")
    parser.add_argument("--rules-only", action="store_true", help="time the extractor without its span ranker")
    args = parser.parse_args(argv)

    corpus = (args.corpus or common.corpus(max(args.papers, 1000))).resolve()
    checkouts = [c.resolve() for c in args.checkouts]
    print(common.header("Extraction CPU time", {"corpus": f"{corpus} (first {args.papers:,} papers)"}))
    rates: dict[Path, list[float]] = {c: [] for c in checkouts}
    digests: dict[Path, set[str]] = {c: set() for c in checkouts}
    for round_number in range(1, args.rounds + 1):
        for checkout in checkouts:
            rate, digest = measure(checkout, corpus, args.papers, args.rules_only)
            rates[checkout].append(rate)
            digests[checkout].add(digest)
            print(f"  round {round_number}: {checkout}: {rate:.1f} papers per CPU second, extractions {digest}")
    base = rates[checkouts[0]]
    rows = [
        (
            str(c),
            f"{common.median(rates[c]):.1f}",
            f"{statistics.median(r / b for r, b in zip(rates[c], base)):.2f}",
            ", ".join(sorted(digests[c])),
        )
        for c in checkouts
    ]
    print(common.table(["checkout", "papers per CPU s", "ratio to the first", "extractions"], rows))
    print(f"Load average at end: {common.load_average()}")
    print(json.dumps({str(c): rates[c] for c in checkouts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
