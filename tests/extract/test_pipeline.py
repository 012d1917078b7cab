from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

import kg
from kg.errors import InputError
from kg.extract.pipeline import Extractor, build_pipeline, rules_version
from kg.records import Paper
from kg.schema import ENTITY_LABELS


def _extract(extractor, title: str, abstract: str):
    return next(extractor.extract([Paper(id="t", title=title, abstract=abstract)]))


def _texts(extraction, label):
    return {m.text for m in extraction.entities(label)}


@pytest.mark.parametrize("papers", [[{"title": "T", "abstract": "A."}], "papers.jsonl"])
def test_extract_refuses_what_is_no_paper_saying_how_to_make_one(extractor, papers):
    # a dict failed inside spaCy's pipe as "'dict' object has no attribute 'text'"
    with pytest.raises(kg.KgError, match=r"^extract takes a list of kg.Paper records, not (dict|str): kg.read_papers\(files\)"):
        list(extractor.extract(papers))


def test_extract_refuses_a_paper_whose_abstract_is_no_text(extractor):
    # Paper(abstract=None) from a notebook was extracted as the word "None"
    with pytest.raises(kg.KgError, match=r"^paper 'p1': its title and abstract must be text"):
        list(extractor.extract([Paper(id="p1", title="Pruning LLMs", abstract=None)]))


def test_title_name_is_proposed_and_code_link_found(extractor, dev_gold):
    gold = next(g for g in dev_gold if g["title"].startswith("EvoPress"))
    e = _extract(extractor, gold["title"], gold["abstract"])
    assert e.proposes == ["EvoPress"]
    assert e.code == ["https://github.com/IST-DASLab/EvoPress"]
    assert {"structured pruning", "unstructured sparsity", "quantization"} <= {t.lower() for t in _texts(e, "Technique")}


def test_respectively_results_with_baselines(extractor, sample_papers):
    paper = next(p for p in sample_papers if p.title.startswith("CoreInfer"))
    e = next(extractor.extract([paper]))
    speedups = [(r.value, r.unit, r.baseline) for r in e.results if r.unit == "x"]
    assert (10.33, "x", "Huggingface implementation") in speedups
    assert (2.72, "x", "PowerInfer") in speedups


def test_a_known_method_the_proposing_verb_names_is_proposed_one_built_on_is_not(extractor):
    # the paper that made a method the gazetteer now knows still proposes it
    made = _extract(extractor, "Fine-Tuning Quantized LLMs", "This paper presents PEQA, a method that quantizes and fine-tunes LLMs at once.")
    assert "PEQA" in made.proposes
    built_on = _extract(extractor, "Cheaper Adapters", "We propose TealAdapt, which builds on LoRA and shares its matrices.")
    assert "LoRA" not in built_on.proposes
    variant = _extract(extractor, "Cheaper Adapters", "We introduce LoRA-style adapters that share their matrices across layers.")
    assert "LoRA" not in variant.proposes
    listed = _extract(extractor, "A Study of Quantization", "We study six quantization methods, namely GPTQ, AWQ and QuIP#, on chat models.")
    assert not {"GPTQ", "AWQ"} & set(listed.proposes)


def test_our_method_named_in_apposition_or_described_by_us_is_proposed(extractor):
    ours = _extract(extractor, "Planning Less", "Our method, Zorbix, trains a gate. Zorbix halves the calls to the planner.")
    assert "Zorbix" in ours.proposes
    resulting = _extract(extractor, "Exits", "We train probes on each layer. The resulting method, QuillExit, adds few parameters.")
    assert "QuillExit" in resulting.proposes
    described = _extract(extractor, "Kernels", "We describe Glimmer, a family of attention kernels for banded masks.")
    assert "Glimmer" in described.proposes
    # a method the paper only mentions is not its own
    other = _extract(extractor, "Kernels", "Their method, Zorbix, is slow. We speed up attention kernels.")
    assert "Zorbix" not in other.proposes


