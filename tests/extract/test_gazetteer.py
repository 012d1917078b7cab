from __future__ import annotations

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


def test_every_parent_a_method_or_technique_names_is_in_the_taxonomy():
    gazetteer = Gazetteer.load()
    missing = [
        (entry.name, parent)
        for entry in gazetteer.entries
        if entry.label in ("Method", "Technique")
        for parent in entry.parents
        if gazetteer.lookup("Technique", parent) is None
    ]
    assert missing == []


def test_a_method_of_two_kinds_links_to_both_and_never_lists_an_ancestor_of_one():
    gazetteer = Gazetteer.load()
    implied = [
        (entry.name, kind)
        for entry in gazetteer.entries
        if entry.label == "Method"
        for kind in entry.parents
        for other in entry.parents
        if other != kind and kind in {t.name for t in gazetteer.technique_chain(other)[1:]}
    ]
    assert implied == []
    reader = LinkReader(gazetteer)
    text = "Zorbix beats AWQ at 3 bits."
    awq = Mention("Method", "AWQ", "AWQ", 13, 16, text)
    assert {link.target for link in reader.links(text, [(0, len(text))], [awq])} == set(gazetteer.lookup("Method", "AWQ").parents)
    assert len(gazetteer.lookup("Method", "AWQ").parents) == 2


def test_a_name_ending_in_a_capital_s_is_not_the_plural_of_another_but_is_found_in_lower_case():
    gazetteer = Gazetteer.load()
    assert gazetteer.lookup("Method", "EAGLE").name == "EAGLE"
    assert gazetteer.lookup("Method", "EAGLES") is None  # a 3D Gaussian method, not speculative decoding
    assert gazetteer.lookup("Task", "tts").name == gazetteer.lookup("Task", "TTS").name == "text-to-speech"
    assert gazetteer.lookup("Technique", "NAS").name == "neural architecture search"
