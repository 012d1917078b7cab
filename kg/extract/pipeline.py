"""The spaCy pipeline and the step that turns each paper into an `Extraction`.

The pipeline is spaCy's blank English with a sentencizer, two entity rulers
fed from the gazetteers (one matching by case, one ignoring it) and the
project's ``kg_names`` component, which adds the names no gazetteer knows and
lets the project's own span ranker (`kg.extract.ranker`, a small linear model
shipped as data) choose among the candidates. Nothing is downloaded, so it
runs on whatever pip installs.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from kg import __version__
from kg.errors import InputError
from kg.extract import patterns
from kg.extract.canonical import normalize_key
from kg.extract.components import sentence_spans, word_pattern  # importing components registers its factories
from kg.extract.gazetteer import LOWER_WORD, Entry, Gazetteer
from kg.extract.links import LinkReader
from kg.extract.quantities import Spans
from kg.extract.ranker import SpanRanker
from kg.extract.results import find_results, with_setup
from kg.iterutil import chunked
from kg.records import Extraction, Mention, Paper, Result


def build_pipeline(
    gazetteer: Gazetteer | None = None, *, ranker: SpanRanker | None = None, rules_only: bool = False
) -> Language:
    """A blank English pipeline with the gazetteer rulers and the project's components.

    The span ranker is the shipped one unless another is given; ``rules_only`` goes
    without (the rules' own priorities choose, about half the time, less accurate).
    """
    gazetteer = gazetteer or Gazetteer.load()
    nlp = spacy.blank("en")
    # "RetinaNet+ResNet50" is a detector on a backbone: two names, each its own token; so is a
    # name inside LaTeX braces ("$\texttt{Ladder}$")
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Za-z0-9])\+(?=[A-Z])", r"[{}]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_title_sentence")
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
    if rules_only:
        finder.ranker = None
    elif ranker is not None:
        finder.ranker = ranker
    finder.open_phrases = finder.ranker is not None
    ranker = finder.ranker
    nlp.meta["kg_extractor_version"] = extractor_version(gazetteer, ranker)
    nlp.meta["kg_gazetteer"] = gazetteer
    return nlp


def extractor_version(gazetteer: Gazetteer, ranker: SpanRanker | None) -> str:
    """What an extraction is stamped with: kg's version, the gazetteers', the rules' code and the
    ranker's (none with --rules-only), so that a build re-extracts what any of them changed, and
    `kg upgrade` can tell this kg's papers without building spaCy's pipeline."""
    version = f"{__version__}+{gazetteer.version}.{rules_version()}"
    return version + (f".{ranker.version}" if ranker else "")


@cache
def rules_version() -> str:
    """A short hash of the extractor's own code: a build re-extracts the papers whose extraction
    older rules wrote, as it does after a change of gazetteer or ranker."""
    digest = hashlib.sha1()
    package = resources.files("kg.extract")
    for name in sorted(entry.name for entry in package.iterdir() if entry.name.endswith(".py")):
        digest.update(name.encode("utf-8") + (package / name).read_bytes())
    return digest.hexdigest()[:8]


class Extractor:
    """Turns papers into extractions with one loaded pipeline."""

    def __init__(self, nlp: Language | None = None, *, rules_only: bool = False) -> None:
        self.nlp = nlp or build_pipeline(rules_only=rules_only)
        self._made_pipes = None if nlp else tuple(self.nlp.pipe_names)
        #: without the span ranker: worker processes must build the same pipeline
        self.rules_only = self.nlp.get_pipe("kg_names").ranker is None
        self.gazetteer: Gazetteer = self.nlp.meta["kg_gazetteer"]
        self.version: str = self.nlp.meta["kg_extractor_version"]
        lexicon = self.gazetteer.lexicon
        self._baseline_word = word_pattern(lexicon["compare_cues"] + lexicon["baseline_cues"])
        self._quantified_only = {normalize_key(n) for n in self.gazetteer.lexicon["quantified_only_metrics"]}
        self._links = LinkReader(self.gazetteer)

    @property
    def own_pipeline(self) -> bool:
        """Whether the pipeline is the caller's (given, or kg's with components added or taken
        away since): a worker process cannot make it again, only inherit it."""
        return self._made_pipes != tuple(self.nlp.pipe_names)

    def extract(self, papers: Iterable[Paper], *, batch_size: int = 64, n_process: int = 1) -> Iterator[Extraction]:
        """One extraction per paper, streamed in the papers' order.

        With ``n_process`` > 1 the papers, not spaCy's docs, are shared out: each
        worker process runs the whole extraction and sends back plain records,
        so nothing but the reading and the writing stays in this process.
        """
        papers = _only_papers(papers)
        if n_process > 1:
            yield from _extract_in_processes(self, papers, batch_size=batch_size, processes=n_process)
            return
        stream = ((paper.text, paper) for paper in papers)
        for doc, paper in self.nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
            yield self.read_doc(doc, paper)

    def read_doc(self, doc: Doc, paper: Paper) -> Extraction:
        definitions: dict[str, str] = doc._.kg_definitions or {}
        full_text = paper.text  # the doc's text, without spaCy rebuilding it per access
        sentences = sentence_spans(doc)
        sentence_starts = [start for start, _ in sentences]
        mentions: list[Mention] = []
        for ent in doc.ents:
            start, end = _strip_punctuation(full_text, ent.start_char, ent.end_char)
            text = full_text[start:end]
            sentence_start, sentence_end = sentences[max(0, bisect_right(sentence_starts, start) - 1)]
            sentence = full_text[sentence_start:sentence_end].strip()
            if not text or ent.label_ == "Metric" and self._unreported_cost(text, full_text[sentence_start:start], sentence):
                continue
            if ent.label_ in _PLAIN_WORD_LABELS and _LATEX.search(text):
                continue  # "$\mathcal{O}(1)$ Drafts": math is no technique, task or measure
            if ent.label_ == "Metric" and _RATE_UNIT.fullmatch(text) and re.search(r"\d\s*$", full_text[max(0, start - 3) : start]):
                continue  # "reaches 48.3 tokens/s": the number's unit, not a measure named
            mentions.append(
                Mention(
                    label=ent.label_,
                    text=text,
                    canonical=self._canonical(ent.label_, text, definitions),
                    start=start,
                    end=end,
                    sentence=sentence,
                )
            )
        mentions = _plain_case_names(mentions, full_text, self.gazetteer)
        proposed_names = set(doc._.kg_proposed or ())
        proposed_lower = {name.lower() for name in proposed_names}  # the title's case or the abstract's
        proposed = _unique(
            m.canonical
            for m in mentions
            if m.label in ("Method", "Model")
            and (m.text.lower() in proposed_lower or _sized_variant(m, proposed_names))
        )
        compared = self._compared(full_text, sentences, sentence_starts, mentions, set(proposed))
        return Extraction(
            paper=paper,
            extractor_version=self.version,
            mentions=mentions,
            proposes=proposed,
            compared_with=compared,
            instance_of=self._links.links(full_text, sentences, mentions, proposed),
            results=self._results(full_text, sentences, mentions),
            code=list(dict.fromkeys(patterns.find_urls(full_text))),
        )

    def _unreported_cost(self, metric: str, before: str, sentence: str) -> bool:
        """Cost-like measures count only where the paper reports them: quantified in the sentence,
        or said to be cut ("at reduced computational cost", "reducing the memory overhead"); "high
        computational costs" in a motivation sentence is not a measure the paper reports."""
        entry = self.gazetteer.lookup("Metric", metric)
        names = self._quantified_only
        cost_like = normalize_key(metric) in names or (entry is not None and normalize_key(entry.name) in names)
        return cost_like and not re.search(r"\d", sentence) and not _CUT_BEFORE.search(before)

    def _canonical(self, label: str, text: str, definitions: dict[str, str]) -> str:
        """An acronym defined in the text means its long form there, whatever the gazetteer says,
        in the singular and the plural too ("video pose transformers (VPTs)" ... "a VPT" is no
        visual prompt tuning; "(SNN)" ... "SNNs"), unless that long form spells out a known
        thing the acronym also names ("Giga floating-point operations (GFLOPs)" are FLOPs, whose
        long form ends it); a name the gazetteer does not know is named as written, less any
        LaTeX markup."""
        long = definitions.get(text) or definitions.get(f"{text}s") or (definitions.get(text[:-1]) if text.endswith("s") else None)
        if long:
            entry = self.gazetteer.lookup(label, long) or self._spelled_out(label, long, text)
            return entry.name if entry else patterns.without_latex(long)
        entry = self.gazetteer.lookup(label, text)
        if entry is None and (short := next((s for s, lf in definitions.items() if lf == text), None)):
            entry = self._spelled_out(label, text, short)
        if entry is None and label == "Hardware":
            # "NVIDIA A6000 GPU" is the gazetteer's A6000, "H100 SXM5 80GB" its H100-80GB or H100
            entry = next(filter(None, (self.gazetteer.lookup(label, form) for form in patterns.chip_forms(text))), None)
        return entry.name if entry else patterns.without_latex(text)

    def _spelled_out(self, label: str, long: str, short: str) -> Entry | None:
        """The known thing both a defined long form and its acronym name, when the gazetteer knows
        the acronym and the long form ends with that thing's own long form, word for word."""
        known = self.gazetteer.lookup(label, short)
        return known if known and _ends_with_a_form_of(long, known.forms) else None

    def _compared(
        self, text: str, sentences: list[tuple[int, int]], starts: list[int], mentions: list[Mention], proposed: set[str]
    ) -> list[str]:
        """Methods a comparison is made against: named after a comparing word in their sentence
        ("outperforms X", "2x faster than X", "matches X"). A method named before it is its
        subject or a setting ("Deployed with ONNX Runtime, the models use 28% less memory than
        dense ones"); the paper's own methods, in any case ("Ecoformer" for its EcoFormer), are
        never baselines. Chosen on written abstracts (tests/data/written, sets a-c; F1 0.79 ->
        0.85) and checked on sets d-f (0.68 -> 0.74) and the arXiv gold (docs/QUALITY.md)."""
        own = {name.lower() for name in proposed} | {m.text.lower() for m in mentions if m.canonical in proposed}
        compared: list[str] = []
        for m in mentions:
            if m.label != "Method" or m.text.lower() in own or m.canonical.lower() in own:
                continue
            sentence_start = sentences[max(0, bisect_right(starts, m.start) - 1)][0] if sentences else 0
            if self._baseline_word.search(text, sentence_start, m.start):
                compared.append(m.canonical)
        return _unique(compared)

    def _results(self, text: str, sentences: list[tuple[int, int]], mentions: list[Mention]) -> list[Result]:
        """The results of every sentence from the one where the authors first speak ("we", "our",
        "this paper"): the numbers before it are the field's ("models have grown 1000x", "GPUs
        peak at 80 GB"), the motivation, not what the paper reports. The title is always read,
        and so is every sentence of an abstract that never says "we"."""
        names = Spans((m.start, m.end) for m in mentions if m.label in ("Model", "Method", "Dataset", "Hardware"))
        body = sentences[1:]
        speaking = next((i for i, (start, end) in enumerate(body) if patterns.AUTHORS.search(text, start, end)), 0)
        results: list[Result] = []
        for start, end in sentences[:1] + body[speaking:]:
            inside = [m for m in mentions if start <= m.start < end]
            results.extend(find_results(text[start:end].rstrip(), offset=start, mentions=inside, inside_names=names))
        return with_setup(text, sentences, mentions, results, since=body[speaking][0] if body else len(text))


