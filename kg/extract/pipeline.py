"""The spaCy pipeline and the step that turns each paper into an `Extraction`.

The pipeline is spaCy's blank English with a sentencizer, two entity rulers
fed from the gazetteers (one matching by case, one ignoring it) and the
project's ``kg_names`` component, which adds the names no gazetteer knows.
No trained model is needed, so it runs on whatever pip installs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import __version__
from kg.extract import patterns
from kg.extract.canonical import normalize_key
from kg.extract.gazetteer import Gazetteer
from kg.extract.results import find_results
from kg.records import Extraction, Link, Mention, Paper, Result

if not Doc.has_extension("kg_proposed"):
    Doc.set_extension("kg_proposed", default=None)
    Doc.set_extension("kg_aliases", default=None)

#: Task heads strong enough to make a Title-Case acronym definition a Task, not a Method.
_STRONG_TASK_HEADS = frozenset(
    "estimation assessment recognition detection segmentation classification understanding "
    "comprehension answering captioning forecasting summarization translation repair "
    "super-resolution retrieval tracking grounding".split()
)
_TRIM_SUFFIXES = ("-based", "-like", "-style", "-specific", "-free", "-guided", "-enhanced", "-aware")
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    label: str
    priority: int


class NameFinder:
    """The ``kg_names`` component: acronyms, coined names, sized models, title names, phrases."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        lexicon = gazetteer.lexicon
        self.generic = frozenset(lexicon["generic_acronyms"])
        self.dataset_cues = frozenset(lexicon["dataset_cues"])
        self.propose = frozenset(lexicon["propose_verbs"])
        self.naming = frozenset(lexicon["naming_cues"])
        self.task_heads = tuple(lexicon["task_heads"])
        self.technique_heads = tuple(lexicon["technique_heads"])
        self.technique_modifiers = tuple(lexicon["technique_modifiers"])

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        candidates = [_Candidate(e.start_char, e.end_char, e.label_, 2) for e in doc.ents]
        aliases: dict[str, str] = {}
        proposed: set[str] = set()
        title_end = text.find("\n\n") if "\n\n" in text else len(text)

        for acronym in patterns.find_acronyms(text):
            if acronym.short in self.generic:
                continue
            label = self._label_for_definition(acronym.long, acronym.short)
            if label is None:
                continue
            aliases[acronym.short] = acronym.long
            for start in _occurrences(text, acronym.short):
                candidates.append(_Candidate(start, start + len(acronym.short), label, 3))
            end = acronym.long_start + len(acronym.long)
            candidates.append(_Candidate(acronym.long_start, end, label, 3))

        title_name = self._title_name(text[:title_end])
        if title_name:
            label = self._label_in_context(text, title_name)
            for start in _occurrences(text, title_name):
                candidates.append(_Candidate(start, start + len(title_name), label, 4))
            proposed.add(title_name)

        urls = [(m.start(), m.end()) for m in re.finditer(r"https?://\S+", text)]
        for start, end, word in patterns.words(text):
            if any(a <= start < b for a, b in urls):
                continue
            word, end = self._trim(word, end)
            if not word or word in self.generic or word.rstrip("s") in self.generic:
                continue
            if patterns.has_size_suffix(word) and word[0].isupper():
                candidates.append(_Candidate(start, end, "Model", 3))
            elif patterns.is_name_shaped(word):
                candidates.append(_Candidate(start, end, self._label_in_context(text, word, start), 1))

        for start, end in patterns.phrases_ending_in(
            text, self.technique_heads, modifiers=self.technique_modifiers, max_modifiers=3
        ):
            candidates.append(_Candidate(start, end, "Technique", 0))
        for phrase in self._title_tasks(text[:title_end]):
            for start in _occurrences(text, phrase, ignore_case=True):
                candidates.append(_Candidate(start, start + len(phrase), "Task", 2))

        doc.ents = _resolve(doc, candidates)
        proposed |= self._proposed_in_sentences(doc)
        doc._.kg_proposed = proposed
        doc._.kg_aliases = aliases
        return doc

    # -- labels ----------------------------------------------------------------------------

    def _label_for_definition(self, long: str, short: str) -> str | None:
        known = self.gazetteer.label_of(long) or self.gazetteer.label_of(short)
        if known:
            return known
        last = long.split()[-1].lower().rstrip("s") if long.split() else ""
        title_case = sum(w[:1].isupper() for w in long.split()) >= max(1, len(long.split()) - 2)
        if last in self.dataset_cues:
            return "Dataset"
        if last in _STRONG_TASK_HEADS or last.rstrip("s") in _STRONG_TASK_HEADS:
            return "Task"
        if not title_case and last in self.technique_heads and not patterns.is_name_shaped(short):
            return "Technique"
        if not title_case and not patterns.is_name_shaped(short):
            return None
        return "Method"

    def _label_in_context(self, text: str, name: str, start: int | None = None) -> str:
        """Method unless the words around the name say dataset or model."""
        known = self.gazetteer.label_of(name)
        if known:
            return known
        if patterns.has_size_suffix(name):
            return "Model"
        positions = [start] if start is not None else list(_occurrences(text, name))
        for position in positions:
            after = text[position + len(name) : position + len(name) + 30].lower()
            following = re.findall(r"[a-z\-]+", after)[:2]
            if any(w in self.dataset_cues for w in following[:1]):
                return "Dataset"
            before = text[max(0, position - 40) : position].lower()
            if re.search(r"\b(?:benchmark|dataset)s?(?:,)?\s+(?:called|named|dubbed)?\s*$", before):
                return "Dataset"
            if re.search(rf"{re.escape(name.lower())}\s*,\s*an?\s+(?:new\s+|novel\s+|large-scale\s+|comprehensive\s+)*(?:benchmark|dataset)", text.lower()):
                return "Dataset"
            if re.search(rf"{re.escape(name.lower())}\s*,?\s*(?:is\s+)?an?\s+(?:family of\s+)?(?:open\s+|new\s+|novel\s+)*(?:\w+\s+)?(?:language\s+)?models?\b", text.lower()):
                return "Model"
        return "Method"

    def _trim(self, word: str, end: int) -> tuple[str, int]:
        for suffix in _TRIM_SUFFIXES:
            if word.lower().endswith(suffix):
                return word[: -len(suffix)], end - len(suffix)
        if word.endswith("'s"):
            return word[:-2], end - 2
        return word, end

    # -- the title ---------------------------------------------------------------------------

    def _title_name(self, title: str) -> str | None:
        """"EvoPress: Towards ..." names the paper's method before the colon."""
        match = re.match(r"^\s*([^:]{2,40}?)\s*:\s+\S", title)
        if not match:
            return None
        name = match.group(1).strip()
        if len(name.split()) > 3 or name.lower() in {"survey", "review", "position"}:
            return None
        if not (patterns.is_name_shaped(name) or name[:1].isupper()):
            return None
        return name

    def _title_tasks(self, title: str) -> list[str]:
        """Task phrases in a title: "... for 3D Human Pose Estimation"."""
        body = title.split(":", 1)[-1]
        found: list[str] = []
        for segment in re.split(r"\b(?:for|via|with|through|towards|toward|using|by|in|on|of|and)\b|[,:;]", body, flags=re.IGNORECASE):
            words = [w for w in segment.split() if w.lower() not in ("efficient", "fast", "accurate", "robust", "scalable", "the", "a", "an", "effective", "better", "optimal", "towards")]
            while words and (words[0].lower().endswith("-based") or words[0].lower().endswith("-optimized")):
                words = words[1:]
            if 1 <= len(words) <= 5 and words[-1].lower().rstrip("s") in self.task_heads:
                phrase = " ".join(words).strip(" -")
                if len(phrase.split()) >= 2 or phrase.lower() in ("inference", "serving"):
                    found.append(phrase)
        return found

    # -- proposals -------------------------------------------------------------------------

    def _proposed_in_sentences(self, doc: Doc) -> set[str]:
        proposed: set[str] = set()
        for sentence in doc.sents:
            lowered = [t.lower_ for t in sentence]
            cue_positions = [
                i for i, w in enumerate(lowered) if w in self.propose or w in self.naming
            ]
            if not cue_positions or not re.search(r"\b(?:we|this paper|this work|our)\b", sentence.text, re.IGNORECASE) and not any(lowered[i] in self.naming for i in cue_positions):
                continue
            first_cue = sentence[cue_positions[0]].idx
            for ent in sentence.ents:
                if ent.label_ == "Method" and ent.start_char > first_cue:
                    proposed.add(ent.text)
                    break
            for ent in sentence.ents:
                if ent.label_ == "Method" and re.search(
                    rf"{re.escape(ent.text)}\s*,\s*(?:a|an)\s+(?:new|novel|simple|general|efficient|unified|training-free)",
                    sentence.text,
                ):
                    proposed.add(ent.text)
        return proposed


