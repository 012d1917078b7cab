"""The project's spaCy components: the title as a sentence of its own, and ``kg_names``.

``kg_names`` adds the names no gazetteer knows, on top of the entity rulers'
matches: acronym definitions, coined names by their shape, models by their
size, the name in a title, names in a proposing stretch ("we propose X"),
technique and task phrases. Each candidate remembers the pattern that found
it. The span ranker (`kg.extract.ranker`) chooses among them, with looser
phrase candidates on top; without it, candidates compete by priority, then
length. The algorithms themselves are plain functions in `kg.extract.patterns`;
the title's rules are `kg.extract.titles`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import patterns
from kg.extract.canonical import normalize_key, strip_size
from kg.extract.gazetteer import Gazetteer
from kg.extract.ranker import SpanRanker
from kg.extract.titles import STRONG_TASK_HEADS, TitleReader

for _extension in ("kg_proposed", "kg_definitions", "kg_sentences"):
    if not Doc.has_extension(_extension):
        Doc.set_extension(_extension, default=None)

_NAME_KINDS = frozenset({"Method", "Model", "Dataset"})
#: the patterns that find a name by its shape or place, not by what it is
_NAME_SOURCES = frozenset(
    {"shape", "compound", "proposal_run", "title_name", "title_long_form", "acronym", "acronym_long"}
)
#: suffixes that name a variant of a model, not a new thing built on it: "Mistral-Instruct"
_MODEL_VARIANTS = frozenset(
    "instruct chat base coder code vision math large small tiny mini medium huge pro turbo xl xxl plus max "
    "hf it sft rlhf dpo preview distill distilled quantized".split()
)
_SHORT_CODE = re.compile(r"[A-Z]{1,4}\d{1,3}[A-Za-z]?")
_VERSION_AFTER = re.compile(r"(?: (?:\d+(?:\.\d+)?[BMK]|v?\d+(?:\.\d+)*))+\b(?!\.\d|%)")
#: a coined name next ("Dynamic ConPET", "Static FlexGen"): the capitalised word before it is its
#: variant's modifier, not a name of its own
_COINED_NEXT = re.compile(r" (?=[\w-]*[a-z])[A-Z][a-z]*[A-Z][\w-]*\b")
_TRIM_SUFFIXES = (
    "-based", "-like", "-style", "-specific", "-free", "-guided", "-enhanced", "-aware", "-conditioned",
    "-driven", "-oriented", "-level", "-scale", "-wise", "-friendly", "-centric", "-agnostic", "-dependent",
    "-efficient", "-intensive", "-bound", "-only", "-generated", "-powered", "-tuned", "-trained", "-sized",
)
_ITEM = r"[A-Z0-9][\w\-.+]*(?:\s+[A-Z0-9][\w\-.+]*)?"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"


def _list_cues(kinds: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for a name in a list that ends in a kind word ("NExT-QA, STAR and VLEP
    benchmarks") or follows one ("models such as MotionBERT and MixSTE")."""
    after = re.compile(rf"(?:{_SEP}{_ITEM})*\s+(?i:{kinds})\b")
    before = re.compile(rf"\b(?i:{kinds})\s*,?\s*(?:such\s+as|including|like|:|\()\s*(?:{_ITEM}{_SEP})*$")
    return after, before


