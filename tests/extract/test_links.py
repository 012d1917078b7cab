"""INSTANCE_OF links: what the abstract says a method is, not what shares its sentence."""

from __future__ import annotations

import re

import pytest

from kg.extract import patterns
from kg.extract.gazetteer import Gazetteer
from kg.extract.links import LinkReader
from kg.records import Mention, Paper


@pytest.fixture(scope="module")
def links_of(extractor):
    def read(title: str, abstract: str) -> set[tuple[str, str]]:
        extraction = next(extractor.extract([Paper(id="t", title=title, abstract=abstract)]))
        return {(link.source, link.target) for link in extraction.instance_of}

    return read


def test_an_apposition_says_what_kind_of_method_a_name_is(links_of):
    links = links_of(
        "Compressing Transformers",
        "We propose Zorbix, a new one-shot weight quantization method based on second-order information. "
        "Zorbix keeps accuracy where pruning fails, and quantization of the weights to 3 bits costs 1 point.",
    )
    # the description's technique, and the broader one named in its words
    assert ("Zorbix", "one-shot weight quantization") in links
    assert ("Zorbix", "quantization") in links
    assert ("Zorbix", "pruning") not in links


def test_a_name_set_in_latex_is_described_like_any_other(links_of):
    links = links_of(
        "Faster Sampling", r"We present \textbf{Zorbix}, a token pruning method for vision transformers. Zorbix halves the latency.",
    )
    assert ("Zorbix", "token pruning") in links


def test_a_technique_that_only_shares_a_sentence_with_the_method_is_not_its_kind(links_of):
    links = links_of(
        "Zorbix: Searching Compression Levels",
        "We introduce Zorbix, a search framework. Via Zorbix, we set new results across structured pruning, "
        "unstructured sparsity and quantization.",
    )
    assert not {("Zorbix", t) for t in ("structured pruning", "unstructured sparsity", "quantization")} & links


def test_a_description_before_called_keeps_the_means_but_not_the_purpose(links_of):
    links = links_of(
        "Cheap Attention",
        # binarization named on its own first, as papers do, so that the ranker keeps it as a technique
        "Binarization cuts the cost of attention. "
        "We propose a new binarization paradigm customized to high-dimensional softmax attention via kernelized "
        "hashing, called HashFormer, to map queries and keys into binary codes.",
    )
    assert {("HashFormer", "binarization"), ("HashFormer", "kernelized hashing")} <= links
    assert ("HashFormer", "softmax attention") not in links


def test_a_name_after_its_kind_noun_in_parentheses(links_of):
    links = links_of(
        "Robust Models Cheaply",
        "We propose a fast adversarial training algorithm (Q-AdvX) composed of two losses.",
    )
    assert ("Q-AdvX", "adversarial training") in links


def test_methods_listed_as_examples_of_a_technique(links_of):
    links = links_of(
        "Tuning Cheaply",
        "Parameter-efficient fine-tuning (PEFT) methods like TinyAdapt and PromptMix have been introduced to cut memory.",
    )
    assert {("TinyAdapt", "parameter-efficient fine-tuning"), ("PromptMix", "parameter-efficient fine-tuning")} <= links


def test_the_name_before_a_titles_colon_is_an_instance_of_the_title_techniques_not_its_modules(links_of):
    links = links_of(
        "Glimmer: Efficient Video Assessment with Fragment Sampling",
        "We propose Glimmer, in which we introduce GridMixer to splice patches and FragNet to read them.",
    )
    assert ("Glimmer", "Fragment Sampling") in links
    assert all(source == "Glimmer" for source, target in links if target == "Fragment Sampling")


def test_a_title_that_names_no_method_describes_what_the_paper_proposes(links_of):
    title = "Fewer Tokens, Same Answers: Training-Free Visual Token Pruning for Visual Question Answering"
    abstract = "We propose Zorbix, which scores visual tokens before the language model sees them. Unlike FastV, it needs no attention map."
    links = links_of(title, abstract)
    assert ("Zorbix", "training-free visual token pruning") in links
    assert ("FastV", "training-free visual token pruning") not in links  # not what the paper proposes
    assert not {link for link in links if link[1] == "visual question answering"}  # what it is for
    # nor a title with no colon: "Token Merging Makes LLaMA Faster"
    assert ("Glimmer", "token merging") in links_of("Token Merging Makes LLaMA Faster", "We propose Glimmer, which scores tokens.")
    # a title that names a method is about that method, not what the paper proposes
    named = links_of("Post-Training Quantization Tricks Make GPTQ Faster", "We propose Glimmer, which picks calibration sets.")
    assert ("Glimmer", "post-training quantization") not in named


