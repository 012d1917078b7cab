"""The span ranker: a small model, trained on annotated abstracts, that chooses among candidates.

The rules in `components` propose candidate names, each with the pattern that
found it; many are right, some are generic ("fine-tuning" in a motivation
sentence), some have the wrong boundary ("pruning" where the paper means
"token pruning"). Which candidate an annotator would keep depends on many weak
signals at once, which is what a linear model weighs better than hand-set
priorities. The model is logistic regression over sparse indicator features
(the patterns that found the span, its words and shape, the words around it,
where it stands); its weights are a JSON file shipped in ``data/``, written by
`kg.extract.training` (``scripts/train-ranker``) from gold files in the
annotation format. Without that file the extractor falls back to the rules'
priorities.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.extract import patterns
from kg.extract.canonical import normalize_key

if TYPE_CHECKING:
    from kg.extract.components import Candidate, Found

RANKER_FILE = "ranker.json"
_TOKEN = re.compile(r"[\w@\-]+|[^\w\s]")
_DIGIT = re.compile(r"[0-9]")
_PRAISE = frozenset(
    "efficient effective novel new fast faster accurate robust scalable simple general unified "
    "existing current traditional conventional standard previous prior our their its proposed "
    "significant substantial high low higher lower better various different multiple several".split()
)


@dataclass(frozen=True)
class Group:
    """All candidates for one span and label: the ranker scores a span once per label."""

    start: int
    end: int
    label: str
    sources: frozenset[str]
    priority: int


def group_candidates(candidates: Iterable[Candidate]) -> list[Group]:
    sources: dict[tuple[int, int, str], set[str]] = defaultdict(set)
    priority: dict[tuple[int, int, str], int] = {}
    for c in candidates:
        key = (c.start, c.end, c.label)
        sources[key].add(c.source)
        priority[key] = max(priority.get(key, c.priority), c.priority)
    return [Group(s, e, label, frozenset(src), priority[(s, e, label)]) for (s, e, label), src in sources.items()]


@lru_cache(maxsize=1 << 16)
def _shape(span: str) -> str:
    letters = [c for c in span if c.isalpha()]
    if not letters:
        return "none"
    if any(c.isdigit() for c in span):
        return "digit"
    if all(c.isupper() for c in letters):
        return "caps"
    words = span.split()
    if any(any(c.isupper() for c in w[1:]) for w in words):
        return "inner"
    if all(w[:1].isupper() for w in words):
        return "title"
    if any(w[:1].isupper() for w in words):
        return "some"
    return "lower"


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> str:
    token = token.lower().strip(".,;:()[]\"'")
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


class Context:
    """What the features of one doc's candidates read, computed once per doc."""

    def __init__(self, found: Found, groups: list[Group]) -> None:
        self.found = found
        self.rule_choice = found.rule_choice
        self.text = found.text
        self.sentences = found.sentences
        self.sentence_starts = [start for start, _ in found.sentences]
        self.labels_by_span: dict[tuple[int, int], set[str]] = defaultdict(set)
        for g in groups:
            self.labels_by_span[(g.start, g.end)].add(g.label)
        self.all_spans = list(self.labels_by_span)
        #: how many candidates share a label and key: a name the abstract keeps coming back to
        self.key_counts = Counter((g.label, normalize_key(self.text[g.start : g.end])) for g in groups)
        self.defined = set(found.aliases) | set(found.aliases.values())
        self.title_words = {_word(w) for w in _TOKEN.findall(found.text[: found.title_end])}
        self.compare_cues = frozenset(_word(w) for w in found.gazetteer.lexicon["compare_cues"])
        self.counts: Counter[str] = Counter()
        self._span_features: dict[tuple[int, int], list[str]] = {}
        self._known: dict[tuple[int, int], str | None] = {}

    def known_label(self, start: int, end: int) -> str | None:
        """The label a gazetteer gives the span, looked up once per span."""
        if (start, end) not in self._known:
            self._known[(start, end)] = self.found.gazetteer.label_of(self.text[start:end])
        return self._known[(start, end)]

    def span_features(self, start: int, end: int) -> list[str]:
        if (start, end) not in self._span_features:
            self._span_features[(start, end)] = _span_features(self, start, end)
        return self._span_features[(start, end)]

    def sentence_of(self, position: int) -> tuple[int, int, int]:
        index = max(0, bisect_right(self.sentence_starts, position) - 1)
        start, end = self.sentences[index]
        return index, start, end

    def occurrences(self, span: str) -> int:
        if span not in self.counts:
            self.counts[span] = sum(1 for _ in patterns.occurrences(self.text, span, ignore_case=True))
        return self.counts[span]

    def nesting(self, start: int, end: int) -> tuple[int, int, set[str]]:
        """How many candidate spans hold this one and how many it holds; the labels of the former."""
        inside = contains = 0
        holders: set[str] = set()
        for a, b in self.all_spans:
            if (a, b) == (start, end):
                continue
            if a <= start and end <= b:
                inside += 1
                holders |= self.labels_by_span[(a, b)]
            elif start <= a and b <= end:
                contains += 1
        return inside, contains, holders