def test_latex_math_is_no_technique_task_or_measure(extractor):
    paper = Paper(
        id="p",
        title=r"\textsc{SpecDec}: Speculative Decoding with $\mathcal{O}(1)$ Drafts",
        abstract=r"We propose \textsc{SpecDec}, a speculative decoding method. \textsc{SpecDec} speeds up Llama-2-7B by 2.1x.",
    )
    extraction = next(extractor.extract([paper]))
    plain_words = [m.text for m in extraction.mentions if m.label in ("Technique", "Task", "Metric")]
    assert plain_words and not [text for text in plain_words if "$" in text or "\\" in text]
    assert "SpecDec" in extraction.proposes


def test_acronym_definitions_give_both_forms_one_canonical(extractor):
    e = _extract(
        extractor,
        "Sparse Widget Attention for Efficient Inference",
        "We propose Sparse Widget Attention (SWA), a new attention mechanism. SWA reduces latency by 40% "
        "compared to FlashAttention on an NVIDIA A100 GPU.",
    )
    methods = {m.text: m.canonical for m in e.entities("Method")}
    assert methods["SWA"] == "Sparse Widget Attention"
    assert methods["Sparse Widget Attention"] == "Sparse Widget Attention"
    assert "Sparse Widget Attention" in e.proposes


def test_a_definition_whose_words_do_not_say_its_kind_still_names_one_node(extractor):
    e = _extract(
        extractor,
        "Foo: Fast Things",
        "Detectors often rely on hybrid feature fusion (HFF) to merge scales. "
        "HFF improves accuracy by 2% on COCO but is slow; Foo removes it.",
    )
    short_forms = [m for m in e.mentions if m.text == "HFF"]
    assert short_forms and {m.canonical for m in short_forms} == {"hybrid feature fusion"}


def test_a_gazetteer_acronym_defined_otherwise_in_the_paper_keeps_the_papers_meaning(extractor):
    e = _extract(
        extractor,
        "Hourglass Tokenizer for Efficient Pose Estimation",
        "However, the high computational costs of these video pose transformers (VPTs) make them impractical on "
        "resource-constrained devices. We prune the tokens of VPTs.",
    )
    assert any(m.text == "VPTs" for m in e.mentions)
    assert all(link.target != "visual prompt tuning" for link in e.instance_of)


def test_an_acronym_defined_in_the_plural_means_the_same_in_the_singular(extractor):
    e = _extract(
        extractor,
        "Hourglass Tokenizer for Efficient Pose Estimation",
        "However, the high computational costs of these video pose transformers (VPTs) make them impractical on "
        "resource-constrained devices. Our method runs 2x faster than a VPT.",
    )
    assert {m.text: m.canonical for m in e.mentions if m.text.startswith("VPT")} == {
        "VPTs": "video pose transformers",
        "VPT": "video pose transformers",  # the gazetteer's VPT is visual prompt tuning
    }
    e = _extract(
        extractor,
        "Fast Models",
        "We propose the Sparse Routing Transformer (SRT) for long inputs. Two SRTs are stacked and run 2x faster than dense ones.",
    )
    assert {m.text: m.canonical for m in e.mentions if m.text.startswith("SRT")} == {
        "SRT": "Sparse Routing Transformer",
        "SRTs": "Sparse Routing Transformer",  # defined in the singular, written in the plural
    }


def test_a_long_form_that_spells_out_a_known_acronym_names_the_known_thing(extractor):
    e = _extract(
        extractor,
        "Cheap Search",
        "We cap a model's Giga floating-point operations (GFLOPs), an indicator of its cost. Ours needs 30% fewer GFLOPs.",
    )
    # "floating-point operations" ends the long form and is FLOPs' own: one measure, not two
    assert {m.text: m.canonical for m in e.mentions if m.label == "Metric"} == {
        "Giga floating-point operations": "FLOPs",
        "GFLOPs": "FLOPs",
    }


def test_unseen_coined_names_and_sized_models(extractor):
    e = _extract(
        extractor,
        "QuuxServe: Serving Giant Models Cheaply",
        "We present QuuxServe, a serving system. On Zorblax-13B it improves throughput by 2.5x over FooRT.",
    )
    assert "QuuxServe" in e.proposes
    assert "Zorblax-13B" in _texts(e, "Model")
    assert "FooRT" in e.compared_with
    assert any(r.value == 2.5 and r.unit == "x" for r in e.results)


