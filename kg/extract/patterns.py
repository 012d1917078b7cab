"""Pattern finders for names no gazetteer knows, as plain functions over text.

Kept apart from spaCy so each can be tested on a string: acronym definitions
(Schwartz & Hearst's long-form search), coined names by their shape
("EvoPress", "FAST-VQA", "iSTFTNet"), model names by their size suffix
("Llama-3.1-70B-Instruct"), phrases ending in a technique or task head word
("token pruning", "3D human pose estimation"), and the cues that mark a name
as proposed by the paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

#: A word that may be a name: letters, digits and the joiners names use.
_WORD = re.compile(r"(?<![\w\-])[A-Za-z0-9$][\w.+#$\-]*[\w+#$]|(?<![\w\-])[A-Za-z]\b")
_SIZE = re.compile(r"(?:^|[\-\s])\d+(?:\.\d+)?[BMT](?=$|[\-\s])")
#: the authors speaking of their own work: where a paper's proposals and its results begin
AUTHORS = re.compile(r"\b(?:we|this paper|this work|our|here)\b", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"'(){}\[\]]+[^\s<>\"'(){}\[\].,;:]")


@dataclass(frozen=True)
class Acronym:
    """An in-text definition "Long Form (LF)": both forms name the same thing."""

    short: str
    long: str
    short_start: int
    long_start: int


def best_long_form(short: str, candidate: str) -> str | None:
    """Schwartz & Hearst (2003): the shortest tail of ``candidate`` that spells ``short``.

    Each character of the short form, right to left, must be found in the
    candidate, and the first one must start a word.
    """
    s, c = len(short) - 1, len(candidate) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while c >= 0 and (
            candidate[c].lower() != char or (s == 0 and c > 0 and candidate[c - 1].isalnum())
        ):
            c -= 1
        if c < 0:
            return None
        c -= 1
        s -= 1
    start = candidate.rfind(" ", 0, c + 1) + 1
    long = candidate[start:].strip()
    return long if len(long) > len(short) else None


_NAME_PIECE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z][a-z]+|[A-Z]+|[a-z]+|\d+")


def spells_name(name: str, phrase: str, *, skippable: int = 2) -> bool:
    """Whether a coined name is built from a phrase's words, as titles spell them out after the
    name: "TVConv: Translation Variant Convolution", "SkipDecode: Autoregressive Skip Decoding",
    "H-DenseUNet: Hybrid Densely Connected UNet", "SALQ: Saliency-Aware Lattice Quantization".

    A short capitalised name must spell the whole phrase (Schwartz & Hearst); otherwise each
    piece of the name (a capitalised run, a word's start, the letters of a short capital run)
    comes from the next words in order, and at most ``skippable`` words go unused.
    """
    letters = re.sub(r"[^A-Za-z0-9]", "", name)
    if len(letters) <= 6 and sum(c.isupper() for c in letters) >= 2 and best_long_form(letters, phrase) == phrase.strip():
        return True  # an acronym of the whole phrase: "PVP: Pre-trained Visual Parameter-Efficient Tuning"
    pieces = [p.lower() for p in _NAME_PIECE.findall(name)]
    words = [w.lower() for w in re.split(r"[\s\-]+", phrase) if w]
    if len(pieces) < 2 or len(words) < 2:
        return False

    def match(p: int, w: int, skipped: int) -> bool:
        if p == len(pieces):
            return len(words) - w + skipped <= skippable
        if w == len(words):
            return False
        word, piece = words[w], pieces[p]
        joined = piece
        for q in range(p + 1, len(pieces) + 1):  # this word may hold several pieces ("UNet")
            if word.startswith(joined) or (len(joined) >= 4 and word[:4] == joined[:4] and q == p + 1):
                if match(q, w + 1, skipped):
                    return True
            if q < len(pieces):
                joined += pieces[q]
        if len(piece) <= 4 and piece.isalpha() and _initials(piece, words, w):
            if match(p + 1, w + len(piece), skipped):  # "TV" from "Translation Variant"
                return True
        return skipped < skippable and match(p, w + 1, skipped + 1)

    return match(0, 0, 0)


def _initials(letters: str, words: list[str], start: int) -> bool:
    chunk = words[start : start + len(letters)]
    return len(letters) > 1 and len(chunk) == len(letters) and all(w[0] == c for w, c in zip(chunk, letters))


_SHORT = r"[A-Za-z][\w\-.&$]{0,14}?s?"
#: a LaTeX command around a name, as arXiv abstracts keep it: "(\\textbf{REM})", "$\\texttt{Ladder}$"
_LATEX_COMMAND = r"\$?\\(?:textbf|textit|texttt|textsc|emph|mathrm|mathbf)\{"
_LATEX_OPEN = rf"(?:{_LATEX_COMMAND})?"
LATEX_WRAPPED = re.compile(rf"{_LATEX_COMMAND}([^{{}}]+)\}}\$?")
#: math around one symbol of a name: "PanGu-$π$", "$\\pi$" stays (a command, not a character)
_MATH_SYMBOL = re.compile(r"\$([^$\\\s]{1,3})\$")


def without_latex(name: str) -> str:
    """A name as a reader sees it, without the markup an abstract kept around or inside it:
    "\\textbf{Positional \\textbf{Integrity Encoding}" is Positional Integrity Encoding."""
    if "\\" not in name and "{" not in name and "$" not in name:
        return name
    plain = _MATH_SYMBOL.sub(r"\1", re.sub(_LATEX_COMMAND, "", name))
    return " ".join(plain.replace("{", " ").replace("}", " ").split()) or name


#: "(SHORT)", and "(SHORT or OTHER)" where a name goes by two short forms
_ACRONYM_DEF = re.compile(
    rf"\(\s*{_LATEX_OPEN}({_SHORT})\}}?(?:(?:\s*[,;]\s*|\s+or\s+)({_SHORT}))?\s*\)"
)
#: the other order, "SHORT (Long Form)": "REBASE (REward BAlanced SEarch)"
_SHORT_FIRST = re.compile(r"(?<![\w-])([A-Za-z][\w\-]{1,14})\s*\(([A-Za-z][\w\- ]{3,80})\)")


def find_acronyms(text: str) -> list[Acronym]:
    """Every "long form (SHORT)" definition in ``text``, and every "SHORT (Long Form)"."""
    found: list[Acronym] = []
    for match in _ACRONYM_DEF.finditer(text):
        short = match.group(1)
        if not any(ch.isupper() for ch in short) or len(short) < 2:
            continue
        letters = sum(ch.isalpha() for ch in short)
        window = text[max(0, match.start() - 120) : match.start()]
        # a sentence's end, not the point inside "Llama-3.1" or the colon of "2:4"
        window = re.split(r"[.;:!?](?=\s)|[()\[\]]|,\s(?:and|or|which|where|while)\s", window)[-1]
        words = window.split()
        window = " ".join(words[-min(letters + 5, letters * 2 + 1) :])
        core = short[:-1] if short.endswith("s") and short[:-1].isupper() else short
        long = best_long_form(core, window)
        if long is None:
            continue
        long = long.strip(" ,\"'~")  # "~" is LaTeX's unbreakable space before the parenthesis
        long_start = text.rfind(long, 0, match.start())
        if long_start < 0:
            continue
        found.append(Acronym(short, long, match.start(1), long_start))
        other = match.group(2)
        if other and any(ch.isupper() for ch in other):
            found.append(Acronym(other, long, match.start(2), long_start))
    defined = {a.short for a in found}
    for match in _SHORT_FIRST.finditer(text):
        short, long = match.group(1), match.group(2).strip()
        if short in defined or sum(ch.isupper() for ch in short) < 2 or len(long.split()) < 2:
            continue
        if best_long_form(short, long) == long:
            found.append(Acronym(short, long, match.start(1), match.start(2)))
    return found


#: where one word is two: "RetinaNet+ResNet50" (a detector on a backbone), "shape.To" (a full
#: stop that lost its space)
_JOINED = re.compile(r"(?<=[A-Za-z0-9])\+(?=[A-Z])|(?<=[a-z]{2})\.(?=[A-Z][a-z])")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """Name-like words with their offsets; hyphenated words stay whole."""
    for match in _WORD.finditer(text):
        start = match.start()
        for part in _JOINED.split(match.group(0)):
            word = part.rstrip(".")
            if word:
                yield start, start + len(word), word
            start += len(part) + 1


@lru_cache(maxsize=1 << 16)
def is_name_shaped(word: str) -> bool:
    """Coined names: inner capitals ("EvoPress", "iSTFTNet"), capitals ("AAMDM"), or
    a capitalised word with digits ("FLM-101B")."""
    core = word.replace("-", "").replace(".", "")
    if len(core) < 3 or not word[0].isalpha() or not core.replace("+", "").replace("#", "").isalnum():
        return False
    inner_capital = any(any(c.isupper() for c in part[1:]) for part in word.split("-"))
    has_lower = any(c.islower() for c in core)
    has_digit = any(c.isdigit() for c in core)
    if core.isupper() or (core.replace("$", "").isupper()):
        return sum(c.isalpha() for c in core) >= 3
    if inner_capital and has_lower:
        return True
    return word[0].isupper() and has_digit and "-" in word


def is_capitalized_compound(word: str) -> bool:
    """"Cross-Encoder", "GS-Mesh": hyphenated, every part capitalised. Mid-sentence in an
    abstract such a word is a name; in a title it is only title case."""
    parts = word.split("-")
    return (
        len(parts) >= 2
        and word[:1].isupper()
        and all(p[:1].isupper() or p[:1].isdigit() for p in parts)
        and any(c.islower() for c in word)
    )


_CONNECTORS = frozenset({"of", "for", "and", "to", "in", "with", "on", "via"})


def _joins(gap: str) -> bool:
    """Whether the text between two words lets them belong to one phrase: spaces, no line
    break (the title and the abstract are separate paragraphs)."""
    return not gap.strip() and "\n" not in gap


def title_case_runs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Runs of two or more capitalised words between ``start`` and ``end`` ("Focal Alignment",
    "UI-Guided Visual Token Selection"), skipping a capitalised word that opens a sentence."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w][\w\-*]*", text[start:end])]
    run: list[tuple[int, int, str]] = []

    def flush() -> Iterator[tuple[int, int]]:
        while run and run[-1][2] in _CONNECTORS:
            run.pop()
        capitalised = [t for t in run if t[2] not in _CONNECTORS]
        if len(capitalised) >= 2:
            yield start + run[0][0], start + run[-1][1]
        run.clear()

    for token in tokens:
        a, _, word = token
        if run and not _joins(text[start + run[-1][1] : start + a]):
            yield from flush()  # only spaces may join the words of a name
        at_sentence_start = opens_sentence(text, start, start + a)
        if word[:1].isupper() and not at_sentence_start:
            run.append(token)
        elif word in _CONNECTORS and run:
            run.append(token)
        else:
            yield from flush()
    yield from flush()


def opens_sentence(text: str, floor: int, position: int) -> bool:
    """Whether only spaces stand between ``position`` and a sentence end (or ``floor``)."""
    i = position - 1
    while i >= floor and text[i].isspace():
        i -= 1
    return i < floor or text[i] in ".!?:"


#: the size tag of a vision or speech model family: "Swin-T", "DeiT-S", "FaViT-B2", "ViT-L/16", "RT-DETR-R50",
#: "Whisper-small"
_VARIANT = re.compile(
    r"[A-Za-z0-9]{2}-(?:Ti|T|S|B|L|H|XS|XL|XXL|[Tt]iny|[Ss]mall|[Bb]ase|[Mm]edium|[Ll]arge|[Hh]uge|[BR]\d{1,3})(?:/\d+)?$"
)


def has_size_suffix(name: str) -> bool:
    """Model names state their size: "-7B", " 70B", "-350M", or a variant tag "-S", "-B2"."""
    return bool(_SIZE.search(name) or _VARIANT.search(name))


_CHIP_VENDORS = r"(?:NVIDIA|Nvidia|AMD|Intel|Apple|Google|Qualcomm|Huawei|Samsung|Arm|MediaTek|Xilinx|Rockchip)"
_CHIP_KINDS = r"(?:GPU|TPU|CPU|NPU|SoC|FPGA)s?"
#: what follows a chip's name as part of it ("A6000 GPU", "M2 Pro CPU"), and its vendor before it
#: a chip's form factor, written after its name: "H100 SXM5", "A100 PCIe", "H100 NVL"
_FORM_FACTOR = r"(?:SXM\d?|PCIe|NVL\d*)\b"
CHIP_KIND_AFTER = re.compile(
    rf"\s{_FORM_FACTOR}(?:\s\d+\s?GB\b)?(?:\s{_CHIP_KINDS}\b)?"  # "H100 SXM5 80GB", "H100 SXM GPU"
    rf"|\s{_CHIP_KINDS}\b"
)
CHIP_VENDOR_BEFORE = re.compile(rf"\b{_CHIP_VENDORS}\s$")
#: a model number: letters and digits in one word ("MI355X", "910B", "ZCU216", "i9-14900K"), not a
#: size ("80GB", "7B") or a precision ("FP8", "INT4")
_MODEL_NUMBER = r"(?!\d+(?:\.\d+)?[GMTK]?B\b|(?:FP|INT|BF)\d)(?=[\w\-]*\d)(?=[\w\-]*[A-Za-z])[A-Za-z0-9][\w\-]*"
#: a chip the gazetteer may not know, named the way papers name one: a vendor and a model number
#: ("AMD MI355X", "Qualcomm Snapdragon 8 Elite"), or a model number and its kind ("Ascend 950 NPU")
_CHIP_NAME = re.compile(
    rf"\b{_CHIP_VENDORS}\s+(?:[A-Z][\w\-]*\s+){{0,2}}(?:{_MODEL_NUMBER}|\d+\b)(?:\s+(?:Pro|Max|Ultra|Elite|Plus|Gen\s+\d))?"
    rf"(?:\s{_CHIP_KINDS}\b)?"
    rf"|(?<![\w\-])(?:(?:[A-Z][\w\-]*\s+){{0,2}}{_MODEL_NUMBER}|(?:[A-Z][\w\-]*\s+){{1,2}}\d+[A-Za-z]?)\s{_CHIP_KINDS}\b"
)


def chip_names(text: str) -> Iterator[tuple[int, int]]:
    """Spans shaped like a named chip, for names no gazetteer lists yet."""
    for match in _CHIP_NAME.finditer(text):
        start, name = match.start(), match.group(0)
        while name.split(" ", 1)[0].lower() in STOP:  # "The RTX 5060 GPU", "In 2023 GPU prices"
            first = name.split(" ", 1)[0]
            start, name = start + len(first) + 1, name[len(first) + 1 :]
        if _CHIP_NAME.fullmatch(name) and not has_size_suffix(name):  # "Llama-2-7B GPU memory": a model's
            yield start, match.end()


def bare_chip(name: str) -> str:
    """A hardware name without its vendor and kind: "NVIDIA A6000 GPU" -> "A6000"."""
    return re.sub(rf"^{_CHIP_VENDORS}\s+", "", re.sub(rf"\s+{_CHIP_KINDS}$", "", name))


def chip_forms(name: str) -> list[str]:
    """The forms a gazetteer may know a written chip name by, most specific first: "NVIDIA H100
    SXM5 80GB GPU" -> "H100 SXM5 80GB", "H100 80GB", "H100-80GB", "H100" (its form factor and
    memory are variants of one chip)."""
    bare = bare_chip(name)
    chip = re.sub(rf"\s+{_FORM_FACTOR}", "", bare)
    memory = re.search(r"\s(\d+)\s?GB$", chip)
    forms = [bare, chip]
    if memory:
        forms += [f"{chip[: memory.start()]}-{memory.group(1)}GB", chip[: memory.start()]]
    return list(dict.fromkeys(forms))


def find_urls(text: str) -> list[str]:
    return [m.group(0) for m in _URL.finditer(text)]


#: a ratio written as one word: the "2:4" of "2:4 sparsity", "N:M"
_RATIO = r"(?<![\w:])[A-Za-z0-9]{1,3}:[A-Za-z0-9]{1,3}(?![\w:])"
STOP = frozenset(STOP_WORDS) | {"e.g.", "i.e.", "etc", "via", "such"}
_HYPHEN_SPLIT = re.compile(r"[\s]+")


def phrases_ending_in(
    text: str,
    heads: Iterable[str],
    *,
    modifiers: Iterable[str] | None = None,
    max_modifiers: int = 4,
) -> Iterator[tuple[int, int]]:
    """Spans "m1 m2 head" whose last word is a head word.

    With ``modifiers`` given, every modifier must be one of them (for
    techniques: "structured pruning"); without, any run of content words
    before the head counts (for tasks: "3D human pose estimation").
    """
    modifier_set = {m.lower() for m in modifiers} if modifiers is not None else None
    tokens = [(m.start(), m.end(), m.group(0)) for m in re.finditer(rf"{_RATIO}|[\w][\w\-]*", text)]
    for index in _head_indices(tokens, heads):
        head_end = tokens[index][1]
        first = index
        while first > 0 and index - first < max_modifiers:
            start, end, previous = tokens[first - 1]
            if not _joins(text[end : tokens[first][0]]):
                break
            lowered_previous = previous.lower()
            if lowered_previous in STOP or lowered_previous.endswith("ly"):
                break
            if modifier_set is not None and lowered_previous not in modifier_set:
                break
            first -= 1
        if first < index:
            yield tokens[first][0], head_end


_MEASURE_VERB = re.compile(
    r"\b(?:improv|reduc|increas|decreas|boost|lower|cut|rais|sav|shrink|accelerat)\w*\s+"
    r"(?:the\s+|its\s+|their\s+)?(?P<what>[A-Za-z][\w@\-/]*(?:\s+[A-Za-z][\w@\-/]*){0,3}?)\s+by\s+(?:up\s+to\s+|about\s+|around\s+|over\s+)?\d",
    re.IGNORECASE,
)
_IN_TERMS_OF = re.compile(
    r"\bin\s+terms\s+of\s+(?P<what>[A-Za-z][\w@\-/]*(?:\s+[A-Za-z][\w@\-/]*){0,2})", re.IGNORECASE
)
_VALUE_OF = re.compile(
    r"\b(?P<what>[A-Za-z][\w@\-/]*(?:\s+[A-Za-z][\w@\-/]*){0,2}?)\s+(?:of|at)\s+\d+(?:\.\d+)?\s*%", re.IGNORECASE
)


def measure_phrases(text: str) -> Iterator[tuple[int, int]]:
    """What a sentence measures: "improves R10@1 by 2.9%", "in terms of latency",
    "an accuracy of 75.1%"."""
    for pattern in (_MEASURE_VERB, _IN_TERMS_OF, _VALUE_OF):
        for match in pattern.finditer(text):
            yield match.start("what"), match.end("what")


_AT_CUTOFF = re.compile(r"(?<![\w@.\-])[A-Za-z][\w\-]*@\d+(?:\.\d+)?(?![\w@])")
_NUMBER_OF = re.compile(r"\b(?:number|amount)\s+of\s+", re.IGNORECASE)


def cutoff_measures(text: str) -> Iterator[tuple[int, int]]:
    """Measures at a cutoff, whatever their name: "pass@200", "R10@1", "Recall@20"."""
    for match in _AT_CUTOFF.finditer(text):
        yield match.start(), match.end()


def count_measures(text: str, *, max_words: int = 3) -> Iterator[tuple[int, int]]:
    """"number of X" with one to ``max_words`` words of X ("number of explored architectures"):
    counts are measures, but where X ends only a ranker can tell."""
    tokens = _phrase_tokens(text)
    starts = {start: i for i, (start, _, _) in enumerate(tokens)}
    for match in _NUMBER_OF.finditer(text):
        index = starts.get(match.end())
        if index is None:
            continue
        for last in range(index, min(index + max_words, len(tokens))):
            gap = text[tokens[last - 1][1] : tokens[last][0]] if last > index else " "
            if not _joins(gap) or tokens[last][2].lower() in STOP:
                break
            yield match.start(), tokens[last][1]


_TASK_OF = re.compile(
    r"\b(?:task|problem|challenge)s?\s+(?:of|such\s+as|like|including)\s+(?P<what>[A-Za-z0-9][\w\-]*(?:\s+[A-Za-z0-9][\w\-]*){0,4}?)(?=\s*(?:[,.;:()]|\s(?:and|or|with|which|that|where|while|in|on|by|for|to|is|are)\b))",
    re.IGNORECASE,
)


def task_phrases(text: str) -> Iterator[tuple[int, int]]:
    """Tasks the text names as such: "the task of text-to-4D synthesis"."""
    for match in _TASK_OF.finditer(text):
        yield match.start("what"), match.end("what")


def _head_indices(tokens: list[tuple[int, int, str]], heads: Iterable[str]) -> Iterator[int]:
    """Indices of the tokens that are a head word, or its plural."""
    head_set = {h.lower() for h in heads}
    for index, (_, _, word) in enumerate(tokens):
        lowered = word.lower()
        if lowered in head_set or (lowered.endswith("s") and lowered[:-1] in head_set):
            yield index


@lru_cache(maxsize=4)
def _phrase_tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens ("pass@1", "model's" and "2:4" stay whole), kept for the few calls one text gets in a row."""
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(rf"{_RATIO}|[\w][\w\-@]*(?:['’]s\b)?", text)]


