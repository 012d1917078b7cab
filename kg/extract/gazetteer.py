"""Gazetteers: named things of the domain, kept as TSV data files in ``kg/extract/data``.

Each file holds general domain knowledge (well-known models, datasets,
metrics, hardware, named methods and a taxonomy of techniques); patterns in
`components` catch the names no list knows. Names of Methods, Models,
Datasets and Hardware match case-sensitively, since many are also English
words in lower case; Techniques, Metrics and Tasks match case-insensitively.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from kg.errors import GazetteerError
from kg.extract.canonical import normalize_key, plural_folded_key

#: file -> (label, what the second column holds, if anything)
_FILES: dict[str, tuple[str, str | None]] = {
    "methods.tsv": ("Method", "technique"),
    "taxonomy.tsv": ("Technique", "parent"),
    "models.tsv": ("Model", "family"),
    "datasets.tsv": ("Dataset", "parent"),
    "metrics.tsv": ("Metric", None),
    "tasks.tsv": ("Task", None),
    "hardware.tsv": ("Hardware", "parent"),
}
CASE_INSENSITIVE = frozenset({"Technique", "Metric", "Task"})


@dataclass(frozen=True)
class Entry:
    """One gazetteer line: a canonical name, its aliases and, by file, its parents: a
    technique's broader technique, a model's family, a method's techniques (some methods are
    two kinds at once: AWQ is weight-only and post-training quantization), the suites a
    benchmark belongs to (RTE is in GLUE and in SuperGLUE), the device a hardware variant is of."""

    label: str
    name: str
    aliases: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()

    @property
    def parent(self) -> str | None:
        """The first parent, the one a taxonomy or family tree hangs from."""
        return self.parents[0] if self.parents else None

    @property
    def forms(self) -> tuple[str, ...]:
        """The name and every alias: the forms a text may use for this entry."""
        return (self.name, *self.aliases)


def _data_files() -> Any:
    return resources.files("kg.extract") / "data"


def _is_acronym(form: str) -> bool:
    """Short all-capital forms ("KD", "PTQ", "MoE") match by case even for terms."""
    letters = [c for c in form if c.isalpha()]
    return len(form) <= 6 and sum(c.isupper() for c in letters) >= 2


def _capitals_of_a_coinage(text: str, entry: Entry) -> bool:
    """Whether ``text`` is a name in capitals whose letters the entry only writes as a coinage
    with small letters inside: "STAR" (a benchmark) is not STaR (a reasoning method), "DORA" not
    DoRA. A capitalised word ("Llama") or a coinage's own case still finds the entry."""
    if not (text.isupper() and sum(c.isalpha() for c in text) >= 3):
        return False
    key = normalize_key(text)
    same = [form for form in entry.forms if normalize_key(form) == key]
    return bool(same) and not any(form.isupper() for form in same) and all(_MIXED_CASE.search(form) for form in same)


#: a small letter between capitals, as a coinage writes its name ("STaR", "LLaMA", "GaLore")
_MIXED_CASE = re.compile(r"[A-Z][a-z]+[A-Z]")


