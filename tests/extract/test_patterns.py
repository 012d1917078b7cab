from __future__ import annotations

import pytest

from kg.extract import patterns
from kg.extract.canonical import normalize_key, parameters_in_billions, strip_size
from kg.records import Paper


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("we propose the Hourglass Tokenizer (HoT) for pose", "HoT", "Hourglass Tokenizer"),
        ("Knowledge distillation (KD) is widely used", "KD", "Knowledge distillation"),
        ("a token pruning cluster (TPC) that dynamically selects", "TPC", "token pruning cluster"),
        ("with Large Language Models (LLMs) today", "LLMs", "Large Language Models"),
    ],
)
def test_find_acronyms_pairs_short_and_long_forms(text, short, long):
    found = patterns.find_acronyms(text)
    assert [(a.short, a.long) for a in found] == [(short, long)]
    assert text[found[0].long_start : found[0].long_start + len(long)] == long


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Pyramid Vision Transformer~(PVT) as a backbone", [("PVT", "Pyramid Vision Transformer")]),
        (
            "called Repeated Sampling of Random Subsets (RSRS or RS2), where",
            [("RSRS", "Repeated Sampling of Random Subsets"), ("RS2", "Repeated Sampling of Random Subsets")],
        ),
        ("two approaches: REBASE (REward BAlanced SEarch) and more", [("REBASE", "REward BAlanced SEarch")]),
        ("we train on ImageNet (a large dataset) and", []),  # the words do not spell the name
        ("NOise Robust Temporal Optimal traNsport (Norton) for", [("Norton", "NOise Robust Temporal Optimal traNsport")]),
        # the point of a version is not a sentence's end: the long form is the whole name
        ("through Llama-3.1-Nemotron-51B-Instruct (Nemotron-51B), a", [("Nemotron-51B", "Llama-3.1-Nemotron-51B-Instruct")]),
    ],
)
def test_find_acronyms_other_written_forms(text, expected):
    found = patterns.find_acronyms(text)
    assert [(a.short, a.long) for a in found] == expected
    assert all(text[a.long_start : a.long_start + len(a.long)] == a.long for a in found)
    assert all(text[a.short_start : a.short_start + len(a.short)] == a.short for a in found)


def test_find_acronyms_ignores_parentheses_that_spell_nothing():
    assert patterns.find_acronyms("results on the test set (Table 3) and (see) text") == []


@pytest.mark.parametrize(
    ("word", "shaped"),
    [
        ("EvoPress", True),
        ("MiniPLM", True),
        ("iSTFTNet", True),
        ("AAMDM", True),
        ("FAST-VQA", True),
        ("FLM-101B", True),
        ("Pre-Training", False),
        ("Multi-Objective", False),
        ("The", False),
        ("AI", False),
        ("method", False),
    ],
)
def test_is_name_shaped(word, shaped):
    assert patterns.is_name_shaped(word) is shaped


@pytest.mark.parametrize(
    ("name", "sized"),
    [
        ("Llama-2-7B", True),
        ("Apollo-3B", True),
        ("OPT 6.7B", True),
        ("Swin-T", True),
        ("FaViT-B2", True),
        ("RT-DETR-R50", True),
        ("Walrus-Tiny", True),
        ("Whisper-small", True),
        ("GPT-4", False),
        ("BERT", False),
        ("LLaMA-2", False),
    ],
)
def test_size_suffix(name, sized):
    assert patterns.has_size_suffix(name) is sized


def test_phrases_ending_in_heads_with_allowed_modifiers():
    text = "We study structured pruning and the compression of models via dynamic compression."
    spans = [text[a:b] for a, b in patterns.phrases_ending_in(text, ["pruning", "compression"], modifiers=["structured", "dynamic"])]
    assert spans == ["structured pruning", "dynamic compression"]


def test_find_urls_strips_trailing_punctuation():
    assert patterns.find_urls("Code: https://github.com/a/b. More at (https://x.org/y).") == [
        "https://github.com/a/b",
        "https://x.org/y",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Llama 2", "LLaMA-2"), ("Llama2", "llama-2"), ("LLMs", "LLM"), ("large language models", "Large Language Model")],
)
def test_normalize_key_folds_variants(a, b):
    assert normalize_key(a) == normalize_key(b)