def test_a_name_that_holds_a_technique_is_an_instance_of_it(links_of):
    links = links_of(
        "Faster Decoding",
        "We present Recursive Speculative Decoding (RSD), which builds draft trees. Speculative decoding "
        "accelerates LLM inference.",
    )
    assert any(target.lower() == "speculative decoding" for _, target in links)


def test_a_method_that_combines_two_techniques_is_an_instance_of_both(links_of):
    links = links_of(
        "Agent Views",
        "Therefore, Quillon seamlessly integrates the powerful softmax attention and the efficient linear "
        "attention. We propose Quillon, a new attention paradigm.",
    )
    assert {("Quillon", "softmax attention"), ("Quillon", "linear attention")} <= links


def test_a_technique_named_only_in_the_title_is_found_again_in_the_abstract(links_of):
    links = links_of(
        "Efficient Segmentation by Altering Resolutions",
        "In this paper, we propose an altering resolution framework called ResZoom for compressed videos.",
    )
    assert any(source == "ResZoom" and target.lower().startswith("altering resolution") for source, target in links)


# The reader alone, on names given by hand: what it links must not hang on what the name finder
# happens to find.


@pytest.fixture(scope="module")
def reader():
    return LinkReader(Gazetteer.load())


def _read(reader, text: str, **names: str) -> set[tuple[str, str]]:
    """Links in ``text`` (title, blank line, abstract) among the names given as label=form|form."""
    mentions = []
    for label, forms in names.items():
        for form in forms.split("|"):
            for start in patterns.occurrences(text, form):
                mentions.append(Mention(label, form, form, start, start + len(form), ""))
    # as the name finder does, a name inside a longer one ("LoRA" in "LoRA-FA") is not a mention
    mentions = [m for m in mentions if not any(o.start <= m.start and m.end <= o.end and o != m for o in mentions)]
    sentences, start = [], 0
    for match in re.finditer(r"(?<=[.!?])\s+|\n\n", text):
        sentences.append((start, match.start()))
        start = match.end()
    sentences.append((start, len(text)))
    return {(link.source, link.target) for link in reader.links(text, sentences, sorted(mentions, key=lambda m: m.start))}


@pytest.mark.parametrize(
    "text",
    [
        "T\n\nAfter applying Zorbix, the quantization step is cheaper.",
        "T\n\nUnlike Zorbix, the quantization ratio is fixed.",
        "T\n\nZorbix outperforms methods that combine pruning and quantization.",
        "T\n\nWe apply Zorbix to models and then combine pruning with quantization.",
        "Zorbix: A Benchmark for Evaluating Quantization\n\nWe study it.",
        "Zorbix: a Search Framework\n\nQuantization reduces memory.",
    ],
)
def test_what_only_stands_near_a_method_is_not_its_kind(reader, text):
    assert _read(reader, text, Method="Zorbix", Technique="quantization|Quantization|pruning") == set()


def test_words_inside_hyphenated_words_do_not_end_a_description(reader):
    text = "T\n\nZorbix, a state-of-the-art pruning method, is fast."
    assert _read(reader, text, Method="Zorbix", Technique="pruning") == {("Zorbix", "pruning")}


def test_a_capitalised_article_and_an_ies_plural_still_describe(reader):
    assert _read(reader, "T\n\nA fast adversarial training algorithm (Zorbix) is proposed.", Method="Zorbix",
                 Technique="adversarial training") == {("Zorbix", "adversarial training")}
    assert _read(reader, "T\n\nPruning strategies such as Zorbix and Quillon work.", Method="Zorbix|Quillon",
                 Technique="Pruning") == {("Zorbix", "Pruning"), ("Quillon", "Pruning")}


def test_a_coined_name_is_not_found_again_in_another_case_or_inside_a_longer_name(reader):
    text = "LESS: Data Selection\n\nUsing less memory integrates quantization. PEFT methods such as LoRA-FA and Quillon."
    links = _read(reader, text, Method="LESS|LoRA|LoRA-FA|Quillon", Technique="quantization|PEFT")
    assert ("LESS", "quantization") not in links and ("LoRA", "PEFT") not in links
    assert {("LoRA-FA", "PEFT"), ("Quillon", "PEFT")} <= links


