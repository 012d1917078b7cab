"""Reading results from one very long sentence: time against the number of claims in it.

A "sentence" the sentencizer cannot split (an abstract without full stops, a
table flattened into text) can hold thousands of numbers; each number's words
are read within a fixed window, so doubling the claims should about double
the time. Target: each doubling costs <= 2.5x (linear, with noise); before the
window, 2,000 claims took seconds per sentence.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common  # noqa: E402

from kg.extract.results import find_results  # noqa: E402
from kg.records import Mention  # noqa: E402

#: three claims: two with units, one score without a unit that its measure names
CLAIM = "it is 2x faster than FooNet, reduces the memory by 30% over BarNet and reaches a perplexity of 5.7, "
#: with --respectively: two claims paired with a list of two benchmarks, the sentence ending in
#: "respectively" (every run of numbers takes its nearest list, so this too stays linear)
LISTED = "on FooSet and BarSet it gains 1.5 and 2.3 points, "


def main() -> None:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--claims", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--respectively", action="store_true", help="claims paired with lists of benchmarks")
    args = parser.parse_args()
    claim, per_claim = (LISTED, 2) if args.respectively else (CLAIM, 3)
    print(common.header("Results from one long sentence", {"claim": repr(claim)}))
    seconds: dict[int, list[float]] = {n: [] for n in args.claims}
    for _ in range(args.repeats):  # interleaved rounds
        for n in args.claims:
            sentence = claim * (n // per_claim) + ("respectively." if args.respectively else "")
            mentions = _mentions(sentence, "Dataset", ("FooSet", "BarSet")) if args.respectively else _perplexity_mentions(sentence)
            took, results = common.timed(lambda s=sentence, m=mentions: find_results(s, mentions=m))
            assert len(results) == per_claim * (n // per_claim), (n, len(results))
            seconds[n].append(took)
    rows, previous = [], None
    for n in args.claims:
        median = common.median(seconds[n])
        ratio = f"{median / previous:.2f}x" if previous else ""
        claims = per_claim * (n // per_claim)
        rows.append((claims, len(claim) * (n // per_claim), median * 1000, common.spread([s * 1000 for s in seconds[n]]), ratio))
        previous = median
    print(common.table(("claims", "characters", "ms (median)", "range", "vs half the claims"), rows))


def _perplexity_mentions(sentence: str) -> list[Mention]:
    """The Metric mentions the extractor would pass: each "perplexity"."""
    return _mentions(sentence, "Metric", ("perplexity",))


def _mentions(sentence: str, label: str, words: tuple[str, ...]) -> list[Mention]:
    """A mention of each occurrence of each word, in order."""
    mentions = []
    for word in words:
        start = sentence.find(word)
        while start >= 0:
            mentions.append(Mention(label, word, word, start, start + len(word), sentence))
            start = sentence.find(word, start + 1)
    return sorted(mentions, key=lambda m: m.start)


if __name__ == "__main__":
    main()