def test_normalize_key_keeps_distinct_names_apart():
    assert normalize_key("GPT-3") != normalize_key("GPT-4")
    assert normalize_key("loss") != normalize_key("los")
    # a capital S after capitals is the name's own letter: two methods, two nodes
    assert normalize_key("EAGLES") != normalize_key("EAGLE")
    assert normalize_key("DARTS") != normalize_key("DART")
    assert normalize_key("LLMs") == normalize_key("LLM")
    # a point between digits is part of a size or version: two models, two nodes
    assert normalize_key("OPT-1.3B") != normalize_key("OPT-13B")
    assert normalize_key("GPT-3.5") != normalize_key("GPT-35")
    assert normalize_key("OPT 1.3B") == normalize_key("opt-1.3b")
    assert normalize_key("e.g.") == normalize_key("eg")


@pytest.mark.parametrize(
    ("name", "billions"), [("Llama-2-7B", 7.0), ("OPT-350M", 0.35), ("Apollo-3B", 3.0), ("BERT", None)]
)
def test_parameters_in_billions(name, billions):
    assert parameters_in_billions(name) == billions


def test_strip_size():
    assert strip_size("Llama-2-7B-Instruct") == "Llama-2-Instruct"
    assert strip_size("Apollo-3B") == "Apollo"


def _spans(text, found):
    return [text[a:b] for a, b in found]


def test_phrase_variants_offer_every_start_and_stop_at_function_words():
    text = "Our dynamic token pruning, including memory overhead cuts; runtime memory overhead drops."
    techniques = _spans(text, patterns.phrase_variants(text, ["pruning"]))
    assert techniques == ["token pruning", "dynamic token pruning"]  # a stop word ("Our") ends them
    metrics = _spans(text, patterns.phrase_variants(text, ["overhead"], alone=True))
    assert "memory overhead" in metrics and "runtime memory overhead" in metrics and "overhead" in metrics
    assert not any(m.startswith("including") for m in metrics)  # a clause verb ends the modifiers


def test_a_verb_taking_its_object_or_a_preposition_is_no_modifier():
    text = "Despite state-of-the-art batching, the approach allows layer skipping. Exploring Depth Adaptation."
    found = _spans(text, patterns.phrase_variants(text, ["batching", "skipping", "adaptation"]))
    assert {"state-of-the-art batching", "layer skipping", "Depth Adaptation"} <= set(found)
    assert not any(f.split()[0].lower() in {"despite", "allows", "exploring"} for f in found)
    # a verb that is also a noun in front of a head stays a modifier
    text = "hardware design space exploration"
    assert "design space exploration" in _spans(text, patterns.phrase_variants(text, ["exploration"]))


def test_occurrences_are_whole_words():
    text = "SAM and SAM-2 beat MobileSAM; sam again."
    assert list(patterns.occurrences(text, "SAM")) == [0, 8]
    assert len(list(patterns.occurrences(text, "SAM", ignore_case=True))) == 3


def test_no_phrase_joins_the_title_to_the_abstract():
    text = "Fast Widget Pose Estimation\n\nPose estimation with widget pruning is fast."
    for found in (
        patterns.phrase_variants(text, ["estimation"]),
        patterns.phrases_ending_in(text, ["estimation"]),
        patterns.title_case_runs(text, 0, len(text)),
    ):
        assert not any("\n" in text[a:b] for a, b in found)
    assert "Widget Pose Estimation" in _spans(text, patterns.phrase_variants(text, ["estimation"]))


def test_measures_at_a_cutoff_and_counts():
    text = "It reaches pass@200 of 77%, R10@1 and Recall@20 (mail a@b.org); the number of register spills drops."
    assert _spans(text, patterns.cutoff_measures(text)) == ["pass@200", "R10@1", "Recall@20"]
    counts = _spans(text, patterns.count_measures(text))
    assert counts == ["number of register", "number of register spills", "number of register spills drops"]


def test_a_possessive_ends_a_phrase_and_leaves_no_stray_s():
    text = "pruning can degrade the model's generation capabilities and the LLM's text generation"
    found = [text[a:b] for a, b in patterns.phrase_variants(text, ["generation"], max_modifiers=4)]
    assert found == ["text generation"]


def test_a_ratio_is_one_word_of_a_phrase():
    text = "We train with N:M sparse training and 2:4 structured sparsity. Method: prune."
    assert "N:M sparse training" in _spans(text, patterns.phrase_variants(text, ["training"]))
    assert "2:4 structured sparsity" in _spans(text, patterns.phrases_ending_in(text, ["sparsity"]))
    assert not any("Method:" in s for s in _spans(text, patterns.phrase_variants(text, ["prune"], alone=True)))


