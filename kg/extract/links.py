"""Which technique a named method is an instance of (`INSTANCE_OF`), read from how the abstract
describes the method, not from the method and a technique merely sharing a sentence.

A method is an instance of a technique when the text says what kind of thing it is:
"GPTQ, a new one-shot weight quantization method", "a binarization paradigm ..., called
EcoFormer", "PEFT methods like LoRA", "KV cache compression (SnapKV, KIVI)", a title "GPTQ:
Accurate Post-Training Quantization for ...", a name that holds the technique ("Recursive
Speculative Decoding"); or when the gazetteer knows the method's family. "X outperforms pruning",
"X can be combined with quantization", the technique an abstract opens on (tried: on unseen
abstracts mostly what the method serves, docs/QUALITY.md) and a sub-module's own technique are
not links of X (the guide of the gold's `instance_of` pairs,
tests/data/gold/README.md). Every span read stays inside the name's sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable

from kg.extract import patterns
from kg.extract.canonical import normalize_key
from kg.extract.gazetteer import Gazetteer
from kg.records import Link, Mention

#: an article opening a description, in any case ("A fast adversarial training algorithm (X)")
_ARTICLE = re.compile(r"(?<![\w-])(?:a|an|the|our)\s", re.IGNORECASE)
#: where a description of a kind ends: a clause, or what the method is for, on or of ("a family of
#: IO-aware attention kernels" goes on); a word inside a hyphenated one ("state-of-the-art",
#: "in-context", "end-to-end") ends nothing
_DESCRIPTION_END = re.compile(
    r"[,;:.!?](?:\s|$)|(?<![\w-])(?:that|which|who|whose|where|while|when|to|for|on|in|(?<!family\s)(?<!class\s)(?<!kind\s)(?<!type\s)(?<!form\s)of|from|than|against|over"
    r"|across|but|because|and\s+(?:a|an|the)|by\s+\w+ing)(?![\w-])"
)
#: a word that brings the means back after an end word ("customized to softmax attention via
#: kernelized hashing": the hashing is how it works, the attention what it is for)
_MEANS = re.compile(r"(?<![\w-])(?:via|with|using|through|by|based\s+on)(?![\w-])")
#: after a name: ", a ...", " is a ...", ", which is a ...", " (a ...)", " - a ..."
_DESCRIBED_AFTER = re.compile(
    r"[}$]?(?:\s*\([^()]{1,80}\))?(?:(?:\s*[,(:–—]|\s+-)\s*(?:which\s+is\s+|that\s+is\s+)?|\s+(?:is|was|remains|became|has\s+become)\s+)"
    r"(?:[Aa]n?|[Tt]he|[Oo]ur)\s"
)
#: before a name: "... , called", "named", "dubbed the"
_NAMED_BEFORE = re.compile(r"(?:,\s*|\s)(?:called|named|dubbed|termed|coined|namely)\s+(?:the\s+|as\s+)?$")
#: what may stand between two items of a list of names ("LoRA (low-rank adaptation), VPT and X")
_LIST_GAP = re.compile(r"\s*\(\s*|\)?\s*(?:\([^()]{1,40}\)\s*)?(?:,\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+|/|\s*&\s*)")
#: right after a name, its verb "combines" ("X combines A and B"), with only an acronym, an
#: apposition ending in "that" or "which", or adverbs between ("PEQA - a simple yet effective
#: method that combines", "X seamlessly integrates"): the name is the verb's subject
_COMBINES = re.compile(
    r"\s*(?:\([^()]{1,40}\)\s*)?(?:(?:[,\-–—]\s*)?(?:a|an)\s[^.;:]{0,80}?(?:that|which)\s+|,\s*which\s+)?(?:\w+ly\s+)*"
    r"(?:combines?|combining|integrates?|integrating|unif(?:y|ies|ying)|marr(?:y|ies|ying)|fuses?|fusing|couples?|coupling)(?![\w-])"
)
_COMBINED_END = re.compile(r"[.;!?](?:\s|$)|,\s+(?:which|while|and\s+(?:it|we|then))(?![\w-])")
#: how far a description may run from its name
_REACH = 160


class LinkReader:
    """Reads the INSTANCE_OF links of an abstract; built once per extractor, since its patterns
    come from the gazetteer's lexicon (the nouns that name a kind of method)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        kind = "(?:" + "|".join(_with_plurals(gazetteer.lexicon["kind_nouns"])) + ")"
        #: a kind noun right before a name: "the one-step diffusion network OSEDiff", "a fast
        #: adversarial training algorithm (C-AdvUL)"
        self._kind_before = re.compile(rf"(?<![\w-]){kind}\s*\(?\s*$", re.IGNORECASE)
        #: a description names a kind: "a KD framework", "a selective state space model"
        self._kind_in = re.compile(rf"(?<![\w-]){kind}(?![\w-])", re.IGNORECASE)
        #: after a technique, a list of its instances follows: "PEFT methods like", "(PETuning)
        #: techniques, e.g.,"
        self._examples_cue = re.compile(
            rf"(?:\s*\([^()]{{1,30}}\))?(?:\s+{kind})?(?:\s*\([^()]{{1,30}}\))?(?:\s*,)?\s*\(?"
            r"(?:such as|like|including|as in|e\.g\.,?|for example,?|for instance,?|namely|i\.e\.,?)\s",
            re.IGNORECASE,
        )
        #: or the instances stand in its parentheses: "KV cache compression (SnapKV, KIVI)",
        #: "Vector quantization methods (QuIP# and AQLM)"
        self._examples_in_parentheses = re.compile(rf"(?:\s+{kind})?\s*\((?=[^()]*\))", re.IGNORECASE)

    def links(
        self, text: str, sentences: list[tuple[int, int]], mentions: list[Mention], proposed: Iterable[str] = ()
    ) -> list[Link]:
        """The links of one abstract, each with the sentence that supports it: the gazetteer's
        family of each known method (and the families above it the abstract names), then what
        the text says."""
        sentence_of = _sentence_finder(sentences, len(text))
        methods = _occurrences(text, sentence_of, mentions, "Method")
        techniques = _occurrences(text, sentence_of, mentions, "Technique")
        known: list[Link] = []
        in_abstract = {normalize_key(t.canonical): t.canonical for t in techniques}
        for canonical, sentence in {m.canonical: m.sentence for m in reversed(methods)}.items():
            # by what the name means here: "VPTs" defined as "video pose transformers" is not the
            # gazetteer's VPT (visual prompt tuning)
            entry = self.gazetteer.lookup("Method", canonical)
            for rank, kind in enumerate(entry.parents if entry else ()):
                # its first kind always; another ("AWQ ... post-training quantization") where the
                # abstract names it, as it does the families above
                if rank:
                    kind = in_abstract.get(normalize_key(kind))
                    if kind is None:
                        continue
                known.append(Link(canonical, kind, sentence))
                # and the families above its own that the abstract names: Sequoia (tree-based
                # speculative decoding) in an abstract about speculative decoding
                for family in self.gazetteer.technique_chain(kind)[1:]:
                    technique = in_abstract.get(normalize_key(family.name))
                    if technique is not None:
                        known.append(Link(canonical, technique, sentence))
        read = [
            *self._title_links(text, methods, techniques, set(proposed)),
            *_named_by_technique(methods, techniques),
        ]
        for m in methods:
            bounds = sentence_of(m.start)
            read.extend(Link(m.canonical, t.canonical, m.sentence) for t in self._described_as(text, bounds, m, techniques))
            read.extend(Link(m.canonical, t.canonical, m.sentence) for t in _combined_by(text, bounds, m, techniques))
        for t in techniques:
            bounds = sentence_of(t.start)
            read.extend(Link(m.canonical, t.canonical, t.sentence) for m in self._examples_of(text, bounds, t, methods))
        read.extend(_broader_in_words(read, techniques))
        unique: dict[tuple[str, str], Link] = {}
        for link in known + read:
            source, target = normalize_key(link.source), normalize_key(link.target)
            if source != target:  # a name read both as a method and as a technique
                unique.setdefault((source, target), link)
        return list(unique.values())

    def _title_links(
        self, text: str, methods: list[Mention], techniques: list[Mention], proposed: set[str]
    ) -> Iterable[Link]:
        """A title "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained
        Transformers": the name before the colon is an instance of the techniques the title after
        it describes it by, not those it is for ("X: A Benchmark for Evaluating Quantization").
        A title that names no method ("Fewer Tokens, Same Answers: Instruction-Guided Visual Token
        Pruning for VQA") describes what the paper proposes."""
        title_end = text.find("\n\n") if "\n\n" in text else len(text)
        colon = text.find(":", 0, title_end)
        named = [m for m in methods if colon >= 0 and m.end <= colon and not text[m.end : colon].strip(" $}")]
        if not named and not any(m.start < title_end for m in methods):
            named = [m for m in methods if m.canonical in proposed]
        spans = _description(text, colon + 1, title_end, keeps_means=True)
        for m in named:
            for t in techniques:
                if _inside(t, spans):
                    yield Link(m.canonical, t.canonical, t.sentence)

    def _described_as(self, text: str, bounds: tuple[int, int], method: Mention, techniques: list[Mention]) -> list[Mention]:
        """Techniques in the description the text gives the method, when that description names a
        kind ("GPTQ, a new one-shot weight quantization method", "a binarization paradigm ... via
        kernelized hashing, called EcoFormer", "the one-step diffusion network OSEDiff")."""
        start, end = bounds
        spans: list[tuple[int, int]] = []
        after = _DESCRIBED_AFTER.match(text, method.end, end)
        if after:
            described = _description(text, after.end(), min(end, after.end() + _REACH), keeps_means=True)
            if any(self._kind_in.search(text, a, b) for a, b in described):
                spans.extend(described)
        named = _NAMED_BEFORE.search(text, max(start, method.start - 20), method.start)
        cue = named.start() if named else method.start
        article = _last_article(text, max(start, cue - _REACH), cue)
        if article is not None and (named or self._kind_before.search(text, article, cue)):
            spans.extend(_description(text, article, cue, keeps_means=True))
        return [t for t in techniques if _inside(t, spans)]

    def _examples_of(self, text: str, bounds: tuple[int, int], technique: Mention, methods: list[Mention]) -> list[Mention]:
        """Methods listed as examples of a technique: "PEFT methods like low-rank adaptation
        (LoRA)", "Parameter-Efficient Tuning techniques, e.g., Visual Prompt Tuning (VPT) and LoRA",
        "KV cache compression (SnapKV, KIVI)"."""
        end = bounds[1]
        cue = self._examples_cue.match(text, technique.end, end)
        enclosed = cue is None
        if enclosed:
            cue = self._examples_in_parentheses.match(text, technique.end, end)
            if cue is None:
                return []
            end = text.index(")", cue.end())
        listed: list[Mention] = []
        position = cue.end()
        for m in sorted(methods, key=lambda m: m.start):
            if m.start < position:
                continue
            if m.end > end or not (m.start == position or _LIST_GAP.fullmatch(text, position, m.start)):
                break
            listed.append(m)
            position = m.end
        # in parentheses, only a list of names and nothing else ("(e.g., 4 bits)" is no list); one
        # name there is the technique's short form ("Laplacian eigenvector encodings (LapPE)")
        # unless a kind noun says instances follow ("vector quantization methods (QuIP#)")
        if enclosed and (text[position:end].strip() or (len(listed) < 2 and not self._kind_in.search(text, technique.end, cue.end()))):
            return []
        return listed


