from __future__ import annotations

import re

import pytest

from kg.errors import GazetteerError
from kg.extract import gazetteer as gazetteer_module
from kg.extract.canonical import normalize_key
from kg.extract.gazetteer import Gazetteer
from kg.extract.links import LinkReader
from kg.records import Mention


def test_terms_match_with_hyphens_or_spaces_between_their_words(extractor):
    # the taxonomy lists "tensor-parallel" and "mixed-precision training"; papers also write them with spaces
    for text in ("We use tensor parallel and mixed precision training.", "We use tensor-parallel and mixed-precision training."):
        mentions = next(iter(extractor.extract([_paper(text)]))).mentions
        assert {m.canonical for m in mentions if m.label == "Technique"} == {"tensor parallelism", "mixed-precision training"}


def test_names_keep_their_exact_spelling():
    # a model's hyphens are part of its name: "Llama-2" must not match "Llama 2 " prose variants
    patterns = Gazetteer.load().ruler_patterns(case_sensitive=True)
    forms = {p["pattern"] for p in patterns}
    assert "GPT-4" in forms and "GPT 4" not in forms


def _paper(abstract: str):
    from kg.records import Paper

    return Paper(id="p", title="A title", abstract=abstract)


@pytest.mark.parametrize(
    ("labels", "parent_label"),
    [
        (("Method", "Technique"), "Technique"),  # a method's techniques, a technique's parent
        (("Model",), "Model"),  # a forgotten family column would make the aliases a family
        (("Dataset",), "Dataset"),  # a benchmark's suites (a loop of parents is refused as the files load)
        (("Hardware",), "Hardware"),  # the device a variant is of
    ],
)
def test_every_parent_a_line_names_is_an_entry_of_its_file(labels, parent_label):
    gazetteer = Gazetteer.load()
    missing = [
        (entry.name, parent)
        for entry in gazetteer.entries
        if entry.label in labels
        for parent in entry.parents
        if gazetteer.lookup(parent_label, parent) is None
    ]
    assert missing == []


def test_no_alias_names_another_entry_of_its_label():
    # the first entry to list a form wins it, so the other's alias would be dead: a narrower term
    # listed as an alias of a broader one ("dynamic batching" under batching) is one of its own
    gazetteer = Gazetteer.load()
    owners: dict[tuple[str, str], set[str]] = {}
    for entry in gazetteer.entries:
        for form in entry.forms:
            owners.setdefault((entry.label, normalize_key(form)), set()).add(entry.name)
    assert sorted((label, form, sorted(names)) for (label, form), names in owners.items() if len(names) > 1) == []


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("models.tsv", "Granite 4 Granite-4\n", "models.tsv:1: no family in the second column"),  # spaces, not a tab
        ("datasets.tsv", "# a comment\nNoLiMa\t\tNoLiMa bench\tstray\n", "datasets.tsv:2: 4 tab-separated columns; this file has 3"),
        ("tasks.tsv", "\tcode repair\n", "tasks.tsv:1: no name in the first column"),
        ("metrics.tsv", "accuracy\nlatence\xe9\n".encode("latin-1"), "metrics.tsv:2: not UTF-8 text (byte 0xe9)"),
        ("lexicon.json", '{"propose_verbs": [,]}', "lexicon.json:1:20: not valid JSON"),
        ("datasets.tsv", "Alpha\tBeta\t\nBeta\tAlpha\t\n", "'Alpha' (Dataset) is its own ancestor"),
    ],
)
def test_a_malformed_data_file_is_an_error_naming_its_file_and_line(tmp_path, monkeypatch, filename, content, message):
    for shipped in gazetteer_module._data_files().iterdir():
        if shipped.name.endswith((".tsv", ".json")):
            (tmp_path / shipped.name).write_bytes(shipped.read_bytes())
    target = tmp_path / filename
    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    monkeypatch.setattr(gazetteer_module, "_data_files", lambda: tmp_path)
    with pytest.raises(GazetteerError, match=re.escape(message)):
        Gazetteer.load()


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("feature-level knowledge distillation", "knowledge distillation"),
        ("bidirectional weight pruning", "pruning"),
        ("sub-4-bit Integer Quantization", "integer quantization"),
        ("pruning and quantization", None),  # two things joined are a kind of neither
        ("pruning/quantization", None),
        ("joint pruning-quantization", None),
        ("non-pruning", None),  # a word's own prefix is no modifier
        ("warp scheduling", None),  # "scheduling" is only an alias of request scheduling
        ("x " * 3000 + "pruning", "pruning"),  # a long name is read from its end only
    ],
)
def test_a_technique_the_taxonomy_lacks_is_a_kind_of_the_known_one_its_name_ends_with(name, head):
    found = Gazetteer.load().technique_head(name)
    assert (found.name if found else None) == head