def test_words_split_two_names_joined_by_a_plus():
    text = "RetinaNet+ResNet50 beats C++ code and BERT+ models"
    assert [w for _, _, w in patterns.words(text)] == ["RetinaNet", "ResNet50", "beats", "C++", "code", "and", "BERT+", "models"]


def test_words_split_at_a_full_stop_that_lost_its_space():
    text = "one global shape.To better use Node.js, see arXiv.org"
    assert [(text[a:b], w) for a, b, w in patterns.words(text)][2:4] == [("shape", "shape"), ("To", "To")]
    assert {"Node.js", "arXiv.org"} <= {w for _, _, w in patterns.words(text)}


@pytest.mark.parametrize(
    ("text", "chips"),
    [
        ("on an AMD MI455X GPU", ["AMD MI455X GPU"]),
        ("the Ascend 950 NPU and a Xilinx ZCU216 FPGA", ["Ascend 950 NPU", "Xilinx ZCU216 FPGA"]),
        ("a Qualcomm Snapdragon 8 Elite phone", ["Qualcomm Snapdragon 8 Elite"]),
        ("The RTX 5060 GPU", ["RTX 5060 GPU"]),
        ("a single NVIDIA H100 SXM5 80GB.", ["NVIDIA H100 SXM5"]),
        ("a single 80GB GPU with 8 GPUs", []),
        ("Llama-2-7B GPU memory and FP8 GPU kernels", []),
        ("In 2023 GPU prices rose; NVIDIA GPUs and NVIDIA TensorRT", []),
    ],
)
def test_chip_names(text, chips):
    assert [text[a:b] for a, b in patterns.chip_names(text)] == chips


def test_an_acronym_in_a_latex_command_is_defined():
    text = "We propose Router-guided Expert Merging (\\textbf{REM}), which merges experts."
    assert [(a.short, a.long) for a in patterns.find_acronyms(text)] == [("REM", "Router-guided Expert Merging")]


@pytest.mark.parametrize(
    ("name", "phrase", "spelt"),
    [
        ("QKSwap", "Query Key Swapping", True),
        ("HopDecode", "Speculative Hop Decoding", True),  # one word of the phrase goes unused
        ("M-NetLite", "Multi-scale Network Lite", True),
        ("FLRA", "Fast Low-Rank Adaptation", True),  # a short capital name spells the whole phrase
        ("GPTQ", "Post-Training Quantization", False),
        ("MiniPLM", "Knowledge Distillation", False),
        ("Puzzle", "Distillation-Based NAS", False),
        ("QKSwap", "Query", False),
    ],
)
def test_a_name_spelt_out_by_a_phrase(name, phrase, spelt):
    assert patterns.spells_name(name, phrase) is spelt


def test_occurrences_ignoring_case_keep_positions_where_lowering_changes_length():
    # "İ".lower() is two characters: positions in text.lower() would drift past the end
    text = "Dialects of İzmir, İstanbul and İnegöl. Our adapter beats LoRA"
    assert [text[p : p + 4] for p in patterns.occurrences(text, "lora", ignore_case=True)] == ["LoRA"]
    assert patterns.fold_case("İzmir") != "İzmir".lower() and len(patterns.fold_case("İzmir")) == 5


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("\\textbf{Positional \\textbf{Integrity Encoding}", "Positional Integrity Encoding"),  # as an arXiv abstract has it
        ("\\texttt{Ladder}", "Ladder"),
        ("PanGu-$π$", "PanGu-π"),
        ("$\\gamma$-MoD", "$\\gamma$-MoD"),  # a command inside the math is kept: no character to show for it
        ("Llama-2-7B", "Llama-2-7B"),
    ],
)
def test_names_lose_their_latex_markup(name, plain):
    assert patterns.without_latex(name) == plain


def test_an_acronym_defined_in_latex_is_named_by_its_plain_long_form(extractor):
    [e] = extractor.extract(
        [Paper(id="t", title="Fast edits", abstract="We introduce \\textbf{Positional \\textbf{Integrity Encoding} (PIE). PIE is fast.")]
    )
    assert {m.canonical for m in e.mentions if m.text == "PIE"} == {"Positional Integrity Encoding"}