def _verb_forms(verb: str) -> tuple[str, str, str]:
    """A regular verb, its third person and its -ing form: "study", "studies", "studying"."""
    third = verb[:-1] + "ies" if re.search(r"[^aeiou]y$", verb) else verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
    return verb, third, (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"


#: words that are never a modifier in front of a head: verbs that take a technique as their object,
#: in any person ("the approach allows skipping", "we include duplicated self-attention", "Exploring
#: Mixture-of-Depth Adaptation"), -ing forms and participles that open a clause ("including",
#: "compared"), and prepositions the stop words lack ("Despite state-of-the-art batching"); not the
#: verbs that are also nouns in front of a head ("design space exploration", "study")
_NOT_MODIFIERS = frozenset(
    form
    for verb in (
        "allow enable require necessitate include use employ adopt leverage perform propose introduce achieve "
        "explore combine outperform improve reduce provide make exploit integrate incorporate utilize avoid "
        "eliminate accelerate replace develop investigate analyze evaluate demonstrate enhance surpass"
    ).split()
    for form in _verb_forms(verb)
) | frozenset(
    "following yielding applying compared based permit permits permitting "
    "despite unlike beyond versus toward towards against without".split()
)


def phrase_variants(
    text: str, heads: Iterable[str], *, max_modifiers: int = 4, alone: bool = False
) -> Iterator[tuple[int, int]]:
    """Every phrase "m1 .. mk head" (1 <= k <= ``max_modifiers``; 0 too if ``alone``) whose
    last word is a head word, one span per start: "memory overhead", "runtime memory
    overhead". Modifiers are content words joined by spaces alone; a stop word, an adverb,
    a verb or preposition (`_NOT_MODIFIERS`) or punctuation ends them."""
    tokens = _phrase_tokens(text)
    for index in _head_indices(tokens, heads):
        head_end = tokens[index][1]
        first = index
        if alone:
            yield tokens[index][0], head_end
        while first > 0 and index - first < max_modifiers:
            _, end, previous = tokens[first - 1]
            lowered_previous = previous.lower()
            if (
                not _joins(text[end : tokens[first][0]])
                or lowered_previous in STOP
                or lowered_previous in _NOT_MODIFIERS
                or lowered_previous.endswith(("ly", "'s", "’s"))  # "the model's | generation"
            ):
                break
            first -= 1
            yield tokens[first][0], head_end


def fold_case(text: str) -> str:
    """Lower case that keeps every character where it was: "İ" lowers to two characters, which
    would shift every position found in ``text.lower()`` against ``text``."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def occurrences(text: str, phrase: str, *, ignore_case: bool = False) -> Iterator[int]:
    """Where ``phrase`` stands as whole words. Plain string search, not a regex per phrase: with
    tens of thousands of coined names, compiled patterns would overflow `re`'s cache."""
    if not phrase:
        return
    haystack, needle = (fold_case(text), fold_case(phrase)) if ignore_case else (text, phrase)
    position = haystack.find(needle)
    while position >= 0:
        end = position + len(needle)
        before_ok = position == 0 or not (text[position - 1].isalnum() or text[position - 1] in "_-")
        after_ok = end >= len(text) or not (text[end].isalnum() or text[end] == "_")
        if before_ok and after_ok:
            yield position
        position = haystack.find(needle, position + 1)