def test_every_mention_carries_offsets_and_its_sentence(extractor, sample_extractions):
    for e in sample_extractions[:30]:
        text = e.paper.text
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
            assert m.text in m.sentence
            assert m.label in ENTITY_LABELS


def test_extract_json_is_a_superset_of_the_gold_format(sample_extractions):
    out = sample_extractions[0].to_json()
    assert set(out["entities"]) == set(ENTITY_LABELS)
    assert {"id", "title", "entities", "proposes", "results", "code"} <= set(out)
    mention = out["entities"]["Method"][0]
    assert set(mention) == {"text", "canonical", "start", "end", "sentence"}


def test_sample_extraction_finds_every_entity_type(sample_extractions):
    found = {m.label for e in sample_extractions for m in e.mentions}
    assert found == set(ENTITY_LABELS)


def test_names_listed_as_benchmarks_are_datasets(extractor):
    e = _extract(
        extractor,
        "A Study",
        "We evaluate on ZorbQA, FlimBench and KappaEval benchmarks. Results on benchmarks such as "
        "QuuxVQA, BlimpEval and GrueBench show gains.",
    )
    assert {"ZorbQA", "FlimBench", "KappaEval", "QuuxVQA", "BlimpEval", "GrueBench"} <= _texts(e, "Dataset")


def test_an_acronym_known_as_a_method_keeps_its_label(extractor):
    e = _extract(extractor, "A Study", "We fine-tune with Low-Rank Adaptation (LoRA) on two tasks.")
    assert {"LoRA", "Low-Rank Adaptation"} <= _texts(e, "Method")


def test_what_a_method_is_applied_to_is_a_model(extractor):
    e = _extract(
        extractor,
        "A Study",
        "Applying it to ZorbFormer and QuuxNet on ImageNet saves 50% FLOPs. Models such as BlimpLM and "
        "GrueNet also gain.",
    )
    assert {"ZorbFormer", "QuuxNet", "BlimpLM", "GrueNet"} <= _texts(e, "Model")


def test_a_name_opening_a_clause_after_a_model_list_stays_a_method(extractor):
    e = _extract(extractor, "PicoLink: Fast Serving", "When applied to Pythia-1.4B, PicoLink reduces perplexity.")
    assert "PicoLink" in _texts(e, "Method")
    assert "Pythia-1.4B" in _texts(e, "Model")


def test_a_new_model_is_proposed_a_known_one_is_not(extractor):
    e = _extract(
        extractor,
        "Quokka-3B: A Small Open Model",
        "We introduce Quokka-3B, a family of open language models, distilled from Llama-2-7B.",
    )
    assert "Quokka-3B" in _texts(e, "Model")
    assert "Quokka-3B" in e.proposes
    assert not any(p.startswith("Llama") for p in e.proposes)
    assert "Quokka-3B" in e.to_json()["proposes"]


def test_a_known_method_in_a_proposing_sentence_is_built_on_not_proposed(extractor):
    e = _extract(extractor, "TealAdapt: Adapters for All", "We propose TealAdapt, which builds on LoRA and uses FlashAttention-2 kernels.")
    assert e.proposes == ["TealAdapt"]


def test_a_name_defined_after_our_is_proposed(extractor):
    e = _extract(
        extractor,
        "Compressing Adapters",
        "We study adapter compression. With our Shared-Basis Adapter Compression (SBAC), adapters shrink 4x.",
    )
    assert "Shared-Basis Adapter Compression" in e.proposes


def test_baselines_the_gazetteer_knows_are_kept_among_numbers_and_comparisons(extractor):
    e = _extract(
        extractor,
        "KVTrim: Cache Eviction for Long Contexts",
        "We propose KVTrim. It outperforms H2O, SnapKV and PyramidKV by 2.1 points on LongBench "
        "and is 2x faster than StreamingLLM at 128K tokens.",
    )
    assert {"H2O", "SnapKV", "PyramidKV", "StreamingLLM"} <= _texts(e, "Method")


