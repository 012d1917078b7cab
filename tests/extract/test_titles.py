"""The title rules on their own: what a title names, read without the abstract or the ranker."""

from __future__ import annotations

import pytest

from kg.extract.gazetteer import Gazetteer
from kg.extract.titles import TitleReader


@pytest.fixture(scope="module")
def titles() -> TitleReader:
    return TitleReader(Gazetteer.load().lexicon)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search", "EvoPress"),
        (r"$\texttt{Ladder}$: 2-bit KV Cache Quantization", "Ladder"),  # LaTeX around the name
        ("kvtrim: Query-Aware KV Cache Eviction", "kvtrim"),  # one lower-case word is a name
        ("Bridging the Divide: Reconsidering Softmax and Linear Attention", None),  # a phrase
        ("Beyond Efficiency: A Systematic Survey", None),
        ("Survey: Methods for Pruning", None),
        ("N:M Sparse Training of Transformers", None),  # a ratio's colon ends no name
    ],
)
def test_the_name_before_a_titles_colon(titles, title, name):
    assert titles.name(title) == name


def test_the_words_right_after_the_colon_spell_the_name_out(titles):
    title = "TVConv: Efficient Translation Variant Convolution for Layout-aware Visual Processing"
    assert titles.long_form(title, "TVConv") == "Translation Variant Convolution"
    assert titles.long_form("EvoPress: Towards Optimal Dynamic Model Compression", "EvoPress") is None


def test_task_and_technique_phrases_lose_their_praise_and_a_task_may_span_and_or_of(titles):
    found = titles.phrases("HoT: Efficient Transformers for 3D Human Pose Estimation via Token Pruning")
    assert ("3D Human Pose Estimation", "Task") in found
    assert ("Token Pruning", "Technique") in found
    assert ("Liver and Tumor Segmentation", "Task") in titles.phrases("H-DenseUNet for Liver and Tumor Segmentation")
    found = titles.phrases("X: Real-Time Pose Estimation of Multiple People")
    assert ("Real-Time Pose Estimation of Multiple People", "Task") in found  # beside the piece before "of"
    assert ("Real-Time Pose Estimation", "Task") in found
    assert titles.phrases("Redco: Efficient Distributed Training of LLMs") == [("Distributed Training", "Technique")]


def test_segments_are_the_titles_pieces_after_its_name(titles):
    title = "EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search"
    pieces = [title[a:b] for a, b in titles.segments(title)]
    assert "Evolutionary Search" in pieces
    assert not any(p.startswith("EvoPress") for p in pieces)
