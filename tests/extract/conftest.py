from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.extract.pipeline import build_pipeline
from kg.extract.results import find_results
from kg.records import Mention


@pytest.fixture(scope="module")
def found_in():
    """What the name finder collects in a text (every candidate, loose ones too), no choice made."""
    nlp = build_pipeline(rules_only=True)
    finder = nlp.get_pipe("kg_names")
    finder.open_phrases = True

    def collect(text: str):
        return finder.collect(next(nlp.pipe([text], disable=["kg_names"])))

    return collect


@pytest.fixture(scope="session")
def mention() -> Callable[..., Mention]:
    """A mention of ``text`` in ``sentence`` (its last one with ``last=True``), built by hand so
    that `find_results` is tested without a pipeline."""

    def make(sentence: str, text: str, label: str, *, last: bool = False) -> Mention:
        start = sentence.rindex(text) if last else sentence.index(text)
        return Mention(label, text, text, start, start + len(text), sentence)

    return make


@pytest.fixture(scope="session")
def every_mention() -> Callable[..., list[Mention]]:
    """A mention of each occurrence of each text, given as text=label."""

    def make(sentence: str, **labelled: str) -> list[Mention]:
        mentions = []
        for text, label in labelled.items():
            start = sentence.find(text)
            while start >= 0:
                mentions.append(Mention(label, text, text, start, start + len(text), sentence))
                start = sentence.find(text, start + 1)
        return sorted(mentions, key=lambda m: m.start)

    return make


@pytest.fixture(scope="session")
def claims(mention) -> Callable[..., list[tuple]]:
    """(value, metric, direction, baseline, model, dataset) of each result; mentions given as
    text=label, an underscore for a space."""

    def read(sentence: str, **labelled: str) -> list[tuple]:
        mentions = [mention(sentence, text.replace("_", " "), label) for text, label in labelled.items()]
        return [(r.value, r.metric, r.direction, r.baseline, r.model, r.dataset) for r in find_results(sentence, mentions=mentions)]

    return read