def test_no_name_is_written_twice_under_one_label():
    # a second line for a name would split its aliases between two entries, one of which wins
    gazetteer = Gazetteer.load()
    seen: dict[tuple[str, str], int] = {}
    for entry in gazetteer.entries:
        key = (entry.label, normalize_key(entry.name))
        seen[key] = seen.get(key, 0) + 1
    assert sorted(name for (label, name), n in seen.items() if n > 1) == []


def test_no_term_is_both_a_technique_and_a_task():
    # the two gazetteers are matched case-insensitively into one ruler: a form in both would be
    # labelled by whichever file loads last, so an entry that is a task ("dense retrieval") stays
    # out of the taxonomy
    gazetteer = Gazetteer.load()
    tasks = {normalize_key(form) for e in gazetteer.entries if e.label == "Task" for form in e.forms}
    both = sorted(f for e in gazetteer.entries if e.label == "Technique" for f in e.forms if normalize_key(f) in tasks)
    assert both == []


def test_a_method_of_two_kinds_links_to_its_first_and_to_another_the_abstract_names():
    gazetteer = Gazetteer.load()
    # another kind is never the first one's family: that one is linked where named anyway
    implied = [
        (entry.name, kind)
        for entry in gazetteer.entries
        if entry.label == "Method" and entry.parents
        for kind in entry.parents[1:]
        if kind in {t.name for t in gazetteer.technique_chain(entry.parents[0])}
    ]
    assert implied == []
    awq = gazetteer.lookup("Method", "AWQ")
    assert awq.parents[:2] == ("weight-only quantization", "post-training quantization")
    reader = LinkReader(gazetteer)

    def kinds(text: str) -> set[str]:
        start = text.index("AWQ")
        mentions = [Mention("Method", "AWQ", "AWQ", start, start + 3, text)]
        ptq = text.find("post-training quantization")
        if ptq >= 0:
            mentions.append(Mention("Technique", text[ptq : ptq + 26], "post-training quantization", ptq, ptq + 26, text))
        return {link.target for link in reader.links(text, [(0, len(text))], mentions)}

    assert kinds("Zorbix beats AWQ at 3 bits.") == {"weight-only quantization"}
    assert kinds("Zorbix beats AWQ, a post-training quantization method.") >= {"weight-only quantization", "post-training quantization"}


def test_a_name_ending_in_a_capital_s_is_not_the_plural_of_another_but_is_found_in_lower_case():
    gazetteer = Gazetteer.load()
    assert gazetteer.lookup("Method", "EAGLE").name == "EAGLE"
    assert gazetteer.lookup("Method", "EAGLES").name == "EAGLES"  # a 3D Gaussian method, not speculative decoding
    assert gazetteer.lookup("Task", "tts").name == gazetteer.lookup("Task", "TTS").name == "text-to-speech"
    assert gazetteer.lookup("Technique", "NAS").name == "neural architecture search"


def test_a_name_in_capitals_is_not_a_coinage_written_with_small_letters_inside():
    gazetteer = Gazetteer.load()
    # STaR, a reasoning method, and STAR, a video QA benchmark; DoRA and a "DORA" of another paper
    assert gazetteer.lookup("Method", "STaR") is not None and gazetteer.lookup("Method", "STAR") is None
    assert gazetteer.lookup("Method", "DoRA") is not None and gazetteer.label_of("DORA") is None
    # a capitalised word, or a coinage the gazetteer also writes plainly, still folds
    assert gazetteer.lookup("Model", "LLAMA").name == gazetteer.lookup("Model", "LLaMA").name == "Llama"
    assert gazetteer.lookup("Method", "LORA").name == "LoRA"  # listed as "Lora" too
    assert gazetteer.lookup("Technique", "MOE") is not None  # terms match in any case
