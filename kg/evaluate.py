"""`kg eval`: precision, recall and F1 of the extractor against hand-annotated gold.

Entities match on the normalised key of their surface form (case, hyphens,
spaces, punctuation, a trailing plural); the lenient figure also counts a
prediction whose words contain, or are contained in, a gold form's words.
Results match on value and unit; code links on the URL. What a result says
about its number (the metric, direction, baseline, model, dataset and
hardware) is scored one attribute at a time, as (value, unit, attribute)
triples, so a wrong metric on a right number counts as one miss and one extra.
INSTANCE_OF links and COMPARED_WITH baselines are scored where the gold has them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import jsonutil
from kg.corpus.readers import MAX_ABSTRACT, MAX_TITLE
from kg.errors import EvalError
from kg.extract import Extractor
from kg.extract.canonical import normalize_key
from kg.records import Extraction, Paper, claim_text
from kg.schema import ENTITY_LABELS


@dataclass
class Score:
    """True positives, false positives and false negatives, kept as counts so that scores of
    papers and types add up to a micro average rather than averaging ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class EvalReport:
    """The scores of one evaluation, by row name ("Method", "proposes", "result metric", "micro"),
    strict (same normalised key) and lenient (one span inside the other)."""

    papers: int = 0
    strict: dict[str, Score] = field(default_factory=dict)
    lenient: dict[str, Score] = field(default_factory=dict)
    #: per paper and type, what was missed and what was extra (for error analysis)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "papers": self.papers,
            "strict": {k: v.as_dict() for k, v in self.strict.items()},
            "lenient": {k: v.as_dict() for k, v in self.lenient.items()},
        }


def _words(key_text: str) -> str:
    return " " + " ".join(normalize_key(w) for w in key_text.replace("-", " ").split()) + " "


