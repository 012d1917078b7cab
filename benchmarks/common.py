"""What every benchmark script shares: the machine header, medians, markdown tables, corpora."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PACKAGES = ("kg", "spacy", "ladybug", "neo4j", "networkx")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def header(title: str, extra: dict[str, str] | None = None) -> str:
    """The command line and the machine, as markdown, to print above a table."""
    command = " ".join(shlex.quote(a) for a in [Path(sys.executable).name, *sys.argv])
    lines = [
        f"## {title}",
        "",
        f"Command: `{command}`",
        "",
        f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {_cpu_model()}, "
        f"{_ram_gib()} RAM, {platform.system()} {platform.release()}",
        f"- python {platform.python_version()}; "
        + ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
        f"- load average at start: {load_average()}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
    ]
    lines += [f"- {k}: {v}" for k, v in (extra or {}).items()]
    return "\n".join(lines) + "\n"


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A markdown table; floats keep three significant figures."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float]) -> str:
    """min–max of the runs, for the reader to see the noise."""
    return f"{min(values):,.3g}–{max(values):,.3g}" if len(values) > 1 else "(1 run)"


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    value = func()
    return time.perf_counter() - began, value


def corpus(papers: int, *, seed: int = 0, path: Path | None = None) -> Path:
    """A generated corpus of ``papers`` papers, written once to benchmarks/data/ and reused."""
    import json

    from make_corpus import generate  # benchmarks/ is on sys.path when a script runs

    path = path or DATA / f"corpus-{papers}-s{seed}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            for paper in generate(papers, seed=seed):
                out.write(json.dumps(paper, ensure_ascii=False) + "\n")
        partial.rename(path)
    return path


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,.2f} {unit}" if unit != "B" else f"{n:.0f} B"
        n /= 1024
    return f"{n}"


def kg_command() -> list[str]:
    """`kg` run by this interpreter, so a subprocess uses the same environment."""
    return [sys.executable, "-m", "kg"]


def neo4j_local(action: str, port: int, state: str = "/tmp/bench-neo4j") -> None:
    """scripts/neo4j-local start|stop for a benchmark server of its own (never the tests' 7687)."""
    import subprocess

    if port == 7687:
        raise SystemExit("refusing to start or stop the server on 7687: the tests use it")
    env = {**os.environ, "KG_NEO4J_STATE": state, "NEO4J_BOLT_PORT": str(port)}
    subprocess.run([str(ROOT / "scripts" / "neo4j-local"), action], env=env, check=True)


def wipe_neo4j(driver) -> None:  # type: ignore[no-untyped-def]
    """Delete every node of the benchmark's own Neo4j (an implicit transaction, in slices)."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """The parser every script starts from: its docstring's first paragraph as the description,
    the rest as the epilog shown by --help."""
    text = doc or ""
    description, _, epilog = text.partition("\n\n")
    return argparse.ArgumentParser(
        description=description, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def add_neo4j_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the scripts that also measure Neo4j (never the tests' server on 7687)."""
    parser.add_argument("--neo4j-uri", default="bolt://127.0.0.1:7688", help="a Neo4j the script may wipe")
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--neo4j-password", default="kgpassword")
    parser.add_argument("--start-neo4j", action="store_true",
                        help="start a server on the URI's port with scripts/neo4j-local, stop it at the end")
    parser.add_argument("--no-neo4j", action="store_true", help="measure the embedded store only")