def _with_plurals(nouns: Iterable[str]) -> list[str]:
    """Each noun and its plural, longest first so a regex alternation prefers "strategies"."""
    forms: set[str] = set()
    for noun in nouns:
        if noun.endswith("y"):
            plural = noun[:-1] + "ies"
        elif noun.endswith(("s", "ch", "sh", "x")):
            plural = noun + "es"
        else:
            plural = noun + "s"
        forms |= {re.escape(noun), re.escape(plural)}
    return sorted(forms, key=lambda f: (-len(f), f))


def _sentence_finder(sentences: list[tuple[int, int]], length: int) -> Callable[[int], tuple[int, int]]:
    """The sentence a position falls in (the whole text if there are no sentences)."""
    starts = [start for start, _ in sentences]

    def sentence_of(position: int) -> tuple[int, int]:
        return sentences[max(0, bisect_right(starts, position) - 1)] if sentences else (0, length)

    return sentence_of


def _inside(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(a <= mention.start and mention.end <= b for a, b in spans)


def _occurrences(
    text: str, sentence_of: Callable[[int], tuple[int, int]], mentions: list[Mention], label: str
) -> list[Mention]:
    """The ``label`` mentions, and every other place one of their forms stands outside any
    mention: the extractor may keep "Altering Resolutions" in the title and pass over "an
    altering resolution framework called AR-Seg" in the abstract. A plain-word form is found in
    any case or number; a coined one ("LESS", "LoRA") only as written."""
    taken = sorted((m.start, m.end) for m in mentions)
    found: dict[tuple[int, int], Mention] = {(m.start, m.end): m for m in mentions if m.label == label}
    forms = {m.text: m.canonical for m in mentions if m.label == label}
    for form, canonical in forms.items():
        plain = not any(c.isupper() for word in form.split() for c in word[1:])
        variants = {form, form + "s", form[:-1] if form.endswith("s") and len(form) > 3 else form} if plain else {form}
        for variant in variants:
            for start in patterns.occurrences(text, variant, ignore_case=plain):
                end = start + len(variant)
                if (start, end) in found or (end < len(text) and text[end] == "-") or _overlaps(taken, start, end):
                    continue
                a, b = sentence_of(start)
                found[(start, end)] = Mention(label, text[start:end], canonical, start, end, text[a:b].strip())
    return sorted(found.values(), key=lambda m: m.start)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _named_by_technique(methods: list[Mention], techniques: list[Mention]) -> Iterable[Link]:
    """A name that holds a technique's words is an instance of it: "Recursive Speculative
    Decoding", "token pruning cluster", "gamma-MoD". A one-word technique counts only as the
    name's last word, its head ("Attention Sink Pruning" is not an attention)."""
    kinds = {normalize_key(t.text): t for t in techniques}
    for m in methods:
        words = _words(m.text)
        for t in kinds.values():
            inner = _words(t.text)
            if not inner or inner == words:
                continue
            if _holds(words, inner) if " " in inner else words.endswith(f" {inner}"):
                yield Link(m.canonical, t.canonical, m.sentence)


def _words(name: str) -> str:
    return " ".join(normalize_key(w) for w in re.split(r"[\s\-/]+", name) if normalize_key(w))


def _holds(words: str, inner: str) -> bool:
    """Whether ``inner``'s words stand, whole and in order, among ``words`` (both from `_words`)."""
    return f" {inner} " in f" {words} "


def _last_article(text: str, start: int, end: int) -> int | None:
    """Where the noun phrase that ends at ``end`` starts: its last article."""
    found = None
    for match in _ARTICLE.finditer(text, start, end):
        found = match.start()
    return found


def _description(text: str, start: int, end: int, *, keeps_means: bool = False) -> list[tuple[int, int]]:
    """The stretches of a description that say what kind of thing is described, from ``start``:
    up to its first clause or purpose word ("for pre-training LMs", "that ...", "to ..."); with
    ``keeps_means``, also what a means word brings back after it, up to the next end word
    ("customized to softmax attention via kernelized hashing, called EcoFormer")."""
    spans: list[tuple[int, int]] = []
    position = start
    while position < end:
        # the description's own first word is not its end ("The ..." at a sentence start)
        stop = _DESCRIPTION_END.search(text, position + 1, end)
        spans.append((position, stop.start() if stop else end))
        if not stop or not keeps_means:
            break
        means = _MEANS.search(text, stop.end(), end)
        if not means:
            break
        position = means.start()
    return spans


def _combined_by(text: str, bounds: tuple[int, int], method: Mention, techniques: list[Mention]) -> list[Mention]:
    """Techniques a method is said to combine: "PEQA - a simple yet effective method that
    combines the advantages of PEFT with quantized LLMs", "Agent Attention integrates Softmax
    attention and linear attention"; the method must be the verb's subject ("X outperforms methods
    that combine pruning and quantization" is no link)."""
    verb = _COMBINES.match(text, method.end, bounds[1])
    if not verb:
        return []
    stop = _COMBINED_END.search(text, verb.end(), bounds[1])
    end = min(stop.start() if stop else bounds[1], verb.end() + _REACH)
    return [t for t in techniques if verb.end() <= t.start and t.end <= end]


def _broader_in_words(links: list[Link], techniques: list[Mention]) -> list[Link]:
    """A method linked to "one-shot weight quantization" is also an instance of "quantization" when
    the abstract names it: the broader technique is in the narrower one's words."""
    forms: dict[str, set[str]] = {}
    for t in techniques:
        forms.setdefault(t.canonical, set()).add(_words(t.text))
    return [
        Link(link.source, canonical, link.sentence)
        for link in links
        for narrow in forms.get(link.target, ())
        for canonical, words in forms.items()
        if canonical != link.target and any(w and _holds(narrow, w) for w in words)
    ]