def _lenient_match(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return wa in wb or wb in wa


def score_sets(predicted: Iterable[str], gold: Iterable[str]) -> tuple[Score, Score, set[str], set[str]]:
    """Strict and lenient scores of two lists of surface forms; also the misses and extras."""
    pred = {normalize_key(p): p for p in predicted if normalize_key(p)}
    true = {normalize_key(g): g for g in gold if normalize_key(g)}
    tp = len(pred.keys() & true.keys())
    strict = Score(tp, len(pred) - tp, len(true) - tp)
    matched_pred = {k for k, v in pred.items() if any(_lenient_match(v, g) for g in true.values())}
    matched_true = {k for k, v in true.items() if any(_lenient_match(p, v) for p in pred.values())}
    lenient = Score(len(matched_true), len(pred) - len(matched_pred), len(true) - len(matched_true))
    missed = {true[k] for k in true.keys() - pred.keys()}
    extra = {pred[k] for k in pred.keys() - true.keys()}
    return strict, lenient, missed, extra


def _forms(output: dict[str, Any], label: str) -> dict[str, set[str]]:
    """The normalised surface forms each canonical name of ``label`` takes in one abstract: the
    extractor's links and baselines name canonical entities, the gold names surface forms."""
    forms: dict[str, set[str]] = {}
    for mention in output["entities"][label]:
        forms.setdefault(mention["canonical"], set()).add(normalize_key(mention["text"]))
    return forms


def score_links(output: dict[str, Any], gold: list[list[str]]) -> tuple[Score, list[str], list[str]]:
    """INSTANCE_OF links of one paper against the gold's (method, technique) pairs. A link matches
    a gold pair when the pair's forms are among the forms its two ends take in this abstract. A
    link to a technique the abstract never names (the gazetteer's parent of a known method) is
    knowledge, not something read from this text, and is not scored."""
    methods, techniques = _forms(output, "Method"), _forms(output, "Technique")
    predicted = [
        (f"{link['source']} -> {link['target']}", methods.get(link["source"], {normalize_key(link["source"])}), techniques[link["target"]])
        for link in output["instance_of"]
        if link["target"] in techniques
    ]
    pairs = {(normalize_key(method), normalize_key(technique)): f"{method} -> {technique}" for method, technique, *_ in gold}
    found = {pair for pair in pairs if any(pair[0] in m and pair[1] in t for _, m, t in predicted)}
    extra = sorted(name for name, m, t in predicted if not any(p[0] in m and p[1] in t for p in pairs))
    missed = sorted(pairs[p] for p in pairs.keys() - found)
    return Score(len(found), len(extra), len(missed)), missed, extra


def score_compared(output: dict[str, Any], gold: list[str]) -> tuple[Score, list[str], list[str]]:
    """The baselines a paper is compared with (COMPARED_WITH) against the gold's method names,
    matched through every form the extractor's canonical name takes in the abstract."""
    methods = _forms(output, "Method")
    predicted = {name: methods.get(name, {normalize_key(name)}) for name in output["compared_with"]}
    names = {normalize_key(name): name for name in gold}
    found = {key for key in names if any(key in forms for forms in predicted.values())}
    extra = sorted(name for name, forms in predicted.items() if not forms & names.keys())
    missed = sorted(names[key] for key in names.keys() - found)
    return Score(len(found), len(extra), len(missed)), missed, extra


def _result_key(result: dict[str, Any]) -> tuple[float, str]:
    return (round(abs(float(result["value"])), 4), str(result.get("unit") or "").strip().lower())


def score_results(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> Score:
    pred, true = Counter(_result_key(r) for r in predicted), Counter(_result_key(r) for r in gold)
    tp = sum((pred & true).values())
    return Score(tp, sum(pred.values()) - tp, sum(true.values()) - tp)


#: what a result says besides its number, each scored on its own; `gain` (tests/data/GAINS.md)
#: only on the gold records whose results carry it, since it was annotated after the rest
RESULT_ATTRIBUTES = ("metric", "direction", "gain", "baseline", "model", "dataset", "hardware")


def _attribute_text(result: dict[str, Any], attribute: str) -> str:
    value = result.get(attribute)
    if isinstance(value, bool):  # a gain: a change for the better or the worse
        return "better" if value else "worse"
    return str(value or "")


def _attribute_triples(results: list[dict[str, Any]], attribute: str) -> list[tuple[tuple[float, str], str]]:
    """(value, unit) and the attribute as written, for the results that give it."""
    texts = ((_result_key(r), _attribute_text(r, attribute)) for r in results)
    return [(key, text) for key, text in texts if normalize_key(text)]


def score_result_attribute(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], attribute: str
) -> tuple[Score, Score]:
    """Strict and lenient scores of one attribute, on results that give it.

    Strict compares normalised keys; lenient accepts one form inside the other
    at word boundaries ("speedup" for "inference speedup"), each gold triple
    matched at most once.
    """
    pred, true = _attribute_triples(predicted, attribute), _attribute_triples(gold, attribute)
    strict_pred = Counter((key, normalize_key(text)) for key, text in pred)
    strict_true = Counter((key, normalize_key(text)) for key, text in true)
    tp = sum((strict_pred & strict_true).values())
    strict = Score(tp, len(pred) - tp, len(true) - tp)
    unmatched = list(true)
    lenient_tp = 0
    for key, text in pred:
        match = next((t for t in unmatched if t[0] == key and _lenient_match(text, t[1])), None)
        if match is not None:
            unmatched.remove(match)
            lenient_tp += 1
    return strict, Score(lenient_tp, len(pred) - lenient_tp, len(true) - lenient_tp)


def _result_differences(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], attribute: str | None
) -> tuple[list[str], list[str]]:
    """The results (or one attribute of them) only the gold has, and only the prediction has: "2.3x: speedup"."""

    def written(results: list[dict[str, Any]]) -> dict[tuple[tuple[float, str], str], list[str]]:
        triples = _attribute_triples(results, attribute) if attribute else [(_result_key(r), "") for r in results]
        forms: dict[tuple[tuple[float, str], str], list[str]] = {}
        for (value, unit), text in triples:
            number = claim_text(value, unit, None)
            forms.setdefault(((value, unit), normalize_key(text)), []).append(f"{number}: {text}" if attribute else number)
        return forms

    pred, true = written(predicted), written(gold)
    missed = sorted(f for key, fs in true.items() for f in fs[len(pred.get(key, [])) :])
    extra = sorted(f for key, fs in pred.items() for f in fs[len(true.get(key, [])) :])
    return missed, extra