def _occurrences(text: str, phrase: str, *, ignore_case: bool = False) -> Iterator[int]:
    pattern = re.compile(rf"(?<![\w\-]){re.escape(phrase)}(?![\w])", re.IGNORECASE if ignore_case else 0)
    for match in pattern.finditer(text):
        yield match.start()


def _resolve(doc: Doc, candidates: list[_Candidate]) -> list[Span]:
    """Keep the best non-overlapping candidates: higher priority, then longer."""
    chosen: list[Span] = []
    taken = [False] * (len(doc.text) + 1)
    for c in sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if any(taken[c.start : c.end]):
            continue
        span = doc.char_span(c.start, c.end, label=c.label, alignment_mode="expand")
        if span is None or any(taken[span.start_char : span.end_char]):
            continue
        for i in range(span.start_char, span.end_char):
            taken[i] = True
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


@Language.factory("kg_names")
def _make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder(Gazetteer.load())


def build_pipeline(gazetteer: Gazetteer | None = None) -> Language:
    """A blank English pipeline with the gazetteer rulers and the project's components."""
    gazetteer = gazetteer or Gazetteer.load()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    by_case = nlp.add_pipe("entity_ruler", name="gazetteer_names", config={"overwrite_ents": False})
    by_case.add_patterns(gazetteer.ruler_patterns(case_sensitive=True))
    any_case = nlp.add_pipe(
        "entity_ruler",
        name="gazetteer_terms",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False},
    )
    any_case.add_patterns(gazetteer.ruler_patterns(case_sensitive=False))
    finder = nlp.add_pipe("kg_names")
    finder.gazetteer = gazetteer
    nlp.meta["kg_extractor_version"] = f"{__version__}+{gazetteer.version}"
    nlp.meta["kg_gazetteer"] = gazetteer
    return nlp