def test_a_new_name_built_on_a_known_model_takes_its_own_kind():
    e = _extract(
        Extractor(rules_only=True),
        "Slimmer Vision Transformers",
        "We compare with ViT-Slim on ImageNet, using Mistral-Instruct as the judge.",
    )
    assert "ViT-Slim" in _texts(e, "Method")
    assert "Mistral-Instruct" in _texts(e, "Model")  # a variant of the model, still a model


def test_numbers_before_the_authors_speak_are_motivation_not_results(extractor):
    e = _extract(
        extractor,
        "Walrus: Offloading for Faster Training",
        "Models have grown 1000x in three years while GPU memory grew only 5x. "
        "We present Walrus, which trains 3.1x faster than ZeRO-Offload.",
    )
    assert [(r.value, r.unit) for r in e.results] == [(3.1, "x")]
    # an abstract that never says "we" keeps every number
    e = _extract(extractor, "Walrus", "Walrus trains 3.1x faster. Its memory falls by 40%.")
    assert [(r.value, r.unit) for r in e.results] == [(3.1, "x"), (40, "%")]


@pytest.mark.parametrize("rules_only", [True, False])
def test_a_sized_name_defined_in_a_proposing_sentence_is_a_model(rules_only):
    e = _extract(
        Extractor(rules_only=rules_only),
        "Walrus: Searching Blocks for Faster Models",
        "We show its impact through Orca-2.5-Walrus-40B-Chat (Walrus-40B), a model derived from a larger one.",
    )
    assert {"Orca-2.5-Walrus-40B-Chat", "Walrus-40B"} <= _texts(e, "Model")
    assert not {"Orca-2.5-Walrus-40B-Chat", "Walrus-40B"} & _texts(e, "Method")


@pytest.mark.parametrize("rules_only", [True, False])
def test_a_definition_ending_in_a_measure_is_a_metric(rules_only):
    e = _extract(
        Extractor(rules_only=rules_only),
        "Skipping Frames for Face Anti-Spoofing",
        "We propose frame skipping, and improve the mean opinion error rate (MOER) on two datasets.",
    )
    assert "mean opinion error rate" in _texts(e, "Metric")
    assert not {"mean opinion error rate", "MOER"} & (_texts(e, "Method") | set(e.proposes))


def test_hardware_keeps_its_vendor_and_kind_and_folds_to_the_gazetteer_name(extractor):
    text = "It runs at 20 tokens/s on an Apple M2 Pro CPU and 3x faster on one NVIDIA A6000 GPU."
    extraction = _extract(extractor, "A title", text)
    hardware = [(m.text, m.canonical) for m in extraction.mentions if m.label == "Hardware"]
    assert hardware == [("Apple M2 Pro CPU", "Apple M2"), ("NVIDIA A6000 GPU", "NVIDIA RTX A6000")]
    assert [r.hardware for r in extraction.results] == ["Apple M2 Pro CPU", "NVIDIA A6000 GPU"]


def test_a_chips_form_factor_and_memory_stay_in_its_name_and_fold_to_the_chip(extractor):
    text = "It is 2x faster on an NVIDIA H100 SXM5 80GB and 3x faster on one NVIDIA A100 SXM4 40GB GPU."
    extraction = _extract(extractor, "A title", text)
    hardware = [(m.text, m.canonical) for m in extraction.mentions if m.label == "Hardware"]
    assert hardware == [("NVIDIA H100 SXM5 80GB", "NVIDIA H100"), ("NVIDIA A100 SXM4 40GB GPU", "NVIDIA A100-40GB")]
    assert [r.hardware for r in extraction.results] == ["NVIDIA H100 SXM5 80GB", "NVIDIA A100 SXM4 40GB GPU"]


def test_a_chip_no_gazetteer_lists_is_found_by_its_vendor_or_kind(extractor):
    text = (
        "We propose Walrus. It serves 3x more requests on an AMD MI455X GPU and runs at 12 tokens/s "
        "on the Rockchip RK3688 NPU, with 8 GPUs in 2031 GPU clusters."
    )
    e = _extract(extractor, "A title", text)
    assert {"AMD MI455X GPU", "Rockchip RK3688 NPU"} <= _texts(e, "Hardware")
    assert not {"8 GPUs", "2031 GPU"} & _texts(e, "Hardware")


