from __future__ import annotations

from kg.extract.gazetteer import Gazetteer


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