class Extractor:
    """Turns papers into extractions with one loaded pipeline."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or build_pipeline()
        self.gazetteer: Gazetteer = self.nlp.meta["kg_gazetteer"]
        self.version: str = self.nlp.meta["kg_extractor_version"]

    def extract(self, papers: Iterable[Paper], *, batch_size: int = 64, n_process: int = 1) -> Iterator[Extraction]:
        """One extraction per paper, streamed in the papers' order."""
        stream = ((paper.text, paper) for paper in papers)
        for doc, paper in self.nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield self.read_doc(doc, paper)

    def read_doc(self, doc: Doc, paper: Paper) -> Extraction:
        aliases: dict[str, str] = doc._.kg_aliases or {}
        mentions: list[Mention] = []
        for ent in doc.ents:
            sentence = ent.sent.text.strip()
            mentions.append(
                Mention(
                    label=ent.label_,
                    text=ent.text,
                    canonical=self._canonical(ent.label_, ent.text, aliases),
                    start=ent.start_char,
                    end=ent.end_char,
                    sentence=sentence,
                )
            )
        proposed_names = doc._.kg_proposed or set()
        proposed = _unique(
            m.canonical for m in mentions if m.label == "Method" and m.text in proposed_names
        )
        compared = self._compared(doc, mentions, set(proposed))
        return Extraction(
            paper=paper,
            extractor_version=self.version,
            mentions=mentions,
            proposes=proposed,
            compared_with=compared,
            instance_of=self._instance_of(mentions, proposed, doc),
            results=self._results(doc, mentions),
            code=_unique(u for u in patterns.find_urls(doc.text) if any(h in u for h in _CODE_HOSTS)),
        )

    def _canonical(self, label: str, text: str, aliases: dict[str, str]) -> str:
        entry = self.gazetteer.lookup(label, text)
        if entry:
            return entry.name
        long = aliases.get(text)
        if long:
            entry = self.gazetteer.lookup(label, long)
            return entry.name if entry else long
        return text

    def _compared(self, doc: Doc, mentions: list[Mention], proposed: set[str]) -> list[str]:
        cues = self.gazetteer.lexicon["compare_cues"]
        compared: list[str] = []
        for m in mentions:
            if m.label != "Method" or m.canonical in proposed:
                continue
            lowered = m.sentence.lower()
            if any(re.search(rf"\b{re.escape(c)}\b", lowered) for c in cues):
                compared.append(m.canonical)
        return _unique(compared)

    def _instance_of(self, mentions: list[Mention], proposed: list[str], doc: Doc) -> list[Link]:
        links: list[Link] = []
        for m in mentions:
            if m.label != "Method":
                continue
            entry = self.gazetteer.lookup("Method", m.text)
            if entry and entry.parent:
                links.append(Link(m.canonical, entry.parent, m.sentence))
        title_end = doc.text.find("\n\n")
        for name in proposed:
            sentences = {m.sentence for m in mentions if m.canonical == name}
            for t in mentions:
                if t.label == "Technique" and (t.start < title_end or t.sentence in sentences):
                    links.append(Link(name, t.canonical, t.sentence))
        seen: set[tuple[str, str]] = set()
        return [l for l in links if (key := (normalize_key(l.source), normalize_key(l.target))) not in seen and not seen.add(key)]  # type: ignore[func-returns-value]

    def _results(self, doc: Doc, mentions: list[Mention]) -> list[Result]:
        names = [(m.start, m.end) for m in mentions if m.label in ("Model", "Method", "Dataset", "Hardware")]
        results: list[Result] = []
        for sentence in doc.sents:
            inside = [m for m in mentions if sentence.start_char <= m.start < sentence.end_char]
            results.extend(
                find_results(sentence.text, offset=sentence.start_char, mentions=inside, inside_names=names)
            )
        return results


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = normalize_key(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
