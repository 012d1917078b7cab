"""Peak memory and wall time of `kg build FILE --db TMP` on a generated corpus.

The build runs as a subprocess under GNU time (``/usr/bin/time -v``; install it
with ``apt-get install time``), which reports the peak resident set size of the
largest process. A sampler also reads /proc every 0.2 s and sums the RSS of
the build and all its descendants (what ``--workers`` > 1 really costs), and
records how the RSS grows over the build: a build that streams in chunks
should plateau, not grow with the corpus. Target: peak RSS < 1.5 GiB at 100k papers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

TARGET_BYTES = 1.5 * 1024**3


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        began = time.perf_counter()
        while not self.done.is_set():
            self.samples.append((time.perf_counter() - began, _tree_rss(self.pid)))
            self.done.wait(self.interval)


def run_build(corpus: Path, db: Path, *, workers: int, extra: list[str] | None = None) -> dict[str, object]:
    """One `kg build` under /usr/bin/time -v; its peak RSS, wall time and output."""
    command = [*common.kg_command(), "build", str(corpus), "--db", str(db), "--workers", str(workers), *(extra or [])]
    return run_measured(command)


def run_measured(command: list[str]) -> dict[str, object]:
    """One kg command under /usr/bin/time -v, its process tree sampled: peak RSS, wall time, output."""
    timer = shutil.which("time") or "/usr/bin/time"
    use_time = Path(timer).exists()
    full = [timer, "-v", *command] if use_time else command
    env = {**os.environ, "KG_STORE": "embedded"}
    with tempfile.TemporaryFile("w+") as err, tempfile.TemporaryFile("w+") as out:
        began = time.perf_counter()
        process = subprocess.Popen(full, stdout=out, stderr=err, env=env)
        sampler = Sampler(process.pid)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - began
        sampler.done.set()
        sampler.join()
        err.seek(0)
        out.seek(0)
        stderr, stdout = err.read(), out.read()
    if code != 0:
        raise SystemExit(f"`{' '.join(command[2:])}` failed with exit code {code}:\n{stdout}\n{stderr[-3000:]}")
    peak = None
    if use_time:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
        peak = int(match.group(1)) * 1024 if match else None
    tree_peak = max((rss for _, rss in sampler.samples), default=0)
    return {
        "command": " ".join(command),
        "wall": wall,
        "peak_rss": peak if peak is not None else tree_peak,
        "peak_source": "/usr/bin/time -v" if peak is not None else "/proc sampling",
        "tree_peak": tree_peak,
        "samples": sampler.samples,
        "stdout": stdout.strip(),
    }


def growth(samples: list[tuple[float, int]]) -> list[tuple[str, str]]:
    """RSS at each tenth of the build's duration: flat when the build streams."""
    if not samples:
        return []
    end = samples[-1][0]
    rows = []
    for tenth in range(1, 11):
        at = end * tenth / 10
        rss = max((r for t, r in samples if t <= at), default=0)
        rows.append((f"{tenth * 10}%", common.human_bytes(rss)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--papers", type=int, default=10000, help="corpus size (default 10000)")
    parser.add_argument("--corpus", type=Path, help="a JSON Lines corpus to build instead of generating one")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--workers", type=int, default=1, help="kg build --workers (default 1)")
    parser.add_argument("--db", type=Path, help="database folder to build (default: a fresh temporary one, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the database folder afterwards")
    args = parser.parse_args(argv)

    corpus = args.corpus or common.corpus(args.papers, seed=args.seed)
    scratch = None
    if args.db is None:
        scratch = Path(tempfile.mkdtemp(prefix="kg-bench-build-", dir=common.DATA if common.DATA.exists() else None))
        db = scratch / "db"
    else:
        db = args.db
        if db.exists():
            raise SystemExit(f"{db} exists; give a new folder so the build starts from nothing")
    print(common.header("Build memory", {"corpus": f"{corpus} ({args.papers:,} papers)", "workers": str(args.workers)}))
    try:
        result = run_build(corpus, db, workers=args.workers)
        size = sum(f.stat().st_size for f in db.rglob("*") if f.is_file())
    finally:
        if scratch and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    peak = int(result["peak_rss"])  # type: ignore[call-overload]
    wall = float(result["wall"])  # type: ignore[arg-type]
    print(f"Build command: `{result['command']}`\n")
    print(f"kg said: {result['stdout']}\n")
    print(common.table(
        ["measure", "value"],
        [
            (f"peak RSS ({result['peak_source']})", common.human_bytes(peak)),
            ("peak RSS of the process tree (sampled /proc)", common.human_bytes(int(result["tree_peak"]))),  # type: ignore[call-overload]
            ("wall time", f"{wall:,.1f} s"),
            ("papers/s, end to end", f"{args.papers / wall:,.1f}"),
            ("database size on disk", common.human_bytes(size)),
            ("target", f"peak RSS < 1.5 GiB: {'met' if peak < TARGET_BYTES else 'NOT met'} "
                       f"({peak / TARGET_BYTES:.2f} of the budget)"),
        ],
    ))
    print("RSS of the build (process tree) by elapsed share of its wall time:\n")
    print(common.table(["elapsed", "peak RSS so far"], growth(result["samples"])))  # type: ignore[arg-type]
    if db.exists() and (args.keep or scratch is None):
        print(f"Database kept at {db}")
    print(f"Load average at end: {common.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