def load_gold(path: Path, warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """The records of a gold file (JSON Lines, one annotated abstract per line, ANNOTATION.md).

    A record of the wrong shape is an error naming its line and field, since it would otherwise
    be scored wrongly without a word (a string of names read one letter at a time, a misspelt
    type read as empty). A name that is not in its abstract is scored, as a miss, and listed in
    ``warnings`` when it is given."""
    records = []
    try:
        # JSON Lines ends a record at "\n" only: splitlines() also broke a line at a U+2028 or a
        # form feed, which a JSON string may hold as they are
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise EvalError(f"cannot read gold file {path}: not UTF-8 text (byte {e.start})") from e
    except OSError as e:
        raise EvalError(f"cannot read gold file {path}: {e.strerror}") from e
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = jsonutil.loads(line)
        except json.JSONDecodeError as e:
            raise EvalError(f"{path}:{number}: not JSON ({e.msg}, column {e.colno}); a gold file has one record per line") from e
        except RecursionError:
            raise EvalError(f"{path}:{number}: JSON nested too deeply to be a gold record") from None
        problem = _shape_problem(record)
        if problem:
            raise EvalError(f"{path}:{number}: {problem}")
        if warnings is not None:
            text = f"{record['title']}\n{record['abstract']}"
            absent = [n for names in record["entities"].values() for n in names if n not in text]  # verbatim
            warnings.extend(f"{path}:{number}: {name!r} is not in the title or abstract" for name in absent)
        records.append(record)
    if not records:
        raise EvalError(f"no gold records in {path}")
    return records


_RESULT_TEXT_FIELDS = ("metric", "unit", "baseline", "model", "dataset", "hardware")


def _shape_problem(record: Any) -> str | None:
    """What is wrong with a gold record's shape, in words, or None."""
    if not isinstance(record, dict):
        return f"not a gold record: a JSON {type(record).__name__}, not an object with title, abstract and entities"
    missing = [k for k in ("title", "abstract", "entities") if k not in record]
    if missing:
        return f"not a gold record: it has no {', '.join(missing)} (it needs title, abstract and entities)"
    if not isinstance(record["title"], str) or not isinstance(record["abstract"], str):
        return "title and abstract must be text"
    # what `kg build` skips is no abstract to score on either: the extractor cannot read it
    for field_name, longest in (("title", MAX_TITLE), ("abstract", MAX_ABSTRACT)):
        if len(record[field_name]) > longest:
            return f"{field_name} of {len(record[field_name])} characters is longer than {longest}; not a{'n' * (field_name == 'abstract')} {field_name}"
    if broken := _lone_surrogate_in(record):
        return f"{broken} holds half of a UTF-16 pair (a lone surrogate such as \\ud800), which no text can hold; fix the escape"
    entities = record["entities"]
    if not isinstance(entities, dict):
        return "entities must be an object from entity type to a list of names"
    unknown = [k for k in entities if k not in ENTITY_LABELS]
    if unknown:
        return f"entities has no type {unknown[0]!r}; the types are {', '.join(ENTITY_LABELS)}"
    for field_name, value in (
        *((f"entities.{k}", v) for k, v in entities.items()),
        ("proposes", record.get("proposes", [])),
        ("code", record.get("code", [])),
        ("compared_with", record.get("compared_with", [])),
    ):
        if not _names(value):
            return f"{field_name} must be a list of names, not {json.dumps(value)[:60]}"
    pairs = record.get("instance_of", [])
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) >= 2 and _names(p[:2]) for p in pairs):
        return "instance_of must list [method, technique, ...] pairs"
    results = record.get("results", [])
    if not isinstance(results, list):
        return "results must be a list of objects"
    for index, result in enumerate(results, start=1):
        where = f"results[{index}]"
        if not isinstance(result, dict):
            return f"{where} must be an object"
        value = result.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{where}.value must be a number, not {json.dumps(value)}"
        if result.get("direction") not in (None, "increase", "decrease"):
            return f"{where}.direction must be \"increase\", \"decrease\" or null, not {json.dumps(result['direction'])}"
        if result.get("gain") not in (None, True, False):
            return f"{where}.gain must be true, false or null, not {json.dumps(result['gain'])}"
        bad = next((f for f in _RESULT_TEXT_FIELDS if not isinstance(result.get(f), (str, type(None)))), None)
        if bad:
            return f"{where}.{bad} must be text or null, not {json.dumps(result[bad])}"
    return None


