"""Typed records that cross the boundaries between steps of the data flow."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from kg.errors import NotExtractOutput, clip
from kg.schema import BOOL, ENTITY_LABELS, FLOAT, INT, INT_RANGE, STRING, STRINGS, node_type


def normalize_title(title: str) -> str:
    """Fold a title to the form used to recognise the same paper twice."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def paper_id_for(title: str, *, arxiv_id: str | None = None) -> str:
    """A stable id: the arXiv id where known, else a hash of the normalised title."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    digest = hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()[:16]
    return f"title:{digest}"


@dataclass(frozen=True)
class Paper:
    """One paper as read from a source: its title and abstract, plus what the source knew. Its id
    is the readers' (`paper_id_for`); `kg.make_paper` makes one of text in memory with that id."""

    id: str
    title: str
    abstract: str
    url: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    date: str | None = None
    categories: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What the extractor reads; mention offsets index into this string."""
        return f"{self.title}\n\n{self.abstract}"

    @property
    def content_hash(self) -> str:
        """Changes exactly when the text the extractor reads changes."""
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Mention:
    """An entity named in a paper, where it stands and the sentence around it."""

    label: str
    text: str
    canonical: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True)
class Result:
    """One quantitative claim ("2.7x speedup over vLLM on A100")."""

    metric: str | None
    value: float
    unit: str
    sentence: str
    direction: str | None = None
    #: a change for the better (True), for the worse (False), or not a change or unknown (None)
    gain: bool | None = None
    baseline: str | None = None
    dataset: str | None = None
    model: str | None = None
    hardware: str | None = None
    start: int = 0
    end: int = 0


def claim_text(value: float, unit: str | None, metric: str | None) -> str:
    """How a result reads wherever it is shown: "2.5x speedup", "40% memory", "16 GB GPU memory",
    "5.72 perplexity" (a score without a unit)."""
    unit = unit or ""
    number = f"{value:g}{unit}" if unit in ("x", "%") else f"{value:g} {unit}".rstrip()
    return f"{number} {metric or ''}".strip()


@dataclass(frozen=True)
class Link:
    """A fact between two named things, with the sentence that supports it."""

    source: str
    target: str
    sentence: str


@dataclass
class Extraction:
    """Everything the extractor read out of one paper."""

    paper: Paper
    extractor_version: str
    mentions: list[Mention] = field(default_factory=list)
    #: canonical names of what the paper introduces: Methods, and Models it releases
    proposes: list[str] = field(default_factory=list)
    compared_with: list[str] = field(default_factory=list)
    instance_of: list[Link] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    code: list[str] = field(default_factory=list)

    def entities(self, label: str) -> list[Mention]:
        return [m for m in self.mentions if m.label == label]

    def proposed_forms(self) -> list[str]:
        """Every surface form of what the paper proposes ("HoT" and "Hourglass Tokenizer")."""
        proposed = set(self.proposes)
        forms = [m.text for m in self.mentions if m.label in ("Method", "Model") and m.canonical in proposed]
        return list(dict.fromkeys(forms or self.proposes))

    def to_json(self) -> dict[str, Any]:
        """The `kg extract` output: a superset of the gold format in ANNOTATION.md."""
        from kg.schema import ENTITY_LABELS

        return {
            "id": self.paper.id,
            "title": self.paper.title,
            "abstract": self.paper.abstract,
            "url": self.paper.url,
            "year": self.paper.year,
            "date": self.paper.date,
            "authors": list(self.paper.authors),
            "categories": list(self.paper.categories),
            "source": self.paper.source,
            "extractor_version": self.extractor_version,
            "entities": {
                label: [
                    {
                        "text": m.text,
                        "canonical": m.canonical,
                        "start": m.start,
                        "end": m.end,
                        "sentence": m.sentence,
                    }
                    for m in self.entities(label)
                ]
                for label in ENTITY_LABELS
            },
            "proposes": self.proposed_forms(),
            "proposes_canonical": list(self.proposes),
            "compared_with": list(self.compared_with),
            "instance_of": [asdict(link) for link in self.instance_of],
            "results": [
                {k: v for k, v in asdict(r).items() if k not in ("start", "end")}
                for r in self.results
            ],
            "code": list(self.code),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        """Read back what `to_json` wrote (`kg load` builds a graph from `kg extract` output).

        A record `kg extract` could not have written (a title that is a number, a label the
        schema lacks, a control character or half a UTF-16 pair, which the readers clean away)
        is refused with why (`NotExtractOutput`): it came from elsewhere, or was edited."""
        if problem := _not_extract_output(data):
            raise NotExtractOutput(problem)
        paper = Paper(
            id=data["id"],
            title=data["title"],
            abstract=data.get("abstract") or "",
            url=data.get("url"),
            year=data.get("year"),
            date=data.get("date"),
            authors=tuple(data.get("authors") or ()),
            categories=tuple(data.get("categories") or ()),
            source=data.get("source"),
        )
        mentions = [
            Mention(label, m["text"], m["canonical"], m["start"], m["end"], m["sentence"])
            for label, items in data["entities"].items()
            for m in items
        ]
        mentions.sort(key=lambda m: m.start)
        return cls(
            paper=paper,
            extractor_version=data.get("extractor_version", ""),
            mentions=mentions,
            proposes=list(data.get("proposes_canonical", data.get("proposes", []))),
            compared_with=list(data.get("compared_with", [])),
            instance_of=[Link(**link) for link in data.get("instance_of", [])],
            results=[Result(**r) for r in data.get("results", [])],
            code=list(data.get("code", [])),
        )


#: what no `kg extract` output holds: control characters and lone surrogates (the readers clean
#: both); a line break is no control here (a result's sentence may run on from the title)
_UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _not_extract_output(data: Any) -> str | None:
    """Why ``data`` cannot be a `kg extract` record, if it cannot."""
    if not isinstance(data, dict):
        return None  # reading it fails, and says so
    for field_name in ("id", "title"):
        if not isinstance(data.get(field_name, ""), str):
            return f"its {field_name} is not text"
        if field_name in data and not data[field_name].strip():
            return f"its {field_name} is empty"
    entities = data.get("entities", {})
    if not isinstance(entities, dict):
        return "its entities are not an object of label: mentions"
    if unknown := sorted(set(entities) - set(ENTITY_LABELS)):
        return f"it has mentions labelled {', '.join(unknown)}, which the schema lacks ({', '.join(ENTITY_LABELS)})"
    if problem := _wrong_types(data):
        return problem
    stack: list[Any] = [data]
    while stack:  # iteratively: a record nested ten thousand deep is refused, not a RecursionError
        value = stack.pop()
        if isinstance(value, str) and _UNCLEAN.search(value):
            return "it holds a control character or a broken character, which `kg extract` never writes"
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


#: what each kind of value the schema names must be in a `kg extract` record, in words
_EXPECTED = {
    STRING: "text or null",
    INT: "a whole number or null",
    FLOAT: "a number",
    BOOL: "true, false or null",
    STRINGS: "a list of text",
}
#: the fields of a record that are lists of names, besides a paper's authors and categories
_NAME_LISTS = ("proposes", "proposes_canonical", "compared_with", "code")


def _fits(value: Any, kind: str) -> bool:
    """Whether ``value`` can be stored as a property of schema type ``kind`` (null can: a field the
    record leaves out). A store casts what cannot: "abc" as a year failed the whole batch of a
    load, "yes" as a gain became null, the text "Alice Smith" as authors a list of its letters."""
    if value is None:
        return True
    if kind == STRING:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool) and value in INT_RANGE
    if kind == FLOAT:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < float("inf")
    if kind == BOOL:
        return isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _wrong(name: str, value: Any, kind: str) -> str:
    return f"its {name} must be {_EXPECTED[kind]}, not {clip(json.dumps(value, ensure_ascii=False, default=str), 40)}"


def _wrong_types(data: dict[str, Any]) -> str | None:
    """Which value of a record has a type the schema does not give it, in words, if one has: the
    paper's and its results' properties as kg/schema.py types them, and the shapes of mentions,
    links and name lists that `to_json` writes."""
    paper = dict(node_type("Paper").all_properties)
    for name, kind in paper.items():
        if name in data and not _fits(data[name], kind):
            return _wrong(name, data[name], kind)
    for name in _NAME_LISTS:
        if name in data and not _fits(data[name], STRINGS):
            return _wrong(name, data[name], STRINGS)
    for label, mentions in data.get("entities", {}).items():
        if not isinstance(mentions, list) or not all(isinstance(m, dict) for m in mentions):
            return f"its entities.{label} must be a list of mentions (objects), not {json.dumps(mentions)[:40]}"
        for mention in mentions:
            for name, kind in (("text", STRING), ("canonical", STRING), ("sentence", STRING), ("start", INT), ("end", INT)):
                if mention.get(name) is None or not _fits(mention[name], kind):
                    return _wrong(f"entities.{label} {name}", mention.get(name), kind).replace(" or null", "")
    links = data.get("instance_of", [])
    if not isinstance(links, list) or not all(
        isinstance(link, dict) and set(link) == {"source", "target", "sentence"} and all(isinstance(v, str) for v in link.values())
        for link in links
    ):
        return "its instance_of must be a list of {source, target, sentence} objects of text"
    results = data.get("results", [])
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        return "its results must be a list of objects"
    result_kinds = dict(node_type("Result").properties)
    result_fields = [f.name for f in fields(Result)]
    for number, result in enumerate(results, start=1):
        if unknown := sorted(set(result) - set(result_fields)):
            return f"its results[{number}] has {', '.join(unknown)}, which a result does not ({', '.join(result_fields)})"
        if result.get("value") is None:
            return f"its results[{number}] has no value"
        for name, value in result.items():
            kind = result_kinds.get(name, INT)
            if not _fits(value, kind):
                return _wrong(f"results[{number}].{name}", value, kind)
    return None