def _spelling_variants(form: str) -> list[str]:
    """A hyphenated term written with spaces ("tensor-parallel", "tensor parallel"): the key
    folds them, the ruler's token matching needs both. (The reverse, a spaced term hyphenated,
    is rarer in prose; the files list such forms where they are common.)"""
    if re.search(r"[A-Za-z]-[A-Za-z]", form):
        return [re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", form)]
    return []


#: a technique name that joins two techniques: "pruning and quantization", "pruning/quantization"
_JOINED = re.compile(r"/|&|\+|\b(?:and|or|with|versus|vs)\b", re.IGNORECASE)
#: a word in lower case, not part of one with capitals ("aware" in "hardware-aware", not "ware")
LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
#: the longest known technique a new one may end with, in words
_HEAD_WORDS = 6


#: where the data files are, as a contributor finds them in the repository
_DATA = "kg/extract/data"


def _read_text(path: Traversable) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise GazetteerError(f"{_DATA}/{path.name}:{line}: not UTF-8 text (byte {e.object[e.start]:#x}); save it as UTF-8") from e


def _read_entries(filename: str, text: str, label: str, second: str | None) -> list[Entry]:
    """The entries of one file: name, then (for files that have one) the parent column, then
    aliases, separated by tabs; within a column, several values are separated by "|"."""
    columns = ["name", *([second] if second else []), "aliases"]
    entries: list[Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{_DATA}/{filename}:{number}"
        if len(cells) > len(columns):
            raise GazetteerError(f"{where}: {len(cells)} tab-separated columns; this file has {len(columns)}: {', '.join(columns)}")
        if not cells[0]:
            raise GazetteerError(f"{where}: no name in the first column")
        cells += [""] * (len(columns) - len(cells))
        parents = _values(cells[1]) if second else ()
        if label == "Model" and not parents:
            # "a family lists itself": a missing family is a missing tab ("Granite 4 Granite-4")
            raise GazetteerError(f"{where}: no family in the second column (a family names itself there)")
        entries.append(Entry(label, cells[0], _values(cells[-1]), parents))
    return entries


def _values(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


class Gazetteer:
    """All gazetteer entries, looked up by label and normalised key."""

    def __init__(self, entries: list[Entry], lexicon: dict[str, Any]) -> None:
        self.entries = entries
        self.lexicon = lexicon
        self._by_key: dict[tuple[str, str], Entry] = {}
        for entry in entries:
            for form in entry.forms:
                self._by_key.setdefault((entry.label, normalize_key(form)), entry)
        for entry in entries:  # "fps" finds FPS, after every form's own key has its entry
            for form in entry.forms:
                self._by_key.setdefault((entry.label, plural_folded_key(form)), entry)

    @classmethod
    def load(cls) -> Gazetteer:
        """Read every data file shipped in the package. A malformed line is an error naming its
        file and line, not a name read wrongly: the files are edited by hand."""
        entries: list[Entry] = []
        folder = _data_files()
        for filename, (label, second) in _FILES.items():
            path = folder / filename
            if path.is_file():
                entries.extend(_read_entries(filename, _read_text(path), label, second))
        try:
            lexicon = json.loads(_read_text(folder / "lexicon.json"))
        except json.JSONDecodeError as e:
            raise GazetteerError(f"{_DATA}/lexicon.json:{e.lineno}:{e.colno}: not valid JSON ({e.msg})") from e
        gazetteer = cls(entries, lexicon)
        gazetteer._refuse_loops()
        return gazetteer

    def _refuse_loops(self) -> None:
        """A parent chain that comes back to where it began would keep its nodes in every graph
        for good (each would always have a narrower one pointing at it)."""
        for entry in self.entries:
            if entry.label not in ("Technique", "Dataset", "Hardware"):
                continue
            seen, todo = set(), [p.name for p in self.parents_of(entry.label, entry.name)]
            while todo:
                name = todo.pop()
                if name == entry.name:
                    raise GazetteerError(f"{_DATA}: {entry.name!r} ({entry.label}) is its own ancestor; break the loop of parents")
                if name not in seen:
                    seen.add(name)
                    todo += [p.name for p in self.parents_of(entry.label, name)]

    @cached_property
    def version(self) -> str:
        """A short hash of the data, so a change of gazetteer changes the extractor version."""
        digest = hashlib.sha1()
        for entry in self.entries:
            digest.update(repr(entry).encode("utf-8"))
        digest.update(json.dumps(self.lexicon, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:8]

    def lookup(self, label: str, text: str) -> Entry | None:
        """The entry whose form ``text`` is, under ``label``, by normalised key (case, hyphens and
        spaces aside); a term's plural finds it too."""
        entry = self._by_key.get((label, normalize_key(text)))
        if entry is None and label in CASE_INSENSITIVE:  # a term's capitals name no new thing: "TFLOPS"
            entry = self._by_key.get((label, plural_folded_key(text)))
        if entry is not None and label not in CASE_INSENSITIVE and _capitals_of_a_coinage(text, entry):
            return None
        return entry

    @cached_property
    def term_words(self) -> frozenset[str]:
        """The words the techniques, measures and tasks write in lower case ("hardware", "aware"):
        common words of the field, which a title's capitals do not make names ("Gaussian", which
        they never write so, is one)."""
        return frozenset(
            word
            for entry in self.entries
            if entry.label in CASE_INSENSITIVE
            for form in entry.forms
            for word in LOWER_WORD.findall(form)
        )

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.label for e in self.entries))

    def label_of(self, text: str, *, labels: tuple[str, ...] | None = None) -> str | None:
        """The first label whose gazetteer knows ``text``, in the order given."""
        for label in labels or self.labels:
            if self.lookup(label, text) is not None:
                return label
        return None

    def technique_chain(self, name: str) -> list[Entry]:
        """A technique and its ancestors up the taxonomy, nearest first."""
        chain: list[Entry] = []
        entry = self.lookup("Technique", name)
        while entry is not None and entry not in chain:
            chain.append(entry)
            entry = self.lookup("Technique", entry.parent) if entry.parent else None
        return chain

    def parents_of(self, label: str, name: str) -> list[Entry]:
        """Every entry ``name``'s entry lists as a parent, each once (a benchmark may sit in two
        suites); parents the file does not name are skipped, and the data tests catch them."""
        entry = self.lookup(label, name)
        if entry is None:
            return []
        found = (self.lookup(label, parent) for parent in entry.parents)
        return list({id(p): p for p in found if p is not None and p is not entry}.values())

    def technique_head(self, name: str) -> Entry | None:
        """The known technique a technique the taxonomy lacks is a kind of: the longest that ends
        its name, word for word ("feature-level knowledge distillation" is a knowledge
        distillation, "bidirectional weight pruning" a pruning), so that roll-ups over the
        taxonomy also count the many techniques papers name with their own modifiers. A name that
        joins two things ("pruning and quantization", "pruning/quantization") is a kind of
        neither, and a one-word alias is too loose a head ("scheduling" also names request
        scheduling, which "warp scheduling" is not)."""
        if _JOINED.search(name):
            return None
        words = name.split()
        for start in range(max(1, len(words) - _HEAD_WORDS), len(words)):
            tail = " ".join(words[start:])
            entry = self.lookup("Technique", tail)
            if entry is not None and (start < len(words) - 1 or normalize_key(tail) == normalize_key(entry.name)):
                return entry
        return None

    def ruler_patterns(self, *, case_sensitive: bool) -> list[dict[str, str]]:
        """Phrase patterns for spaCy's entity ruler, one ruler per matching mode."""
        patterns: list[dict[str, str]] = []
        for entry in self.entries:
            insensitive_label = entry.label in CASE_INSENSITIVE
            for form in entry.forms:
                by_case = not insensitive_label or _is_acronym(form)
                if by_case != case_sensitive:
                    continue
                variants = [form, *_spelling_variants(form)] if insensitive_label else [form]
                if not form.endswith("s") and (insensitive_label or _is_acronym(form)):
                    variants.extend(v + "s" for v in list(variants))
                patterns.extend({"label": entry.label, "pattern": v} for v in variants)
        return patterns