def _lone_surrogate_in(record: dict[str, Any]) -> str | None:
    """The field of a gold record whose text holds a lone surrogate ("\\ud800" in JSON), if one
    does: the extractor cannot encode it, and `kg build`'s readers replace it."""
    stack: list[tuple[str, Any]] = [(key, value) for key, value in record.items()]
    while stack:
        name, value = stack.pop()
        if isinstance(value, str) and jsonutil.holds_lone_surrogate(value):
            return name
        if isinstance(value, dict):
            stack.extend((f"{name}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((name, item) for item in value)
    return None


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(n, str) for n in value)


def evaluate(gold: list[dict[str, Any]], *, extractor: Extractor | None = None) -> EvalReport:
    """Score the extractor over gold records (the format in ANNOTATION.md)."""
    extractor = extractor or Extractor()
    papers = [Paper(id=str(g.get("id", i)), title=g["title"], abstract=g["abstract"]) for i, g in enumerate(gold)]
    report = EvalReport()
    totals = {"strict": Score(), "lenient": Score()}
    for record, extraction in zip(gold, extractor.extract(papers)):
        report.papers += 1
        _score_paper(record, extraction, report, totals)
    report.strict["micro"], report.lenient["micro"] = totals["strict"], totals["lenient"]
    return report


def _score_paper(record: dict[str, Any], extraction: Extraction, report: EvalReport, totals: dict[str, Score]) -> None:
    output = extraction.to_json()
    pairs: list[tuple[str, list[str], list[str]]] = [
        (label, [m["text"] for m in output["entities"][label]], list(record["entities"].get(label, [])))
        for label in ENTITY_LABELS
    ]
    for label, predicted, gold in pairs:
        strict, lenient, missed, extra = score_sets(predicted, gold)
        report.strict.setdefault(label, Score()).add(strict)
        report.lenient.setdefault(label, Score()).add(lenient)
        totals["strict"].add(strict)
        totals["lenient"].add(lenient)
        if missed or extra:
            report.errors.append({"id": record.get("id"), "type": label, "missed": sorted(missed), "extra": sorted(extra)})
    for name, predicted, gold in (
        ("proposes", output["proposes"], record.get("proposes", [])),
        ("code", [c.rstrip("/.") for c in output["code"]], [c.rstrip("/.") for c in record.get("code", [])]),
    ):
        strict, lenient, missed, extra = score_sets(predicted, gold)
        report.strict.setdefault(name, Score()).add(strict)
        report.lenient.setdefault(name, Score()).add(lenient)
        if missed or extra:
            report.errors.append({"id": record.get("id"), "type": name, "missed": sorted(missed), "extra": sorted(extra)})
    for name, scorer in (("instance_of", score_links), ("compared_with", score_compared)):
        if name in record:
            score, missed, extra = scorer(output, record[name])
            report.strict.setdefault(name, Score()).add(score)
            report.lenient.setdefault(name, Score()).add(score)
            if missed or extra:
                report.errors.append({"id": record.get("id"), "type": name, "missed": missed, "extra": extra})
    results = score_results(output["results"], record.get("results", []))
    report.strict.setdefault("results", Score()).add(results)
    report.lenient.setdefault("results", Score()).add(results)
    annotated = [a for a in RESULT_ATTRIBUTES if a != "gain" or any("gain" in r for r in record.get("results", []))]
    for name, attribute in (("results", None), *((f"result {a}", a) for a in annotated)):
        missed, extra = _result_differences(output["results"], record.get("results", []), attribute)
        if missed or extra:
            report.errors.append({"id": record.get("id"), "type": name, "missed": missed, "extra": extra})
    for attribute in annotated:
        strict, lenient = score_result_attribute(output["results"], record.get("results", []), attribute)
        report.strict.setdefault(f"result {attribute}", Score()).add(strict)
        report.lenient.setdefault(f"result {attribute}", Score()).add(lenient)