_LIST_CUES = {
    "Dataset": _list_cues(r"benchmarks|datasets|data\s+sets"),
    "Model": _list_cues(r"models|LLMs|backbones|model\s+families"),
}
_SIZED_AFTER = re.compile(r"[- ]\d+(?:\.\d+)?[BMT]\b")  # "Apollo" seen as "Apollo-7B": a model
_IS_A_DATASET = re.compile(
    r"\s*,\s*an?\s+(?:new\s+|novel\s+|large-scale\s+|comprehensive\s+)*(?:benchmark|dataset)", re.IGNORECASE
)
_IS_A_MODEL = re.compile(
    r"\s*,?\s*(?:is\s+)?an?\s+(?:family of\s+)?(?:open\s+|new\s+|novel\s+)*(?:\w+\s+)?(?:language\s+)?models?\b",
    re.IGNORECASE,
)
_NAMED_DATASET_BEFORE = re.compile(r"\b(?:benchmark|dataset)s?(?:,)?\s+(?:called|named|dubbed)?\s*$", re.IGNORECASE)
#: "applying it to MotionBERT and MixSTE", "fine-tuning Zorblax": what a method is applied to is a model
_APPLIED_TO = re.compile(
    rf"(?:\b(?i:appl(?:y|ies|ied|ying)|integrat(?:e|es|ed|ing)|plug(?:s|ged|ging)?)\s+"
    rf"(?:(?:it|them|this|our\s+[\w\-]+)\s+)?(?i:to|into|on)|\b(?i:fine-?tun(?:e|es|ed|ing)))\s+(?:{_ITEM}{_SEP})*$"
)
#: the name goes on a list ("A, B and C", "A and B.") rather than opening a new clause ("A, X reduces")
_LIST_GOES_ON = re.compile(r"\s*(?:,|\band\b|\bor\b|[.;:)]|$)")
_LIST_ENDS = re.compile(r"\b(?:and|or)\s+$")
#: a benchmark's year, version or split written apart from its name: "BraTS 2021", "MS-COCO 2017 5K",
#: "SQuAD v1.1", "LibriSpeech test-clean" (not "ImageNet 2,000 times", "ImageNet 2000 times")
_EDITION_AFTER = re.compile(
    r" (?:(?:19[89]\d|20[0-3]\d)(?:[- ]\d+[kK])?|v\d+(?:\.\d+)?|(?:test|dev|val)-[a-z]+|(?:test|val)\d{4})\b(?![.,]\d|-\w)"
    r"(?!\s+(?i:times|steps|iterations|epochs|samples|images|examples|tokens|queries|questions|problems)\b)"
)
#: a model's size written apart from its name: "PaLM 540B", "Whisper small", "BERT Large", "HiFi-GAN V1"
#: (not a word of a phrase about the model: "LLaMA large language models", "LLaMA large batch
#: training", "BERT small enough")
_SIZE_AFTER = re.compile(
    r" (?:\d+(?:\.\d+)?[BMT]|(?i:tiny|small|base|medium|large|xl|xxl|huge|giant)(?:-v\d+)?|V\d+)\b(?![.\-]\w)"
    r"(?!\s+(?i:language|multimodal|vision|reasoning|scale|foundation|batch(?:es)?|enough|amounts?|numbers?|margins?"
    r"|gains?|improvements?|fraction|portion|datasets?|corpora|corpus|and\s+fast)\b)"
)


def _in_list(cue: re.Pattern[str], text: str, position: int, end: int) -> bool:
    """Whether the name at ``position`` follows ``cue`` as an item of its list."""
    match = cue.search(text, max(0, position - 150), position)
    if match is None:
        return False
    first_item = not text[match.start() : position].rstrip().endswith(",")
    return (
        first_item and not _LIST_ENDS.search(text, match.start(), position) and position - match.start() < 80
    ) or bool(_LIST_ENDS.search(text, max(0, position - 6), position)) or bool(_LIST_GOES_ON.match(text, end))


#: How candidates compete when the rules alone choose (higher wins an overlap, then the longer
#: span); the span ranker reads the priority as one feature among many.
TITLE_NAME = 4  # the name before a title's colon
DEFINED = 3  # an acronym's definition, a model with its size: the text says what it is
KNOWN = 2  # a gazetteer's name, a title phrase, a chip name
SHAPED = 1  # a coined name by its shape, a proposing run, a task phrase
LOOSE = 0  # a phrase only the ranker may keep


@dataclass(frozen=True)
class Candidate:
    """A span some pattern proposes as a name of ``label``; ``source`` names the pattern."""

    start: int
    end: int
    label: str
    priority: int
    source: str = "gazetteer"


