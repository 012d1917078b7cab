"""A paper's title, read for what it names: the method before a colon ("EvoPress: Towards
...") and the words that spell it out, and the task and technique phrases after it ("... for 3D
Human Pose Estimation", "... via Evolutionary Search").

A title is written in its own register (Title Case, no verbs, praise in front), so it is read
apart from the abstract's sentences; `kg.extract.components` offers what it finds as candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kg.extract import patterns

#: where a title's task and technique phrases end ("... for X via Y", "X, Y and Z"); the second
#: keeps the "and" and "of" a task's name may hold ("Liver and Tumor Segmentation")
_TITLE_PHRASE_CUTS = r"\b(?:for|via|with|through|towards|toward|using|by|in|on|of|and|from)\b|[,;]|:(?=\s)"
_TITLE_PHRASE_CUTS_KEEPING_JOINS = r"\b(?:for|via|with|through|towards|toward|using|by|in|on|from)\b|[,;]|:(?=\s)"
#: Task heads strong enough to make a Title-Case acronym definition a Task, not a Method.
STRONG_TASK_HEADS = frozenset(
    "estimation assessment recognition detection segmentation classification understanding "
    "comprehension answering captioning forecasting summarization translation repair "
    "super-resolution retrieval tracking grounding".split()
)
_TITLE_PHRASE_OPENERS = frozenset(
    "beyond towards toward when why how what which is are do does can less more not from on in to "
    "the a an one all every no".split()
)
_TITLE_CUTS = re.compile(
    r"\s+(?:for|via|with|through|towards|toward|using|by|in|on|of|and|from|to)\s+|[,;?!]|:(?=\s)", re.IGNORECASE
)
#: the colon that ends a title's name ("EvoPress: Towards ..."), not one inside a ratio ("N:M Sparse")
_TITLE_COLON = re.compile(r":(?=\s)")


class TitleReader:
    """The title rules, with the head words and fillers they need from the lexicon."""

    def __init__(self, lexicon: dict[str, Any]) -> None:
        self.task_heads = tuple(lexicon["task_heads"])
        self.technique_heads = tuple(lexicon["technique_heads"])
        self.fillers = frozenset(lexicon["title_task_fillers"])

    def name(self, title: str) -> str | None:
        """"EvoPress: Towards ..." names the paper's method before the colon."""
        match = re.match(r"^\s*([^:]{2,40}?)\s*:\s+\S", title)
        if not match:
            return None
        name = match.group(1).strip()
        if wrapped := patterns.LATEX_WRAPPED.fullmatch(name):
            name = wrapped.group(1)  # "$\texttt{Ladder}$: 2-bit KV Cache Quantization"
        if len(name.split()) > 3 or name.lower() in {"survey", "review", "position"}:
            return None
        # "kvtrim: Query-Aware ...": a title starts in capitals, so one lower-case word is a name
        lower_name = re.fullmatch(r"[a-z][a-z0-9]*(?:[._\-][a-z0-9]+)*", name) is not None and len(name) > 2
        if not (patterns.is_name_shaped(name) or name[:1].isupper() or lower_name):
            return None
        words = name.split()
        first = words[0].lower()
        if len(words) > 1 and not any(patterns.is_name_shaped(w) for w in words) and (
            first.endswith("ing") or first in _TITLE_PHRASE_OPENERS
        ):
            return None  # "Bridging the Divide: ...", "Beyond Efficiency: ...": a phrase, not a name
        return name

    def long_form(self, title: str, name: str) -> str | None:
        """The words a title spells its name out in, right after the colon: "TVConv: Efficient
        Translation Variant Convolution for ..." gives "Translation Variant Convolution"."""
        _, _, words = next(self._pieces(title))
        phrase = " ".join(words)
        return phrase if 2 <= len(words) <= 8 and patterns.spells_name(name, phrase) else None

    def phrases(self, title: str) -> list[tuple[str, str]]:
        """Task and technique phrases in a title: "... for 3D Human Pose Estimation",
        "... via Evolutionary Search", without the praise ("Efficient", "End-to-end") and the
        verbs ("Advancing") in front. A task may span "and" or "of" ("Liver and Tumor
        Segmentation", "Pose Estimation of Multiple People"): that reading is offered beside the
        pieces, for the ranker to choose; a technique does not ("Distributed Training of LLMs"
        gives "Distributed Training")."""
        body = _TITLE_COLON.split(title, 1)[-1]
        found = [self._phrase(segment.split()) for segment in re.split(_TITLE_PHRASE_CUTS, body, flags=re.IGNORECASE)]
        for segment in re.split(_TITLE_PHRASE_CUTS_KEEPING_JOINS, body, flags=re.IGNORECASE):
            words = segment.split()
            if not all(w[:1].isupper() or w[:1].isdigit() or w in ("and", "of") for w in words):
                continue  # a sentence-like title ("A Tool to Automate ..."), not a name of a task
            lowered = [w.lower() for w in words]
            joined: list[tuple[str, str] | None] = []
            if "of" in lowered and "and" not in lowered:
                of = lowered.index("of")  # "Pose Estimation of Multiple People": the head is before "of"
                head = self._phrase(words[:of])
                if head and 1 <= len(words) - of - 1 <= 3:
                    joined.append((" ".join(words), head[1]))
            elif "of" not in lowered:
                pieces = " ".join(words).split(" and ")
                joined.extend(self._phrase(f"{a} and {b}".split(), longest=8) for a, b in zip(pieces, pieces[1:]))
            found.extend(p for p in joined if p and p[1] == "Task")
        return list(dict.fromkeys(p for p in found if p))

    def _phrase(self, words: list[str], longest: int = 5) -> tuple[str, str] | None:
        """One piece of a title as a task or technique phrase, by its head word."""
        while words and (
            words[0].lower() in self.fillers
            or words[0].lower().endswith(("ing", "-based", "-optimized", "-aware"))
        ):
            words = words[1:]
        if not 1 <= len(words) <= longest:
            return None
        head = words[-1].lower()
        head = head[:-1] if head.endswith("s") and head[:-1] in self.task_heads + self.technique_heads else head
        phrase = " ".join(words).strip(" -")
        if len(words) < 2 and phrase.lower() not in ("inference", "serving"):
            return None
        if head in self.technique_heads and head not in STRONG_TASK_HEADS:
            return phrase, "Technique"
        if head in self.task_heads:
            return phrase, "Task"
        return None

    def segments(self, title: str) -> Iterator[tuple[int, int]]:
        """The title cut at its prepositions and punctuation, without leading praise or verbs."""
        for start, end, words in self._pieces(title):
            if 1 <= len(words) <= 6:
                yield start, end

    def _pieces(self, title: str) -> Iterator[tuple[int, int, list[str]]]:
        """The title after its name's colon, cut at its prepositions and punctuation: each
        piece's words without the praise in front ("Efficient"), with where they start and end."""
        colon = _TITLE_COLON.search(title)
        offset = colon.end() if colon else 0
        for piece in re.split(_TITLE_CUTS, title[offset:]):
            words = list(re.finditer(r"\S+", piece))
            while words and words[0].group(0).lower() in self.fillers:
                words = words[1:]
            piece_start = offset + title[offset:].find(piece)
            if words:
                yield piece_start + words[0].start(), piece_start + words[-1].end(), [w.group(0) for w in words]
            else:
                yield piece_start, piece_start, []
