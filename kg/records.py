"""Typed records that cross the boundaries between steps of the data flow."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.errors import NotExtractOutput
from kg.schema import ENTITY_LABELS


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
    """One paper as read from a source: its title and abstract, plus what the source knew."""

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
    entities = data.get("entities", {})
    if not isinstance(entities, dict):
        return "its entities are not an object of label: mentions"
    if unknown := sorted(set(entities) - set(ENTITY_LABELS)):
        return f"it has mentions labelled {', '.join(unknown)}, which the schema lacks ({', '.join(ENTITY_LABELS)})"
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