def test_results_take_the_one_model_the_experiments_were_set_up_on(extractor):
    e = _extract(
        extractor,
        "Walrus: Faster Decoding",
        "We propose Walrus. Our experiments use the Qwen2-7B model on the GSM8K benchmark. "
        "Walrus speeds up decoding by 2.1x and reaches 71.3% accuracy.",
    )
    assert [(r.value, r.model, r.dataset) for r in e.results] == [(2.1, "Qwen2-7B", None), (71.3, "Qwen2-7B", "GSM8K")]
    # a setup with two models does not say which one a number is about
    e = _extract(
        extractor,
        "Walrus: Faster Decoding",
        "We propose Walrus. Experiments use the Qwen2-7B and Mistral-7B models. Walrus speeds up decoding by 2.1x.",
    )
    assert [(r.value, r.model) for r in e.results] == [(2.1, None)]


def test_results_take_the_only_model_the_authors_evaluate_on(extractor):
    e = _extract(
        extractor,
        "Walrus: Faster Prefill",
        "We propose Walrus. We evaluate Walrus on Qwen2-7B with RULER. Walrus cuts the time to first token by 3.2x.",
    )
    assert [(r.value, r.model) for r in e.results] == [(3.2, "Qwen2-7B")]
    # the only model named, but as what the method is compared with
    e = _extract(
        extractor,
        "Walrus: Faster Prefill",
        "We propose Walrus and test it on RULER. Walrus is 3.2x faster than Qwen2-7B. It saves 40% memory.",
    )
    assert [(r.value, r.model) for r in e.results] == [(3.2, None), (40, None)]


def test_a_chips_memory_in_parentheses_is_not_a_result(extractor):
    e = _extract(
        extractor,
        "Walrus: Faster Decoding",
        "We run Walrus on an NVIDIA GeForce RTX 3060 (12 GB). It decodes 2.6x faster and needs 9 GB of memory.",
    )
    assert [(r.value, r.unit) for r in e.results] == [(2.6, "x"), (9, "GB")]


def test_costs_take_the_one_chip_the_experiments_ran_on(extractor):
    e = _extract(
        extractor,
        "Walrus: Faster Decoding",
        "We propose Walrus. All experiments run on a single RTX 4090. "
        "Walrus decodes 2.3x faster than vLLM and keeps 71.3% accuracy on GSM8K.",
    )
    assert [(r.value, r.hardware) for r in e.results] == [(2.3, "RTX 4090"), (71.3, None)]


def test_a_size_tagged_variant_is_a_model_and_joined_names_are_two(extractor):
    e = _extract(
        extractor,
        "Walrus: An Efficient Vision Backbone",
        "We present Walrus. Our Walrus-B2 improves top-1 accuracy by 1.2% over Swin-T. "
        "On COCO, RetinaNet+Walrus-S achieves 42.1 AP, surpassing RetinaNet+ResNet50.",
    )
    assert {"Walrus-B2", "Walrus-S", "ResNet50"} <= _texts(e, "Model")
    assert not any("+" in m.text for m in e.mentions)
    assert e.results[0].model == "Walrus-B2"


def test_a_lower_case_name_before_the_titles_colon_is_proposed(extractor):
    e = _extract(extractor, "tinyserve: Preemption-Aware Batching for LLM Serving", "We present tinyserve, a serving system.")
    assert e.proposes == ["tinyserve"] and "tinyserve" in _texts(e, "Method")
    e = _extract(extractor, "on the Efficiency of Serving: a Study", "We study serving.")
    assert e.proposes == []


def test_names_inside_latex_commands_are_read(extractor):
    e = _extract(
        extractor,
        "$\\texttt{Ladder}$: 2-bit KV Cache Quantization",
        "We propose $\\texttt{Ladder}$. We also propose Router-guided Expert Merging (\\textbf{REM}). REM is fast.",
    )
    assert {"Ladder", "Router-guided Expert Merging"} <= set(e.proposes)  # REM folds into its long form
    assert "REM" in _texts(e, "Method")