@dataclass
class Found:
    """What `NameFinder.collect` found in one doc: the candidates and the context they were
    found in, which the span ranker reads its features from."""

    doc: Doc
    text: str
    title_end: int
    candidates: list[Candidate]
    #: short form -> long form of the definitions whose kind the rules know
    aliases: dict[str, str]
    #: short form -> long form of every definition, for naming: "MNC" is its long form's node
    definitions: dict[str, str]
    proposing: list[tuple[int, int]]
    title_name: str | None
    gazetteer: Gazetteer
    sentences: list[tuple[int, int]]
    #: the spans the rules alone would keep, by priority then length
    rule_spans: list[Span]

    @property
    def rule_choice(self) -> set[tuple[int, int, str]]:
        return {(s.start_char, s.end_char, s.label_) for s in self.rule_spans}


class NameFinder:
    """The ``kg_names`` component: acronyms, coined names, sized models, title names, phrases."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        lexicon = gazetteer.lexicon
        self._naming_word = word_pattern(lexicon["naming_cues"])
        self._propose_word = word_pattern(lexicon["propose_verbs"])
        self._compare_word = word_pattern(lexicon["compare_cues"])
        self.generic = frozenset(lexicon["generic_acronyms"])
        self.fields = frozenset(normalize_key(f) for f in lexicon["fields_of_study"])
        self.generic_long_forms = frozenset(normalize_key(f) for f in lexicon["generic_long_forms"])
        self.dataset_cues = frozenset(lexicon["dataset_cues"])
        self.propose = frozenset(lexicon["propose_verbs"])
        kinds = "|".join(sorted(map(re.escape, lexicon["kind_nouns"]), key=len, reverse=True))
        #: right before a name, words that make it the paper's own: "Our method, ThinkGate,", "The
        #: resulting method, ExitProbe,", "We describe Brindle"
        self._ours_named = re.compile(
            rf"(?:(?<![\w-])(?:our|the\s+resulting)\s+(?:(?:proposed|new|novel)\s+)?(?:{kinds})\s*,\s*"
            r"|(?<![\w-])we\s+describe\s+(?:the\s+)?)$",
            re.IGNORECASE,
        )
        self.naming = frozenset(lexicon["naming_cues"])
        self.task_heads = tuple(lexicon["task_heads"])
        self.technique_heads = tuple(lexicon["technique_heads"])
        self.technique_modifiers = tuple(lexicon["technique_modifiers"])
        self.titles = TitleReader(lexicon)
        loose_heads = lexicon["open_phrase_heads"]
        self.open_heads = {
            "Technique": (*self.technique_heads, *loose_heads["Technique"]),
            "Task": (*self.task_heads, *loose_heads["Task"]),
            "Metric": tuple(loose_heads["Metric"]),
        }
        self.measure_heads = frozenset(h.lower() for h in self.open_heads["Metric"])
        self.ranker: SpanRanker | None = SpanRanker.load()
        #: offer the loose phrase candidates (only worth it with a ranker to weed them out)
        self.open_phrases = self.ranker is not None

    def __call__(self, doc: Doc) -> Doc:
        found = self.collect(doc)
        if self.ranker is not None:
            scored = self.ranker.choose(found)
            doc.ents = _resolve(doc, found.text, [c for c, _ in scored], ordered=True)
        else:
            doc.ents = found.rule_spans
        doc._.kg_definitions = found.definitions
        doc._.kg_proposed = sorted(self._proposed(doc, found.text, found.proposing, found.title_name, found.aliases))
        return doc

    def collect(self, doc: Doc) -> Found:
        """Every candidate name in the doc, each with the pattern that found it."""
        text = doc.text  # spaCy joins the tokens anew on each access: read it once
        urls = [(m.start(), m.end()) for m in re.finditer(r"https?://\S+", text)]

        def outside_urls(found: Iterable[Candidate]) -> list[Candidate]:
            return [c for c in found if not any(a <= c.start < b for a, b in urls)]

        candidates = [self._widened(text, e.start_char, e.end_char, e.label_) for e in doc.ents]
        aliases: dict[str, str] = {}
        definitions: dict[str, str] = {}
        title_end = text.find("\n\n") if "\n\n" in text else len(text)
        sentences = sentence_spans(doc)
        proposing = self._proposing_spans(text, sentences)

        generic_here: set[str] = set()
        loose: list[Candidate] = []  # candidates only a ranker may keep
        for acronym in patterns.find_acronyms(text):
            if acronym.short in self.generic:
                continue
            if normalize_key(acronym.long) in self.generic_long_forms:
                generic_here.add(acronym.short)  # "diffusion models (DMs)": a family, not a name
                continue
            definitions[acronym.short] = acronym.long
            in_proposal = any(a <= acronym.short_start < b for a, b in proposing)
            label = self._label_for_definition(acronym.long, acronym.short, proposed=in_proposal)
            if label is None:
                if self.open_phrases:
                    loose.extend(self._unlabelled_definition(text, acronym))
                continue
            aliases[acronym.short] = acronym.long
            for start in patterns.occurrences(text, acronym.short):
                candidates.append(Candidate(start, start + len(acronym.short), label, DEFINED, "acronym"))
            for start in patterns.occurrences(text, acronym.long):
                candidates.append(Candidate(start, start + len(acronym.long), label, DEFINED, "acronym_long"))

        title_name = self.titles.name(text[:title_end])
        if title_name:
            label = self._label_in_context(text, title_name)
            for start in patterns.occurrences(text, title_name):
                candidates.append(Candidate(start, start + len(title_name), label, TITLE_NAME, "title_name"))
            long_form = self.titles.long_form(text[:title_end], title_name)
            if long_form and title_name not in aliases:
                aliases[title_name] = long_form
                for start in patterns.occurrences(text, long_form):
                    candidates.append(Candidate(start, start + len(long_form), label, DEFINED, "title_long_form"))

        for start, end, word in patterns.words(text):
            word, end = self._trim(word, end)
            if not word or self._is_generic(word) or word in generic_here:
                continue
            if patterns.has_size_suffix(word) and word[0].isupper() and self.gazetteer.label_of(word) in (None, "Model"):
                candidates.append(Candidate(start, end, "Model", DEFINED, "size"))  # not "ROUGE-L"
            elif patterns.is_name_shaped(word):
                candidates.append(Candidate(start, end, self._label_in_context(text, word, start), SHAPED, "shape"))
            elif (
                start > title_end
                and patterns.is_capitalized_compound(word)
                and not re.search(r"(?:^|[.!?]\s+)$", text[max(0, start - 3) : start])
            ):
                candidates.append(Candidate(start, end, self._label_in_context(text, word, start), SHAPED, "compound"))
        for a, b in proposing:
            for start, end in patterns.title_case_runs(text, a, b):
                label = self._label_in_context(text, text[start:end], start)
                candidates.append(Candidate(start, end, label, SHAPED, "proposal_run"))

        for start, end in patterns.phrases_ending_in(
            text, self.technique_heads, modifiers=self.technique_modifiers, max_modifiers=3
        ):
            candidates.append(Candidate(start, end, "Technique", LOOSE, "technique_phrase"))
        for phrase, label in self.titles.phrases(text[:title_end]):
            for start in patterns.occurrences(text, phrase, ignore_case=True):
                candidates.append(Candidate(start, start + len(phrase), label, KNOWN, "title_phrase"))
        for start, end in patterns.task_phrases(text):
            start = self._without_leading_stopwords(text, start, end)
            if start is not None:
                candidates.append(Candidate(start, end, "Task", SHAPED, "task_phrase"))
        for start, end in patterns.measure_phrases(text):
            start = self._without_leading_stopwords(text, start, end)
            if start is not None:
                candidates.append(Candidate(start, end, "Metric", LOOSE, "measure_phrase"))
        for start, end in patterns.cutoff_measures(text):
            candidates.append(Candidate(start, end, "Metric", SHAPED, "cutoff_measure"))
        for start, end in patterns.chip_names(text):
            candidates.append(Candidate(start, end, "Hardware", KNOWN, "chip_name"))
        candidates = self._not_fields(text, outside_urls(candidates))
        rule_spans = _resolve(doc, text, candidates)
        if self.open_phrases:
            loose.extend(self._other_kinds(text, candidates))
            loose.extend(self._capitalised_words(text, title_end, generic_here))
            loose.extend(self._open_phrases(text, title_end))
            candidates.extend(self._not_fields(text, outside_urls(loose)))
        return Found(
            doc, text, title_end, candidates, aliases, definitions, proposing, title_name, self.gazetteer, sentences,
            rule_spans,
        )

    def _not_fields(self, text: str, candidates: list[Candidate]) -> list[Candidate]:
        """Without a field of study offered as a task: "LLMs have transformed natural language
        processing" sets the scene; the annotators mark what the paper works on (none of 50 fields
        named in the train, dev and written abstracts were marked as tasks)."""
        return [c for c in candidates if c.label != "Task" or normalize_key(text[c.start : c.end]) not in self.fields]

    def _open_phrases(self, text: str, title_end: int) -> Iterator[Candidate]:
        """Loose candidates, too many for rules alone, so only offered to the ranker: phrases
        ending in a technique, task or measure head with any modifiers in front ("token
        pruning", "long video QA", "runtime memory overhead"), one per start; runs of
        capitalised words anywhere ("Stochastic Beam Search"); the pieces of the title."""
        for label, heads in self.open_heads.items():
            for start, end in patterns.phrase_variants(text, heads, max_modifiers=4, alone=label == "Metric"):
                yield Candidate(start, end, label, LOOSE, "open_phrase")
        for start, end in patterns.count_measures(text):
            yield Candidate(start, end, "Metric", LOOSE, "count_measure")
        for start, end in patterns.title_case_runs(text, title_end, len(text)):
            yield Candidate(start, end, self._label_in_context(text, text[start:end], start), LOOSE, "title_run")
        for start, end in self.titles.segments(text[:title_end]):
            for label in ("Task", "Technique"):
                yield Candidate(start, end, label, LOOSE, "title_segment")

    def _other_kinds(self, text: str, candidates: list[Candidate]) -> Iterator[Candidate]:
        """A name no gazetteer knows, labelled by the few words around it, offered as the other
        kinds of name too: whether "NExT-QA" is a method, a model or a benchmark is what the
        ranker reads from its context ("on NExT-QA and STAR")."""
        offered: set[tuple[int, int]] = set()
        for c in candidates:
            span = (c.start, c.end)
            if c.label in _NAME_KINDS and c.source in _NAME_SOURCES and span not in offered:
                offered.add(span)
                if self.gazetteer.label_of(text[c.start : c.end]) is None:
                    for label in _NAME_KINDS - {c.label}:
                        yield Candidate(c.start, c.end, label, LOOSE, "other_kind")

    def _capitalised_words(self, text: str, title_end: int, generic_here: set[str]) -> Iterator[Candidate]:
        """Capitalised words inside an abstract's sentences ("Gemma", "Cityscapes") and short
        codes of capitals and digits ("T5", "C4", "RS2"): mostly names, of a kind only the
        context tells; with a version or size after them ("Llama 2", "PaLM 540B") too."""
        for start, end, word in patterns.words(text[title_end:]):
            start, end = start + title_end, end + title_end
            capitalised = word[:1].isupper() and word[1:].islower() and len(word) > 2
            if not (capitalised or _SHORT_CODE.fullmatch(word)) or word in generic_here:
                continue
            if word.lower() in patterns.STOP or patterns.opens_sentence(text, title_end, start):
                continue
            if self.gazetteer.label_of(word) is not None or (capitalised and _COINED_NEXT.match(text, end)):
                continue
            version = _VERSION_AFTER.match(text, end)
            for stop in (end, version.end()) if version else (end,):
                for label in _NAME_KINDS:
                    yield Candidate(start, stop, label, LOOSE, "capitalised")

    def _unlabelled_definition(self, text: str, acronym: patterns.Acronym) -> Iterator[Candidate]:
        """A definition whose words do not say what it names: offered as each kind a ranker may pick."""
        for label in ("Technique", "Task", "Method", "Metric"):
            for form in (acronym.short, acronym.long):
                for start in patterns.occurrences(text, form):
                    yield Candidate(start, start + len(form), label, LOOSE, "definition")

    def _without_leading_stopwords(self, text: str, start: int, end: int) -> int | None:
        words = list(re.finditer(r"\S+", text[start:end]))
        while words and words[0].group(0).lower() in patterns.STOP:
            words = words[1:]
        return start + words[0].start() if words else None

    def _is_generic(self, word: str) -> bool:
        """Common acronyms, alone or in compounds such as "video-LLM" and "multi-GPU"."""
        if word in self.generic or word.rstrip("s") in self.generic:
            return True
        parts = word.split("-")
        return len(parts) > 1 and any(p in self.generic or p.rstrip("s") in self.generic for p in parts) and all(
            p in self.generic or p.rstrip("s") in self.generic or p.islower() for p in parts
        )

    def _widened(self, text: str, start: int, end: int, label: str) -> Candidate:
        """Gazetteer matches take a name's attached suffix ("LLaVA-HR", "PVTv2-B0"), a model its
        size written apart ("PaLM 540B"), a chip its vendor and kind ("NVIDIA A6000 GPU")."""
        if label in ("Model", "Method", "Dataset"):
            match = re.match(r"(?:-[A-Za-z0-9][\w.]*)+", text[end:])
            if match and not any(match.group(0).lower().startswith(s) for s in _TRIM_SUFFIXES):
                suffix = match.group(0)
                end += match.end()
                # "ViT-Slim", "LLaMA-Factory": a new name built on a known one, of its own kind
                if label == "Model" and re.fullmatch(r"-[A-Za-z]{3,}", suffix) and suffix[1:].lower() not in _MODEL_VARIANTS:
                    label = self._label_in_context(text, text[start:end], start)
            after = (_SIZE_AFTER if label == "Model" else _EDITION_AFTER if label == "Dataset" else None)
            size = after.match(text, end) if after else None
            if size:
                end = size.end()
        elif label == "Hardware":
            match = patterns.CHIP_KIND_AFTER.match(text, end)
            if match:
                end = match.end()
            vendor = patterns.CHIP_VENDOR_BEFORE.search(text, max(0, start - 12), start)
            if vendor:
                start = vendor.start()
        return Candidate(start, end, label, KNOWN)

    # -- labels ----------------------------------------------------------------------------

    def _label_for_definition(self, long: str, short: str, *, proposed: bool) -> str | None:
        """The type of an in-text definition "Long Form (LF)" from its words and context."""
        known = self.gazetteer.label_of(short) or self.gazetteer.label_of(long)
        if known:
            return known
        if patterns.has_size_suffix(short) or patterns.has_size_suffix(long):
            return "Model"  # "Llama-3.1-Nemotron-51B-Instruct (Nemotron-51B)": a name with its size
        words = long.split()
        last = words[-1].lower() if words else ""
        singular = last[:-1] if last.endswith("s") else last
        title_case = sum(w[:1].isupper() for w in words) >= max(1, len(words) - 1)
        if singular in self.dataset_cues or last in self.dataset_cues:
            return "Dataset"
        if singular in STRONG_TASK_HEADS or last in STRONG_TASK_HEADS:
            return "Task"
        if len(words) > 1 and (singular in self.measure_heads or last in self.measure_heads):
            return "Metric"  # "half total error rates (HTERs)", "peak signal-to-noise ratio (PSNR)"
        if len(words) == 1 and not patterns.is_name_shaped(long):
            return None  # "Echocardiography (ECHO)": a word, not a name
        if title_case or proposed:
            return "Method"
        if last in self.technique_heads or singular in self.technique_heads:
            return "Technique"
        return None

    def _label_in_context(self, text: str, name: str, start: int | None = None) -> str:
        """Method unless the words around the name say dataset or model."""
        known = self.gazetteer.label_of(name)
        if known:
            return known
        occurrences = list(patterns.occurrences(text, name))
        if patterns.has_size_suffix(name) or any(_SIZED_AFTER.match(text, p + len(name)) for p in occurrences):
            return "Model"
        for position in [start] if start is not None else occurrences:
            after = text[position + len(name) : position + len(name) + 30].lower()
            following = re.findall(r"[a-z\-]+", after)[:2]
            if any(w in self.dataset_cues for w in following[:1]):
                return "Dataset"
            end = position + len(name)
            if _in_list(_APPLIED_TO, text, position, end):
                return "Model"
            for label, (list_then_kind, kind_then_list) in _LIST_CUES.items():
                if list_then_kind.match(text, end) or _in_list(kind_then_list, text, position, end):
                    return label
            if _NAMED_DATASET_BEFORE.search(text, max(0, position - 40), position):
                return "Dataset"
        for position in occurrences:
            if _IS_A_DATASET.match(text, position + len(name)):
                return "Dataset"
            if _IS_A_MODEL.match(text, position + len(name)):
                return "Model"
        return "Method"

    def _trim(self, word: str, end: int) -> tuple[str, int]:
        if "-" in word:
            lowered = word.lower()
            for suffix in _TRIM_SUFFIXES:
                if lowered.endswith(suffix):
                    return word[: -len(suffix)], end - len(suffix)
        if word.endswith("'s"):
            return word[:-2], end - 2
        return word, end

    # -- proposals -------------------------------------------------------------------------

    def _known(self, name: str, aliases: dict[str, str]) -> bool:
        """Whether a gazetteer knows the name, its long form or the name without its size
        ("LLaMA2-7B" is Llama 2): a known model is used by the paper, not released by it."""
        forms = (name, aliases.get(name, ""), strip_size(name))
        return any(form and self.gazetteer.label_of(form) is not None for form in forms)

    def _proposing_spans(self, text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Stretches of text where the paper names what it contributes: from "we propose" (or
        "called", "dubbed") to the end of the sentence, or to a comparison ("than", "over")."""
        spans: list[tuple[int, int]] = []
        for start, end in sentences:
            sentence = text[start:end]
            naming = self._naming_word.search(sentence)
            proposing = self._propose_word.search(sentence) if patterns.AUTHORS.search(sentence) else None
            cues = [m for m in (naming, proposing) if m is not None]
            if not cues:
                continue
            cue = min(cues, key=lambda m: m.start())
            compare = self._compare_word.search(sentence, cue.start())
            spans.append((start + cue.start(), start + (compare.start() if compare else len(sentence))))
        return spans

    def _built_on(self, ent: Span, text: str, stretch_start: int) -> bool:
        """A method the field knows, named in a proposing stretch but not as its verb's object:
        "We propose TealAdapt, which builds on LoRA", "namely GPTQ", "LoRA-style adapters". The
        paper that made it names it with the verb: "this paper presents PEQA"."""
        if ent.label_ != "Method" or self.gazetteer.label_of(ent.text) != "Method":
            return False
        named = _NAMED_BY_VERB.fullmatch(text, stretch_start, ent.start_char)
        return not (named and self._propose_word.match(named.group(1))) or bool(_VARIANT_AFTER.match(text, ent.end_char))

    def _proposed(
        self,
        doc: Doc,
        text: str,
        proposing: list[tuple[int, int]],
        title_name: str | None,
        aliases: dict[str, str],
    ) -> set[str]:
        """Names the paper proposes: the title's name, Methods named in a proposing stretch,
        "X, a novel ...", and both forms of a proposed acronym; also a Model named so, when no
        gazetteer knows it (a new model the paper releases, not Llama fine-tuned)."""
        proposed: set[str] = {title_name} if title_name else set()
        for ent in doc.ents:
            new_model = ent.label_ == "Model" and not self._known(ent.text, aliases)
            if ent.label_ != "Method" and not new_model:
                continue
            stretch = next((a for a, b in proposing if a <= ent.start_char < b), None)
            if stretch is not None:
                if not self._built_on(ent, text, stretch):
                    proposed.add(ent.text)
            elif self._ours_named.search(text, max(0, ent.start_char - 60), ent.start_char):
                proposed.add(ent.text)
            elif re.match(
                r"\s*(?:\([^)]*\)\s*)?,\s*(?:a|an)\s+(?:new|novel|simple|general|efficient|unified|training-free|"
                r"lightweight|scalable|plug-and-play)\b",
                text[ent.end_char : ent.end_char + 60],
            ):
                proposed.add(ent.text)
        for short, long in aliases.items():
            first = text.find(long)
            ours = first > 0 and _OURS_BEFORE.search(text, max(0, first - 40), first)
            if short in proposed or long in proposed or (ours and self.gazetteer.label_of(long) is None):
                proposed |= {short, long}  # "our Shared-Basis Adapter Compression (SBAC)" too
        return proposed


#: a proposing verb and the name right after it: "presents PEQA", "introduce the LoRA-Drop"
_NAMED_BY_VERB = re.compile(r"(\w+)\s+(?:the\s+|our\s+)?")
#: after a known name, what makes it a base, not the paper's own: "LoRA-style", "a LoRA variant"
_VARIANT_AFTER = re.compile(r"-|\s+(?:variant|extension|version)s?\b")
#: "our" right before a name: "our Shared-Basis Adapter Compression (SBAC)", "our proposed ..."
_OURS_BEFORE = re.compile(r"\bour\s+(?:(?:proposed|new|novel)\s+)?$", re.IGNORECASE)


def word_pattern(words: list[str]) -> re.Pattern[str]:
    """Any of ``words`` as whole words, any case; longer words first so "vs." beats "vs"."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the doc's sentences, computed once (each ``doc.sents`` walks every token)."""
    spans = doc._.kg_sentences
    if spans is None:
        spans = [(s.start_char, s.end_char) for s in doc.sents]
        doc._.kg_sentences = spans
    return spans


def _resolve(doc: Doc, text: str, candidates: list[Candidate], *, ordered: bool = False) -> list[Span]:
    """Keep the best non-overlapping candidates: higher priority, then longer (or, ``ordered``,
    best first as given).

    A candidate must line up with token boundaries, give or take a character or
    two of punctuation; one that would swallow a longer token is dropped.
    """
    chosen: list[Span] = []
    taken = [False] * (len(text) + 1)
    if not ordered:
        candidates = sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    for c in candidates:
        if any(taken[c.start : c.end]):
            continue
        start, end = c.start, c.end
        if c.label == "Dataset":
            trimmed = re.sub(r"\s+(?:benchmark|dataset|corpus)s?$", "", text[start:end], flags=re.IGNORECASE)
            end = start + len(trimmed)
        span = doc.char_span(start, end, label=c.label)
        if span is None:
            span = doc.char_span(start, end, label=c.label, alignment_mode="expand")
            if span is None or (span.end_char - span.start_char) - (end - start) > 2:
                continue
            if not span.text.strip("()[]{},.;:'\"").startswith(text[start:end].strip("()[]{},.;:'\"")[:1]):
                continue
        if any(taken[span.start_char : span.end_char]):
            continue
        for i in range(span.start_char, span.end_char):
            taken[i] = True
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


@Language.component("kg_title_sentence")
def title_sentence(doc: Doc) -> Doc:
    """The title is a sentence of its own: the blank line after it ends it."""
    for token in doc[:-1]:
        if "\n\n" in token.text or token.whitespace_ == "" and token.text.isspace() and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            break
    return doc


@Language.factory("kg_names")
def _make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder(Gazetteer.load())