def test_a_one_word_technique_links_a_name_only_as_its_head(reader):
    links = _read(reader, "T\n\nWe study Attention Sink Pruning. Pruning and attention are old.",
                  Method="Attention Sink Pruning", Technique="attention|Pruning")
    assert links == {("Attention Sink Pruning", "Pruning")}


def test_a_name_read_both_as_method_and_technique_is_not_its_own_kind(reader):
    assert _read(reader, "T\n\nZorbix, a Zorbix method.", Method="Zorbix", Technique="Zorbix") == set()


def test_a_means_after_a_purpose_is_read_up_to_its_own_end(reader):
    text = "T\n\nWe propose a pruning framework for LLMs trained with distillation that beats quantization, called Zorbix."
    links = _read(reader, text, Method="Zorbix", Technique="pruning|distillation|quantization")
    assert links == {("Zorbix", "pruning"), ("Zorbix", "distillation")}


def test_a_known_method_is_also_an_instance_of_the_families_above_its_own_that_the_abstract_names(reader):
    # the gazetteer: GPTQ -> post-training quantization -> quantization -> model compression
    text = "T\n\nQuantization shrinks models. We compare with GPTQ on pruning benchmarks."
    links = _read(reader, text, Method="GPTQ", Technique="Quantization|pruning")
    assert {("GPTQ", "post-training quantization"), ("GPTQ", "Quantization")} <= links
    assert ("GPTQ", "pruning") not in links


def test_instances_in_a_techniques_parentheses_but_not_its_short_form(reader):
    text = "T\n\nWe audit KV cache compression (Zorbix, Quillon) and vector quantization methods (Glimmer)."
    links = _read(reader, text, Method="Zorbix|Quillon|Glimmer", Technique="KV cache compression|vector quantization")
    assert links == {("Zorbix", "KV cache compression"), ("Quillon", "KV cache compression"), ("Glimmer", "vector quantization")}
    # one name in a bare technique's parentheses is its short form; words beside the names are no list
    short = "T\n\nWe use Laplacian eigenvector encodings (Zorbix) and token merging (Quillon at 4 bits)."
    assert _read(reader, short, Method="Zorbix|Quillon", Technique="Laplacian eigenvector encodings|token merging") == set()


def test_an_instance_after_as_in(reader):
    text = "T\n\nTables are compressed by tensor-train decomposition as in Zorbix, at a cost."
    assert _read(reader, text, Method="Zorbix", Technique="tensor-train decomposition") == {("Zorbix", "tensor-train decomposition")}


def test_a_description_goes_on_after_a_family_of_and_after_has_become(reader):
    family = "T\n\nWe describe Zorbix, a family of IO-aware attention kernels for banded masks."
    assert _read(reader, family, Method="Zorbix", Technique="IO-aware attention") == {("Zorbix", "IO-aware attention")}
    become = "T\n\nZorbix has become the default parameter-efficient fine-tuning method for chat models."
    assert _read(reader, become, Method="Zorbix", Technique="parameter-efficient fine-tuning") == {
        ("Zorbix", "parameter-efficient fine-tuning")
    }
    # what the family is of is still read only up to its purpose
    purpose = "T\n\nWe present Zorbix, a family of kernels for speculative decoding."
    assert _read(reader, purpose, Method="Zorbix", Technique="speculative decoding") == set()


def test_a_long_form_in_parentheses_still_lets_the_description_follow(reader):
    text = "T\n\nWe propose ZORB (Zero-Overhead Rotary Binarized Attention Block), an attention mechanism for spikes."
    assert ("ZORB", "attention mechanism") in _read(reader, text, Method="ZORB", Technique="attention mechanism")


def test_which_couples_or_combines_makes_the_name_the_subject(reader):
    couples = "T\n\nWe present Zorbix, a compression pipeline that couples channel pruning with knowledge distillation."
    assert _read(reader, couples, Method="Zorbix", Technique="channel pruning|knowledge distillation") == {
        ("Zorbix", "channel pruning"),
        ("Zorbix", "knowledge distillation"),
    }
    which = "T\n\nWe propose Zorbix, which combines token merging and token pruning."
    assert _read(reader, which, Method="Zorbix", Technique="token merging|token pruning") == {
        ("Zorbix", "token merging"),
        ("Zorbix", "token pruning"),
    }