@pytest.mark.parametrize(
    "sentence",
    [
        "We call this approach Cross-Layer Index Sharing (CLIS).",
        "We refer to the resulting method as Cross-Layer Index Sharing (CLIS).",
    ],
)
def test_naming_what_the_authors_built_proposes_it(extractor, sentence):
    e = _extract(extractor, "Sharing Indices Across Layers", "Attention is costly. " + sentence + " CLIS is 2x faster.")
    assert "CLIS" in e.proposes or "Cross-Layer Index Sharing" in e.proposes


def test_the_sizes_of_a_proposed_model_family_are_proposed(extractor):
    e = _extract(
        extractor,
        "Wren: A Family of Small Language Models",
        "We release Wren, a family of small language models. Wren-1.6B matches Llama-2-7B on MMLU.",
    )
    assert "Wren-1.6B" in e.proposes and "Llama-2-7B" not in e.proposes


def test_a_rate_written_after_its_number_is_a_unit_not_a_measure(extractor):
    e = _extract(extractor, "Fast Decoding", "We propose Walrus. It reaches 2,100 tokens per second, and 48 FPS on video.")
    assert not {"tokens per second", "tokens/s"} & _texts(e, "Metric")
    assert [(r.value, r.unit) for r in e.results] == [(2100, "tokens/s"), (48, "FPS")]


def test_a_known_model_takes_its_size_written_apart(extractor):
    e = _extract(extractor, "A title", "Our 7B model saves 2x compute over PaLM 540B, and GPT-3 13B reaches 156 TFLOPS.")
    assert {"PaLM 540B", "GPT-3 13B"} <= _texts(e, "Model")


def test_a_known_benchmark_takes_its_year_version_or_split_written_apart(extractor):
    text = "We test on BraTS 2021, MS-COCO 2017 5K and SQuAD v1.1, then run GSM8K 2,000 times and ImageNet 2000 times."
    datasets = _texts(_extract(extractor, "A title", text), "Dataset")
    assert {"BraTS 2021", "MS-COCO 2017 5K", "SQuAD v1.1", "GSM8K", "ImageNet"} <= datasets
    assert not any("2,000" in d or "2000" in d or d.endswith(" 2") for d in datasets)


def test_a_known_model_takes_its_size_word_or_version_tag_written_apart(extractor):
    text = (
        "We distill Whisper medium into Whisper tiny, compare with BERT Large and HiFi-GAN V1, tune LLaMA large "
        "language models, study LLaMA large batch training and make BERT small enough for phones."
    )
    models = _texts(_extract(extractor, "A title", text), "Model")
    assert {"Whisper medium", "Whisper tiny", "BERT Large", "HiFi-GAN V1", "LLaMA"} <= models
    assert not {"LLaMA large", "BERT small"} & models


def test_a_colon_inside_a_ratio_does_not_cut_the_title(extractor):
    e = _extract(extractor, "Efficient N:M Sparse DNN Training on GPUs", "We study sparse training.")
    texts = {m.text for m in e.mentions}
    assert not any(t.startswith("M ") for t in texts)  # the title's name ends at ": ", not inside "N:M"
    assert "Efficient N" not in e.proposes