def features(group: Group, context: Context) -> list[str]:
    """Indicator features of one candidate, each suffixed with the label it would take (so
    every label learns its own weights), plus a shared bias."""
    label = group.label
    span = context.text[group.start : group.end]
    out = [
        *context.span_features(group.start, group.end),
        f"nsrc:{min(len(group.sources), 3)}",
        f"prio:{group.priority}",
        f"gaz_same:{context.known_label(group.start, group.end) == label}",
        f"same_key:{min(context.key_counts[(label, normalize_key(span))], 3)}",
        f"rules:{(group.start, group.end, label) in context.rule_choice}",
    ]
    out.extend(f"src:{s}" for s in sorted(group.sources))
    out.extend(f"alt:{other}" for other in sorted(context.labels_by_span[(group.start, group.end)] - {label}))
    return [f"{f}|{label}" for f in out] + ["bias"]


def _span_features(context: Context, start: int, end: int) -> list[str]:
    """The features of a span whatever label it would take: its words, shape and surroundings."""
    text = context.text
    span = text[start:end]
    words = span.split()
    before = _TOKEN.findall(text, max(0, start - 40), start)
    after = _TOKEN.findall(text, end, end + 40)
    _, sentence_start, sentence_end = context.sentence_of(start)
    shape = _shape(span)
    out = [
        "bias",
        f"words:{min(len(words), 5)}",
        f"shape:{shape}",
        f"gaz:{context.known_label(start, end)}",
        f"occ:{min(context.occurrences(span), 3)}",
        f"prev:{_word(before[-1]) if before else '^'}",
        f"next:{_word(after[0]) if after else '$'}",
        f"in_title:{start < context.found.title_end}",
        f"num:{_DIGIT.search(text, sentence_start, sentence_end) is not None}",
        f"num_near:{_DIGIT.search(text, max(sentence_start, start - 50), min(sentence_end, end + 50)) is not None}",
    ]
    out.append(f"span:{' '.join(_word(w) for w in words)}")
    if words:
        out.append(f"head:{_word(words[-1])}")
        if shape in ("lower", "title", "some"):  # a phrase's head word, not a coined name's letters
            out.append(f"head_suffix:{_word(words[-1])[-3:]}")
    out.extend(f"word:{_word(w)}" for w in words[:-1])
    if len(words) > 1:
        out.append(f"first:{_word(words[0])}")
        out.append(f"first_praise:{_word(words[0]) in _PRAISE}")
    if len(before) > 1:
        out.append(f"prev2:{_word(before[-2])}_{_word(before[-1])}")
    if any(_word(w) in context.compare_cues for w in before[-4:]):
        out.append(f"after_comparison:{shape}")
    if start >= context.found.title_end and words:
        content = [_word(w) for w in words if w.lower() not in patterns.STOP]
        shared = sum(w in context.title_words for w in content)
        out.append(f"title_words:{'all' if content and shared == len(content) else 'some' if shared else 'none'}")
    out.extend(f"listed_with:{label}" for label in sorted(_list_neighbour_labels(context, start, end)))
    if span in context.defined:
        out.append("defined")
    if after[:1] == ["("]:
        out.append("before_paren")
    if any(a <= start < b for a, b in context.found.proposing):
        out.append("proposing")
    if context.found.title_name and span == context.found.title_name:
        out.append("title_name")
    inside, contains, holders = context.nesting(start, end)
    out.append(f"inside:{min(inside, 2)}")
    out.append(f"contains:{min(contains, 2)}")
    out.extend(f"inside_label:{other}" for other in sorted(holders))
    return out