def _only_papers(papers: Iterable[Paper]) -> Iterator[Paper]:
    """The papers, each checked: a dict or a file name failed inside spaCy, far from the mistake."""
    if isinstance(papers, (Paper, str, dict)):
        raise InputError(_not_a_paper(papers))
    for paper in papers:
        if not isinstance(paper, Paper):
            raise InputError(_not_a_paper(paper))
        if not isinstance(paper.title, str) or not isinstance(paper.abstract, str):  # None was read as "None"
            raise InputError(f"paper {paper.id!r}: its title and abstract must be text (str), not None or another type")
        yield paper


def _not_a_paper(value: object) -> str:
    return (
        f"extract takes a list of kg.Paper records, not {type(value).__name__}: kg.read_papers(files) reads "
        "them, or kg.make_paper(title, abstract) makes one"
    )


_WORKER: Extractor | None = None


def _start_worker(rules_only: bool | None) -> None:
    """A pool worker leaves Ctrl-C to the parent, which stops the pool: a worker that took the
    interrupt itself would print its own traceback to the user's terminal. A forked worker
    already holds the parent's extractor (None); a spawned one makes the same pipeline anew."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER
    if rules_only is not None:
        _WORKER = Extractor(rules_only=rules_only)


def _extract_batch(papers: list[Paper]) -> list[Extraction]:
    assert _WORKER is not None
    return list(_WORKER.extract(papers))


def _extract_in_processes(
    extractor: Extractor, papers: Iterable[Paper], *, batch_size: int, processes: int
) -> Iterator[Extraction]:
    """Batches of papers to a pool of extractor processes, results back in order.

    Where processes fork, each worker inherits ``extractor`` itself, with whatever the caller
    put in its pipeline (an added component, another ranker): a worker that made a pipeline of
    its own would extract with kg's. Where they cannot fork (Windows), a worker makes kg's
    pipeline, so an extractor with the caller's own is refused rather than swapped for it.
    """
    import multiprocessing

    global _WORKER
    forks = "fork" in multiprocessing.get_all_start_methods()
    if not forks and extractor.own_pipeline:
        raise InputError(
            "an Extractor with a spaCy pipeline of your own (given, or changed since) cannot be sent to "
            "worker processes here (they cannot fork on this system); extract with one process (workers=1)"
        )
    context = multiprocessing.get_context("fork" if forks else "spawn")
    _WORKER = extractor if forks else None
    try:
        initargs = (None if forks else extractor.rules_only,)
        with context.Pool(processes, initializer=_start_worker, initargs=initargs) as pool:
            for extractions in pool.imap(_extract_batch, chunked(papers, batch_size)):
                yield from extractions
    finally:
        _WORKER = None


#: labels whose names are plain words: a span with LaTeX math or commands in it is none of them
_PLAIN_WORD_LABELS = frozenset({"Technique", "Task", "Metric"})
_LATEX = re.compile(r"\$|\\[A-Za-z]")


def _strip_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without the punctuation a token carried along ("TanQ." -> "TanQ"), keeping
    brackets that the name itself opens ("LLM.int8()")."""
    while start < end and text[start] in "([{\"'":
        start += 1
    while end > start and (text[end - 1] in ".,;:\"'" or text[end - 1] in ")]}" and "([{"[")]}".index(text[end - 1])] not in text[start:end - 1]):
        end -= 1
    return start, end