def test_a_change_of_rules_changes_the_extractor_version(tmp_path):
    """So that a build re-extracts what older rules wrote, not only after a change of data."""

    def version_of(root):
        code = "from kg.extract.pipeline import rules_version; print(rules_version())"
        return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout.strip()

    shutil.copytree(Path(kg.__file__).parent, tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    assert version_of(tmp_path) == rules_version()
    with (tmp_path / "kg" / "extract" / "results.py").open("a") as rules:
        rules.write("\n# a changed rule\n")
    assert version_of(tmp_path) != rules_version()


def test_a_term_capitalised_in_the_title_takes_the_abstracts_lower_case(extractor):
    e = _extract(
        extractor,
        "Adaptive Frame Skipping for Face Anti-Spoofing",
        "We show that adaptive frame skipping halves the cost of face anti-spoofing. Frame Skipping is cheap.",
    )
    techniques = [(m.text, m.canonical) for m in e.mentions if m.label == "Technique"]
    assert ("Adaptive Frame Skipping", "adaptive frame skipping") in techniques
    assert {c for t, c in techniques if t.lower() == "adaptive frame skipping"} == {"adaptive frame skipping"}


def test_a_term_only_the_title_names_is_written_as_prose_writes_its_words():
    from kg.extract.gazetteer import Gazetteer
    from kg.extract.pipeline import _plain_case_names
    from kg.records import Mention

    title = "Robust Models via Continuous Attacks and Bradley-Terry Rewards"
    text = f"{title}\n\nWe study continuous embedding attacks that are cheap; the attacks train robust models."
    mentions = [
        Mention("Technique", name, name, title.index(name), title.index(name) + len(name), title)
        for name in ("Continuous Attacks", "Bradley-Terry Rewards")
    ]
    named = {m.text: m.canonical for m in _plain_case_names(mentions, text, Gazetteer.load())}
    assert named["Continuous Attacks"] == "continuous attacks"  # both words are in the text in lower case
    assert named["Bradley-Terry Rewards"] == "Bradley-Terry Rewards"  # "bradley" is not: a name, left as it is


def test_a_title_term_in_the_fields_common_words_is_written_in_lower_case_but_a_name_is_not():
    from kg.extract.gazetteer import Gazetteer
    from kg.extract.pipeline import _plain_case_names
    from kg.records import Mention

    title = "ZipLM: Hardware-Aware Structured Pruning with Gaussian Splatting"
    text = f"{title}\n\nWe compress models for a target speedup."  # none of the title's words in lower case
    mentions = [
        Mention("Technique", name, name, title.index(name), title.index(name) + len(name), title)
        for name in ("Hardware-Aware Structured Pruning", "Gaussian Splatting")
    ]
    named = {m.text: m.canonical for m in _plain_case_names(mentions, text, Gazetteer.load())}
    # the taxonomy writes "hardware", "aware", "structured" and "pruning" in lower case: common words
    assert named["Hardware-Aware Structured Pruning"] == "hardware-aware structured pruning"
    assert named["Gaussian Splatting"] == "Gaussian Splatting"  # no gazetteer term writes "gaussian"


def test_the_words_a_title_spells_its_name_in_are_proposed_too(extractor):
    e = _extract(
        extractor,
        "QKSwap: Efficient Query Key Swapping for Long-Context Inference",
        "Long prompts fill the KV cache. We present QKSwap, which swaps query and key blocks between "
        "GPU and host memory. QKSwap reduces memory by 3.1x on Llama-2-7B.",
    )
    assert {"QKSwap", "Query Key Swapping"} <= set(e.proposes)


def test_a_field_of_study_is_not_a_task(extractor):
    e = _extract(
        extractor,
        "Sparse Adapters for Natural Language Processing",
        "Large language models have transformed natural language processing and computer vision. "
        "We study code generation with sparse adapters.",
    )
    tasks = {t.lower() for t in _texts(e, "Task")}
    assert "code generation" in tasks
    assert not tasks & {"natural language processing", "computer vision"}


def test_a_task_in_the_title_may_span_and(extractor):
    e = _extract(
        extractor,
        "KidNet: Dual-Path Networks for Kidney and Cyst Segmentation from CT Scans",
        "We present KidNet, a dual-path network for kidney and cyst segmentation that improves Dice by 2.1%.",
    )
    assert "kidney and cyst segmentation" in {t.lower() for t in _texts(e, "Task")}


def test_the_papers_own_method_in_another_case_is_not_a_baseline(extractor):
    e = _extract(
        extractor,
        "EcoFormer: Energy-Saving Attention with Linear Complexity",
        "We propose EcoFormer, a binarization method. Compared with FlashAttention, Ecoformer cuts energy by 70%.",
    )
    assert e.compared_with == ["FlashAttention"]


def test_a_title_whose_lower_case_is_longer_is_read_without_error(extractor):
    e = _extract(extractor, "Dialects of İzmir, İstanbul, İnegöl, İzmit, İğdır and İskenderun", "We tune LoRA on them. Our adapter beats LoRA")
    assert [m.text for m in e.mentions if m.label == "Method"] == ["LoRA", "LoRA"]


def test_a_baseline_is_named_after_a_comparing_word_not_before_it(extractor):
    e = _extract(
        extractor,
        "FooPrune: Pruning Without Retraining",
        "We propose FooPrune. Deployed with ONNX Runtime on a Xeon CPU, the pruned models use 28% less memory "
        "than their dense counterparts. FooPrune matches SparseGPT at half the cost.",
    )
    assert e.compared_with == ["SparseGPT"]


def test_a_capitalised_word_before_a_coined_name_is_its_variant_not_a_method(extractor):
    e = _extract(
        extractor,
        "ConPET: Continual Parameter-Efficient Tuning for Large Language Models",
        "We propose ConPET. Static ConPET reduces tunable parameters by 3,000 times and surpasses LoRA, "
        "while Dynamic ConPET gains its advantage on the largest dataset.",
    )
    methods = _texts(e, "Method")
    assert "ConPET" in methods and not methods & {"Dynamic", "Static"}
    assert e.compared_with == ["LoRA"]


def test_what_the_authors_set_out_by_introducing_is_proposed(extractor):
    e = _extract(
        extractor,
        "Editing code fast with large language models",
        "We address this trade-off by introducing Positional Integrity Encoding (PIE). PIE keeps the cache valid.",
    )
    assert set(e.proposes) >= {"Positional Integrity Encoding"}


def test_a_result_in_the_title_keeps_the_title_as_its_sentence(extractor):
    """The title ends in the blank line before the abstract; a result's evidence is the title."""
    paper = Paper(id="t:1", title="Compressing Code Models into 3 MB", abstract="We shrink a code model. It keeps 95% of its accuracy.")
    [extraction] = extractor.extract([paper])
    sentences = {r.sentence for r in extraction.results}
    assert "Compressing Code Models into 3 MB" in sentences
    assert all(s == s.strip() for s in sentences)


@Language.component("test_zorblax_is_a_method")
def _zorblax_is_a_method(doc: Doc) -> Doc:
    """A component of a caller's own: every "Zorblax" a Method, whatever kg's rules say."""
    found = [Span(doc, t.i, t.i + 1, label="Method") for t in doc if t.text == "Zorblax"]
    doc.ents = filter_spans([*found, *doc.ents])
    return doc


def test_worker_processes_extract_with_the_callers_own_pipeline():
    """Workers made kg's pipeline anew, so a component the caller added was dropped once
    ``n_process`` > 1 (and a build with ``workers=2`` gave another graph than with one)."""
    nlp = build_pipeline()
    nlp.add_pipe("test_zorblax_is_a_method", last=True)
    own = Extractor(nlp)
    papers = [Paper(id=f"z:{i}", title=f"Study {i}", abstract="We tune Zorblax on a toy task.") for i in range(4)]
    one = list(own.extract(papers))
    two = list(own.extract(papers, n_process=2, batch_size=1))
    assert all("Zorblax" in _texts(e, "Method") for e in one)
    assert [_texts(e, "Method") for e in two] == [_texts(e, "Method") for e in one]


def test_where_processes_cannot_fork_the_callers_own_pipeline_is_refused_not_swapped(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    own = Extractor(build_pipeline())
    changed = Extractor(rules_only=True)
    changed.nlp.add_pipe("test_zorblax_is_a_method", last=True)
    paper = Paper(id="z:1", title="Study", abstract="We tune Zorblax.")
    with pytest.raises(InputError, match="^an Extractor with a spaCy pipeline of your own"):
        list(changed.extract([paper], n_process=2))
    with pytest.raises(InputError, match="^an Extractor with a spaCy pipeline of your own .*\(workers=1\)"):
        list(own.extract([paper], n_process=2))


def test_a_cost_counts_as_a_measure_where_it_is_quantified_or_cut_not_where_it_motivates(extractor):
    e = _extract(
        extractor,
        "Distilling vision encoders",
        "The high computational cost of large vision encoders limits their use. We distil two of them into "
        "one small encoder that keeps high accuracy at reduced memory usage.",
    )
    assert _texts(e, "Metric") >= {"memory usage"} and "computational cost" not in _texts(e, "Metric")
    e = _extract(extractor, "Pruning encoders", "Our pruning reduces the computational cost of the encoder by 40% on ImageNet.")
    assert "computational cost" in _texts(e, "Metric")