_ITEM_BEFORE = re.compile(r"([A-Za-z0-9][\w\-.+]*(?: [A-Z0-9][\w\-.+]*)?)\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_ITEM_AFTER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([A-Za-z0-9][\w\-.+]*(?: [A-Z0-9][\w\-.+]*)?)")


def _list_neighbour_labels(context: Context, start: int, end: int) -> set[str]:
    """What the gazetteer calls the items next to this one in a list ("on MMLU, GSM8K and
    NExT-QA"): a new name is most likely the same kind as the known names it is listed with."""
    labels: set[str] = set()
    window = max(0, start - 60)
    # a list's separator must end the text before the span: checking that first spares most
    # candidates the regex's try at each of the 60 characters (a tenth of the ranker's time)
    listed = context.text[window:start].rstrip().endswith((",", "and", "or"))
    before = _ITEM_BEFORE.search(context.text, window, start) if listed else None
    after = _ITEM_AFTER.match(context.text, end)
    for match, nearest in ((before, -1), (after, 0)):
        if match:
            item = match.group(1)
            # the whole item ("Stable Diffusion"), else its word next to this name
            for form in dict.fromkeys((item, item.split()[nearest])):
                label = context.found.gazetteer.label_of(form.rstrip(".,"))
                if label:
                    labels.add(label)
                    break
    return labels


