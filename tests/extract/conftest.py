from __future__ import annotations

import pytest

from kg.extract.pipeline import build_pipeline


@pytest.fixture(scope="module")
def found_in():
    """What the name finder collects in a text (every candidate, loose ones too), no choice made."""
    nlp = build_pipeline(rules_only=True)
    finder = nlp.get_pipe("kg_names")
    finder.open_phrases = True

    def collect(text: str):
        return finder.collect(next(nlp.pipe([text], disable=["kg_names"])))

    return collect