#: labels whose names are terms, not proper names: "token pruning" whether a title capitalises it or not
_TERM_LABELS = frozenset({"Technique", "Task", "Metric"})


def _ends_with_a_form_of(long: str, forms: tuple[str, ...]) -> bool:
    """Whether ``long`` ends, word for word, with one of ``forms`` of two words or more."""
    words = _words(long)
    return any(len(f) >= 2 and words[-len(f) :] == f for f in map(_words, forms))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _capitals(name: str) -> int:
    """Words that start with a capital and are not acronyms: "Random Sampling" 2, "KV caching" 0."""
    return sum(1 for word in name.split() if word[:1].isupper() and not word.isupper() and word[1:].islower())


def _plain_case_names(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> list[Mention]:
    """A term named in a title's capitals ("Repeated Random Sampling for ...") and in the abstract's
    lower case ("random sampling") becomes one node under the lower-case name, as prose writes it.
    A term only the title names ("Continuous Attacks") is written in lower case too when the text,
    or the gazetteer's own terms, write each of its capitalised words in lower case: the capitals
    were the title's, not the name's ("Neural PDE Solvers" -> "neural PDE solvers",
    "Hardware-Aware Structured Pruning" -> "hardware-aware structured pruning"; "Bradley-Terry"
    stays)."""
    plainest: dict[tuple[str, str], str] = {}
    for m in mentions:
        if m.label in _TERM_LABELS:
            key = (m.label, normalize_key(m.canonical))
            if key not in plainest or _capitals(m.canonical) < _capitals(plainest[key]):
                plainest[key] = m.canonical
    lower_words = set(LOWER_WORD.findall(text))
    for (label, key), name in plainest.items():
        if _capitals(name) and gazetteer.lookup(label, name) is None:
            plainest[(label, key)] = _in_prose_case(name, lower_words, gazetteer.term_words)
    return [
        replace(m, canonical=plainest[(m.label, normalize_key(m.canonical))]) if m.label in _TERM_LABELS else m
        for m in mentions
    ]


def _in_prose_case(name: str, lower_words: set[str], term_words: frozenset[str]) -> str:
    """``name`` with its capitalised words ("Continuous", the "Post" of "Post-Training") in lower
    case, if the text or the gazetteer's terms write every one of them so; acronyms and names
    ("PDE", "GANs") stay."""
    parts = re.split(r"([\s\-]+)", name)
    capitalised = [i for i, part in enumerate(parts) if part[:1].isupper() and part[1:].islower()]
    lowered = (parts[i].lower() for i in capitalised)
    if not capitalised or any(word not in lower_words and word not in term_words for word in lowered):
        return name
    return "".join(part.lower() if i in capitalised else part for i, part in enumerate(parts))


#: a verb that cuts what follows it, ending the text before a measure, with at most a determiner
#: or an adverb between ("reduces the", "at reduced", "significantly lowering LLM")
_CUT_BEFORE = re.compile(
    r"\b(?:reduc|lower|decreas|cut|sav|minimi[sz]|alleviat|mitigat)\w*"
    r"(?:\s+(?:the|its|their|our|a|an|total|overall|significantly|substantially|greatly|LLM|model))*\s*$",
    re.IGNORECASE,
)

#: a rate written as a unit after its number ("1,850 tokens/s"); annotators never mark it as a
#: measure there (13 of 13 abstracts in the gold and written files), unlike "108 FPS" (7 of 8)
_RATE_UNIT = re.compile(r"(?:tokens?|images?|samples?|requests?|queries|frames?)\s*(?:/\s*s(?:ec)?|per\s+sec(?:ond)?)", re.IGNORECASE)


def _sized_variant(mention: Mention, proposed: set[str]) -> bool:
    """"Apollo-7B" when the paper proposes Apollo: the sizes of a new model family are new too."""
    return (
        mention.label == "Model"
        and patterns.has_size_suffix(mention.text)
        and any(mention.text.startswith((f"{name}-", f"{name} ")) for name in proposed)
    )


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = normalize_key(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