@dataclass
class SpanRanker:
    """Weights of the trained model and the probability a candidate needs to be kept."""

    weights: dict[str, float]
    threshold: float = 0.5
    meta: dict[str, Any] | None = None
    #: labels that keep a candidate at another probability than ``threshold`` (chosen by
    #: cross-validation: annotators mark tasks more readily than the model is sure of them)
    label_thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """A short hash of the model, part of the extractor version: retraining re-extracts."""
        model = [self.threshold, sorted(self.weights.items())]
        if self.label_thresholds:
            model.append(sorted(self.label_thresholds.items()))
        digest = hashlib.sha1(json.dumps(model).encode("utf-8"))
        return digest.hexdigest()[:8]

    def threshold_for(self, label: str) -> float:
        return self.label_thresholds.get(label, self.threshold)

    @classmethod
    def load(cls, path: Path | None = None) -> SpanRanker | None:
        """The model in ``path``, or the one shipped in the package; None if there is none."""
        path = path or resources.files("kg.extract") / "data" / RANKER_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data.get("threshold", 0.5), data.get("meta"), data.get("label_thresholds", {}))

    def dump(self, path: Path) -> None:
        """Write the model as `load` reads it: one weight a line, so a retrained model diffs well."""
        data = {"threshold": self.threshold, "label_thresholds": self.label_thresholds, "meta": self.meta}
        data["weights"] = self.weights
        path.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")

    def probability(self, feats: Iterable[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def choose(self, found: Found) -> list[tuple[Candidate, float]]:
        """Candidates worth keeping, best first (overlaps are settled by the caller in this order)."""
        from kg.extract.components import Candidate

        groups = group_candidates(found.candidates)
        context = Context(found, groups)
        scored = _tie_definitions(found, [(g, self.probability(features(g, context))) for g in groups])
        scored = _one_reading_per_name(found, scored)
        kept = [(g, p) for g, p in scored if p >= self.threshold_for(g.label) or _known_name(g, p, context)]
        kept = _sized_over_bare(kept)
        kept.sort(key=lambda gp: (-gp[1], -(gp[0].end - gp[0].start), gp[0].start))
        return [(Candidate(g.start, g.end, g.label, g.priority, ",".join(sorted(g.sources))), p) for g, p in kept]


#: kinds of name kept at a far lower probability when a gazetteer knows the span as that kind: a
#: baseline the field knows ("outperforms H2O and SnapKV", "faster than StreamingLLM") is a method
#: even where the context looks like numbers and comparisons (chosen by 5-fold cross-validation:
#: micro-F1 0.6640 -> 0.6647, hardware 0.79 -> 0.82; models and datasets lost precision with it)
_KNOWN_NAME_LABELS = frozenset({"Method", "Hardware"})
_KNOWN_NAME_FLOOR = 0.05


def _known_name(group: Group, probability: float, context: Context) -> bool:
    return (
        group.label in _KNOWN_NAME_LABELS
        and probability >= _KNOWN_NAME_FLOOR
        and "gazetteer" in group.sources
        and context.known_label(group.start, group.end) == group.label
    )


def _sized_over_bare(kept: list[tuple[Group, float]]) -> list[tuple[Group, float]]:
    """A kept name with its size ("Walrus-B2", "Walrus-7B") wins over the bare name it starts
    with: that occurrence names the sized model, whichever the ranker was surer of."""
    best_at: dict[int, float] = {}
    for g, p in kept:
        best_at[g.start] = max(best_at.get(g.start, 0.0), p)
    return [(g, best_at[g.start] if "size" in g.sources else p) for g, p in kept]


#: the kinds of name whose every occurrence means the same thing in one abstract
_NAME_LABELS = frozenset({"Method", "Model", "Dataset", "Hardware"})


def _one_reading_per_name(found: Found, scored: list[tuple[Group, float]]) -> list[tuple[Group, float]]:
    """A name reads the same all through an abstract: an occurrence of a Method, Model, Dataset or
    Hardware name that holds a shorter candidate takes the best score any occurrence of the name
    has, so the context of one sentence ("Fennec-MoE scores 64.8 on MMLU") cannot let a known word
    inside it ("MoE") take that occurrence over. A name inside a longer phrase ("ECHO" in "ECHO
    video generation") is not lifted over the phrase."""
    best: dict[tuple[str, str], float] = {}
    for g, p in scored:
        if g.label in _NAME_LABELS:
            key = (g.label, found.text[g.start : g.end])
            best[key] = max(best.get(key, 0.0), p)
    spans = {(g.start, g.end) for g, _ in scored}

    def holds_another(g: Group) -> bool:
        return any(g.start <= a and b <= g.end and (a, b) != (g.start, g.end) for a, b in spans)

    return [
        (g, best[(g.label, found.text[g.start : g.end])] if g.label in _NAME_LABELS and holds_another(g) else p)
        for g, p in scored
    ]


def _tie_definitions(found: Found, scored: list[tuple[Group, float]]) -> list[tuple[Group, float]]:
    """An acronym and its long form ("Sparse Widget Attention (SWA)") name one thing: each form
    takes the better score of the two, so both are kept or neither."""
    partner = {**found.aliases, **{long: short for short, long in found.aliases.items()}}
    best: dict[tuple[str, str], float] = {}
    for g, p in scored:
        key = (g.label, found.text[g.start : g.end])
        best[key] = max(best.get(key, 0.0), p)
    tied = []
    for g, p in scored:
        other = partner.get(found.text[g.start : g.end])
        tied.append((g, max(p, best.get((g.label, other), 0.0)) if other else p))
    return tied
