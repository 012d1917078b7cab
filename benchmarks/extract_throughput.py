"""Extraction throughput: kg's extractor against spaCy's bare tokenizer on the same texts.

The bare tokenizer (``spacy.blank("en").tokenizer.pipe``) is the floor cost of
any spaCy pipeline, so ``kg / tokenizer`` says how much of the time kg spends
on top of that floor (target: >= 0.25 on one process). Also measures the
speed-up of ``n_process=2`` over 1 and, on a slice of the corpus, where the
time goes stage by stage.

The variants run interleaved (tokenizer, kg x1, kg xN, tokenizer, ...) and
every ratio is taken within one round, so a machine that slows down between
rounds moves both sides of a ratio together. Tables show medians of the rounds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--papers", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--corpus", type=Path, help="a JSON Lines corpus to read instead of generating one")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of every variant (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="n_process of the parallel variant (default 2)")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size (default 64, kg's)")
    parser.add_argument("--breakdown", type=int, default=1000,
                        help="papers for the per-stage breakdown; 0 skips it (default 1000)")
    args = parser.parse_args(argv)

    import spacy

    from kg.corpus import read_papers
    from kg.extract import Extractor
    from kg.extract.pipeline import build_pipeline

    path = args.corpus or common.corpus(args.papers, seed=args.seed)
    papers = list(read_papers([path]))[: args.papers]
    texts = [p.text for p in papers]
    chars = sum(len(t) for t in texts)
    print(common.header(
        "Extraction throughput",
        {"corpus": f"{path} ({len(papers):,} papers, mean {chars / len(papers):,.0f} characters of title + abstract)"},
    ))

    blank = spacy.blank("en")
    extractor = Extractor()
    rules_only = Extractor(build_pipeline(rules_only=True))
    list(extractor.extract(papers[:20]))  # warm caches (regexes, lexeme strings)
    list(rules_only.extract(papers[:20]))

    def tokenizer() -> int:
        return sum(1 for _ in blank.tokenizer.pipe(texts, batch_size=1000))

    def kg(n_process: int) -> int:
        return sum(1 for _ in extractor.extract(papers, n_process=n_process, batch_size=args.batch_size))

    def rules() -> int:
        return sum(1 for _ in rules_only.extract(papers, batch_size=args.batch_size))

    variants = {"spaCy tokenizer (blank en)": tokenizer, "kg extract, n_process=1": lambda: kg(1)}
    if args.workers > 1:
        variants[f"kg extract, n_process={args.workers}"] = lambda: kg(args.workers)
    variants["kg extract, rules only (no span ranker), n_process=1"] = rules
    times: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(args.repeats):
        for name, run in variants.items():
            seconds, count = common.timed(run)
            assert count == len(papers), (name, count)
            times[name].append(seconds)
            print(f"  round {round_ + 1}: {name}: {len(papers) / seconds:,.1f} papers/s", file=sys.stderr)

    names = list(variants)
    tok, one = names[0], names[1]
    rows = []
    for name in names:
        rates = [len(papers) / t for t in times[name]]
        ratios = [times[tok][i] / times[name][i] for i in range(args.repeats)]
        rows.append((name, common.median(rates), common.spread(rates), common.median(ratios)))
    print(f"Papers per second, median of {args.repeats} interleaved rounds; the ratio is "
          f"tokenizer time / variant time within each round (median).\n")
    print(common.table(["variant", "papers/s", "range", "ratio to tokenizer"], rows))
    ratio = rows[1][3]
    print(f"Target kg/tokenizer >= 0.25 on one process: {'met' if ratio >= 0.25 else 'NOT met'} "
          f"({ratio:.3f}; kg needs {1 / ratio:,.0f}x the tokenizer's time).\n")
    comparisons = []
    if args.workers > 1:
        par = names[2]
        speedups = [times[one][i] / times[par][i] for i in range(args.repeats)]
        comparisons.append((f"n_process={args.workers} vs 1", common.median(speedups), common.spread(speedups)))
    cost = [times[one][i] / times[names[-1]][i] for i in range(args.repeats)]
    comparisons.append(("time with the span ranker / rules only", common.median(cost), common.spread(cost)))
    print(common.table(["comparison", "ratio (median)", "range"], comparisons))
    if args.breakdown:
        print(breakdown(extractor, papers[: args.breakdown], args.repeats))
    print(f"Load average at end: {common.load_average()}")
    return 0


def breakdown(extractor, papers, repeats: int) -> str:  # type: ignore[no-untyped-def]
    """Seconds per stage on the same docs: the tokenizer, each pipe, then read_doc."""
    nlp = extractor.nlp
    stages: dict[str, list[float]] = {}
    for _ in range(repeats):
        began = time.perf_counter()
        docs = [nlp.make_doc(p.text) for p in papers]
        stages.setdefault("tokenizer (kg's nlp.make_doc)", []).append(time.perf_counter() - began)
        for name, pipe in nlp.pipeline:
            began = time.perf_counter()
            docs = [pipe(doc) for doc in docs]
            stages.setdefault(f"pipe: {name}", []).append(time.perf_counter() - began)
        began = time.perf_counter()
        for doc, paper in zip(docs, papers):
            extractor.read_doc(doc, paper)
        stages.setdefault("Extractor.read_doc (Doc -> Extraction)", []).append(time.perf_counter() - began)
        del docs
    medians = {name: common.median(t) for name, t in stages.items()}
    total = sum(medians.values())
    rows = [(name, len(papers) / s, f"{100 * s / total:.1f}%") for name, s in medians.items()]
    rows.append(("total", len(papers) / total, "100%"))
    return (
        f"Where the time goes: each stage over the same {len(papers):,} docs, one process, "
        f"median of {repeats} rounds.\n\n" + common.table(["stage", "papers/s", "share of time"], rows)
    )


if __name__ == "__main__":
    raise SystemExit(main())
