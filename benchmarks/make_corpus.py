"""Generate a synthetic corpus of efficiency-paper abstracts as JSON Lines.

Each line is ``{"id", "title", "abstract", "year"}``. The abstracts read like
the bundled sample (kg.corpus.sample_corpus(): ~1,600 characters, a title with
a coined name before the colon, "We propose X, a ... for ...", numeric results
with baselines, models with sizes, datasets, hardware, code URLs).

The vocabulary grows with the corpus, as a real one does: almost every paper
coins a new method name, some release a new model or benchmark, and papers
cite earlier coined names by preferential attachment (a name is picked in
proportion to how often it was picked before, so reuse is Zipf-like), next to
a fixed set of well-known methods, models and datasets picked Zipf-wise.

Deterministic: paper ``i`` of seed ``S`` is the same whatever ``--papers`` is,
so ``--papers 1000 --start 100000`` gives the 1,000 papers that would follow
a 100,000-paper corpus of the same seed (new papers for an incremental build).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

# -- fixed vocabulary: well-known names, reused Zipf-wise (most popular first) -----------------

KNOWN_METHODS = (
    "vLLM FlashAttention LoRA QLoRA GPTQ AWQ SmoothQuant SparseGPT Wanda DeepSpeed ZeRO FSDP "
    "Megatron-LM TensorRT-LLM Medusa EAGLE PagedAttention H2O StreamingLLM SnapKV KIVI QuaRot "
    "SpinQuant OmniQuant LLM-Pruner SliceGPT DistilBERT TinyBERT MobileBERT DoRA AdaLoRA "
    "BitNet SpQR QuIP AQLM FlexGen Orca SGLang LightLLM FasterTransformer ToMe DynamicViT "
    "EViT MInference Quest LongLoRA YaRN RingAttention Mamba RWKV RetNet Hyena Linformer "
    "Performer Reformer Longformer BigBird"
).split()
KNOWN_MODELS = (
    "Llama-2-7B|Llama-2-13B|Llama-2-70B|Llama-3-8B|Llama-3-70B|Llama-3.1-8B|Mistral-7B|Mixtral-8x7B|"
    "Qwen2.5-7B|Qwen2.5-72B|Qwen2-VL-7B|OPT-1.3B|OPT-6.7B|OPT-30B|OPT-66B|Vicuna-7B|Vicuna-13B|"
    "Phi-3-mini|Gemma-2B|Gemma-7B|Falcon-40B|BLOOM-176B|GPT-2|BERT-base|BERT-large|RoBERTa-large|"
    "T5-base|Flan-T5-XL|ViT-B/16|ViT-L/14|DeiT-S|DeiT-B|Swin-T|ResNet-50|ResNet-18|MobileNetV2|"
    "EfficientNet-B0|LLaVA-1.5-7B|LLaVA-1.5-13B|CLIP ViT-L/14|Stable Diffusion XL|DiT-XL/2|"
    "Whisper-large|TinyLlama-1.1B|Pythia-1.4B|Pythia-6.9B|DeepSeek-V2|DeepSeek-Coder-6.7B"
).split("|")
KNOWN_DATASETS = (
    "WikiText-2|C4|MMLU|GSM8K|HumanEval|ImageNet|ImageNet-1K|COCO|LongBench|PIQA|HellaSwag|"
    "ARC-Challenge|ARC-Easy|WinoGrande|BoolQ|MT-Bench|AlpacaEval|ShareGPT|LMSYS-Chat-1M|GLUE|"
    "SQuAD|CIFAR-10|CIFAR-100|ADE20K|Cityscapes|Kinetics-400|LibriSpeech|MATH|TruthfulQA|"
    "Needle-in-a-Haystack|RULER|MBPP|VQAv2|TextVQA|MMMU|SuperGLUE|PG-19|The Pile|RedPajama"
).split("|")
HARDWARE = (
    "NVIDIA A100|NVIDIA H100|A100|H100|RTX 4090|RTX 3090|NVIDIA V100|NVIDIA A6000|NVIDIA L4|NVIDIA T4|"
    "Jetson Orin|Jetson AGX Xavier|TPU v4|TPU v5e|AMD MI250|AMD MI300X|Apple M2|Snapdragon 8 Gen 2|"
    "Intel Xeon|Raspberry Pi 4|Gaudi2|NVIDIA H200|NVIDIA B200|Pixel 7"
).split("|")
TASKS = (
    "LLM inference|LLM serving|long-context inference|language modeling|image classification|"
    "object detection|semantic segmentation|text-to-image generation|video generation|"
    "speech recognition|machine translation|question answering|code generation|mathematical reasoning|"
    "on-device inference|visual question answering|instruction tuning|retrieval-augmented generation|"
    "recommendation|video understanding|3D human pose estimation|image super-resolution|"
    "text summarization|multimodal reasoning|speculative decoding"
).split("|")
TECHNIQUES = (
    "quantization|post-training quantization|quantization-aware training|weight-only quantization|"
    "KV cache quantization|structured pruning|unstructured pruning|knowledge distillation|"
    "speculative decoding|token pruning|token merging|low-rank adaptation|low-rank decomposition|"
    "sparse attention|linear attention|mixture of experts|early exiting|KV cache compression|"
    "parameter-efficient fine-tuning|neural architecture search|dynamic sparsity|operator fusion|"
    "activation checkpointing|pipeline parallelism|tensor parallelism|continuous batching|"
    "weight sharing|binarization|layer dropping|prompt compression"
).split("|")
QUALITY_METRICS = "accuracy|top-1 accuracy|zero-shot accuracy|BLEU|mAP|mIoU|F1 score|exact match|win rate|pass@1".split("|")
ORGS = ("mit-han-lab|IST-DASLab|microsoft|google-research|facebookresearch|thu-ml|OpenGVLab|"
        "hao-ai-lab|snu-mllab|princeton-nlp|NVlabs|huggingface|alibaba|sail-sg|VITA-Group|"
        "ZhangLab|efficient-ml|casper-hansen|kaist-ai|cmu-catalyst").split("|")

# -- pieces of coined names ------------------------------------------------------------------

PREFIXES = (
    "Flash Spec Quant Sparse Evo Turbo Lite Mini Omni Hydra Swift Lean Tiny Fast Smart Dyna Ada "
    "Prism Echo Nova Aero Zip Hyper Meta Micro Nano Pico Flex Fluid Rapid Vector Tensor Token "
    "Cache Mosaic Orbit Pulse Quark Relay Sonic Stride Vortex Zen Atlas Blaze Comet Delta Ember "
    "Glide Helix Ion Jet Kite Lumen Magma Nimbus Onyx Pixel Quill Ripple Sage Tidal Umbra Velo"
).split()
SUFFIXES = (
    "Attn Quant Prune KV Serve Infer Former Net Cache Decode Distill LoRA MoE Mix Merge Drop "
    "Skip Shift Fuse Scale Route Gate Path Flow Spark Stream Batch Pack Shard Sort Tune Boost "
    "Press Zip Fold Trim Cut Sketch Lens Bench Gen Diff ViT BERT Mamba Step Link Bit Sim"
).split()
MIDDLES = "Sparse Quant Token Cache Block Head Layer Expert Span Patch Grid Wave Rank Bit Prompt".split()
LONG_WORDS = (
    "Adaptive Dynamic Hierarchical Progressive Structured Learned Hybrid Sparse Mixed-Precision "
    "Token-Aware Layer-Wise Attention-Guided Context-Aware Low-Rank Entropy-Based Residual Selective "
    "Budget-Aware Cross-Layer Outlier-Aware Lookahead Parallel Asynchronous Elastic Uniform Gradient-Free"
).split()
LONG_HEADS = (
    "Quantization Pruning Distillation Decoding Caching Routing Merging Compression Scheduling "
    "Offloading Batching Sparsification Attention Tuning Adaptation Serving Partitioning Reuse"
).split()
MODEL_STEMS = (
    "Aurora Borealis Cedar Dune Falcon Granite Harbor Iris Juniper Kestrel Lotus Maple Nebula "
    "Oasis Pinnacle Quasar Raven Sierra Topaz Unity Vega Willow Xenon Yarrow Zephyrine Alder Basil "
    "Coral Dahlia Fennel Garnet Hazel Indigo Jasper Kelp Lilac Marlin Nectar Olive Poppy"
).split()
BENCH_STEMS = "Eval Bench Arena Suite QA Test Probe Gauge Trial Score".split()
SIZES = ("0.5B", "1B", "1.3B", "1.5B", "2B", "3B", "7B", "8B", "13B", "14B", "30B", "34B", "70B", "72B")


class Zipf:
    """Pick from a fixed list with probability proportional to 1 / rank ** s."""

    def __init__(self, items: Sequence[str], s: float = 1.1) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(len(items))))

    def __call__(self, rng: random.Random) -> str:
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


class Growing:
    """A vocabulary of coined names with preferential-attachment reuse (a Yule process)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.urn: list[str] = []  # one entry per creation or use: picks follow popularity

    def add(self, name: str) -> None:
        self.names.add(name)
        self.urn.append(name)

    def pick(self, rng: random.Random) -> str | None:
        if not self.urn:
            return None
        name = self.urn[rng.randrange(len(self.urn))]
        self.urn.append(name)
        return name

    def __len__(self) -> int:
        return len(self.names)


class CorpusGenerator:
    """Paper after paper from one random stream; the vocabulary grows as it goes."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.methods = Growing()
        self.models = Growing()
        self.datasets = Growing()
        self.titles: set[str] = set()
        self.known_method = Zipf(KNOWN_METHODS)
        self.known_model = Zipf(KNOWN_MODELS)
        self.known_dataset = Zipf(KNOWN_DATASETS)
        self.hardware = Zipf(HARDWARE, 1.3)
        self.task = Zipf(TASKS, 0.9)
        self.technique = Zipf(TECHNIQUES, 0.9)
        self.metric = Zipf(QUALITY_METRICS, 1.0)

    # -- names ---------------------------------------------------------------------------------

    def _coin_method(self) -> tuple[str, str | None]:
        """A new method name, and its long form when it is introduced as an acronym."""
        r = self.rng
        for _ in range(100):
            style = r.random()
            long = None
            if style < 0.45:
                name = r.choice(PREFIXES) + r.choice(SUFFIXES)
            elif style < 0.65:
                name = r.choice(PREFIXES) + r.choice(MIDDLES) + r.choice(SUFFIXES)
            elif style < 0.80:
                words = [*r.sample(LONG_WORDS, r.choice((1, 2))), *r.sample(LONG_HEADS, r.choice((1, 2)))]
                long = " ".join(words)
                name = "".join(w[0] for w in "-".join(words).replace("-", " ").split()).upper()
            elif style < 0.92:
                name = r.choice(PREFIXES) + "-" + r.choice(("LLM", "ViT", "MoE", "KV", "Diff", "Serve"))
            else:
                name = r.choice(PREFIXES) + r.choice(SUFFIXES) + r.choice(("-v2", "-v3", "2", "++", "-X", "-Lite"))
            if name not in self.methods.names:
                return name, long
        return f"{name}{len(self.methods)}", long

    def _coin_model(self) -> str:
        r = self.rng
        for _ in range(100):
            name = f"{r.choice(MODEL_STEMS)}{r.choice(('', '-Chat', '-Coder', '-VL', '-Instruct', '-Math'))}-{r.choice(SIZES)}"
            if name not in self.models.names:
                return name
        return f"{name}-{len(self.models)}"

    def _coin_dataset(self) -> str:
        r = self.rng
        for _ in range(100):
            name = r.choice(PREFIXES) + r.choice(BENCH_STEMS) + r.choice(("", "", "-Long", "-Hard", "-V", "-Pro"))
            if name not in self.datasets.names:
                return name
        return f"{name}{len(self.datasets)}"

    def baseline(self) -> str:
        """An earlier coined method (by popularity) or a well-known one."""
        if self.rng.random() < 0.55:
            picked = self.methods.pick(self.rng)
            if picked:
                return picked
        return self.known_method(self.rng)

    def model(self) -> str:
        if self.rng.random() < 0.2:
            picked = self.models.pick(self.rng)
            if picked:
                return picked
        return self.known_model(self.rng)

    def dataset(self) -> str:
        if self.rng.random() < 0.25:
            picked = self.datasets.pick(self.rng)
            if picked:
                return picked
        return self.known_dataset(self.rng)

    def _distinct(self, pick: Callable[[], str], n: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(10 * n):
            name = pick()
            if name not in chosen:
                chosen.append(name)
                if len(chosen) == n:
                    return chosen
        return chosen + [f"{chosen[0]}-{i}" for i in range(n - len(chosen))]

    # -- numbers -------------------------------------------------------------------------------

    def speedup(self) -> str:
        return f"{self.rng.lognormvariate(0.8, 0.5):.2f}".rstrip("0").rstrip(".")

    def percent(self, low: float = 5, high: float = 80) -> str:
        return f"{self.rng.uniform(low, high):.1f}"

    # -- one paper -----------------------------------------------------------------------------

    def paper(self, index: int) -> dict[str, object]:
        r = self.rng
        name, long = self._coin_method()
        task = self.task(r)
        technique, second_technique = self._distinct(lambda: self.technique(r), 2)
        b1, b2, b3 = self._distinct(self.baseline, 3)
        m1, m2 = self._distinct(self.model, 2)
        d1, d2 = self._distinct(self.dataset, 2)
        hw = self.hardware(r)
        new_model = self._coin_model() if r.random() < 0.08 else None
        new_dataset = self._coin_dataset() if r.random() < 0.06 else None
        adjective = r.choice(("efficient", "training-free", "lightweight", "scalable", "simple yet effective",
                              "plug-and-play", "hardware-aware", "unified", "novel"))

        title = self._title(name, technique, task)
        ref = name
        intro = (
            f"we propose {long} ({name}), a {adjective} {technique} method for {task}."
            if long
            else r.choice((
                f"we propose {name}, a {adjective} {technique} framework for {task}.",
                f"we introduce {name}, a {adjective} approach to {task} based on {technique}.",
                f"we present {name}, which combines {technique} with {second_technique} for {task}.",
                f"we propose a {adjective} method called {name} that applies {technique} to {task}.",
            ))
        )
        sentences = [
            r.choice((
                f"Large language models (LLMs) such as {m1} deliver strong results on {task}, but their "
                f"memory and compute costs make deployment on {hw} expensive.",
                f"{task[0].upper() + task[1:]} with modern models is increasingly bottlenecked by memory bandwidth "
                f"rather than compute.",
                f"Deploying {m1} for {task} remains costly: inference latency grows with sequence length and "
                f"the KV cache dominates GPU memory.",
                f"Recent advances in {technique} have made it possible to shrink models such as {m1} "
                f"with little loss in quality.",
            )),
            r.choice((
                f"Existing {technique} methods such as {b1} and {b2} either require costly retraining "
                f"or degrade accuracy at high compression ratios.",
                f"Prior work, including {b1}, relies on hand-crafted heuristics that do not transfer across "
                f"architectures, while {b2} incurs significant runtime overhead.",
                f"However, methods like {b1} ignore the heterogeneity of layers, and {b2} is limited to "
                f"short contexts.",
            )),
            r.choice(("In this paper, ", "In this work, ", "To address these issues, ", "To this end, ")) + intro,
            r.choice((
                f"{ref} identifies redundant {r.choice(('tokens', 'heads', 'channels', 'experts', 'layers'))} "
                f"with a lightweight scoring function and removes them on the fly, without any fine-tuning.",
                f"The key idea of {ref} is to decouple {technique} from {second_technique}, so that each can "
                f"be tuned per layer under a global budget.",
                f"{ref} formulates the allocation as a constrained optimisation problem and solves it with "
                f"an efficient greedy search.",
                f"Unlike {b3}, {ref} needs no calibration data and adds negligible overhead at inference time.",
            )),
            r.choice((
                f"We further design a custom kernel that fuses dequantization with matrix multiplication "
                f"and runs on {hw}.",
                f"We also provide a theoretical analysis showing that the approximation error of {ref} is "
                f"bounded.",
                f"In addition, {ref} is orthogonal to {b3} and can be combined with it for further gains.",
            )),
        ]
        sentences.append(r.choice((
            f"Specifically, {ref} first profiles the sensitivity of each layer on a small calibration set, "
            f"then assigns a per-layer budget that preserves the most important weights and activations.",
            f"Specifically, {ref} maintains a compact summary of past {r.choice(('keys and values', 'activations', 'gradients'))} "
            f"and retrieves only the entries that matter for the current step, keeping the working set small.",
            f"At its core, {ref} uses a two-stage design: a cheap draft stage proposes candidates and an exact "
            f"stage verifies them in parallel, so no quality is lost.",
            f"Moreover, {ref} exploits the observation that attention scores are highly skewed, concentrating "
            f"computation on a small fraction of salient positions.",
        )))
        results = [
            f"{ref} achieves {self.speedup()}x speedup over {b1} on {hw} while reducing memory by "
            f"{self.percent(10, 75)}%.",
            f"On {d1} and {d2}, {ref} improves {self.metric(r)} by {self.percent(0.5, 12)}% compared to {b2}.",
            f"When applied to {m2}, {ref} reduces perplexity on {d1} from {r.uniform(5, 9):.2f} to "
            f"{r.uniform(4, 6):.2f} and cuts latency by {self.percent(15, 60)}%.",
            f"Experiments on {m1} and {m2} show that {ref} compresses models to {r.choice((2, 3, 4, 8))} bits "
            f"with less than {self.percent(0.1, 2)}% accuracy drop on {d2}.",
            f"{ref} delivers up to {self.speedup()}x higher throughput than {b3} with {r.choice((64, 128, 256, 512))} "
            f"concurrent requests on {r.choice((1, 2, 4, 8))} {hw} GPUs.",
            f"Compared with {b2}, {ref} lowers time-to-first-token by {self.percent(20, 70)}% on {d1}.",
        ]
        r.shuffle(results)
        sentences += results[: r.choice((3, 4, 4))]
        if new_model:
            sentences.append(
                f"We also release {new_model}, a family of open models trained with {ref}, which matches "
                f"{m1} at a fraction of its cost."
            )
            self.models.add(new_model)
        if new_dataset:
            sentences.append(
                f"To evaluate {task} systematically, we introduce {new_dataset}, a new benchmark with "
                f"{r.randrange(1, 50) * 1000:,} examples across {r.randrange(3, 30)} domains."
            )
            self.datasets.add(new_dataset)
        sentences.append(r.choice((
            f"Ablation studies show that each component of {ref} contributes to the final gains, and that the "
            f"method is robust to the choice of hyperparameters.",
            f"We evaluate {ref} on models from {r.choice(('125M', '350M', '1B'))} to {r.choice(('13B', '70B', '176B'))} "
            f"parameters, covering both decoder-only and encoder-decoder architectures.",
            f"Our analysis further reveals why {technique} interacts poorly with {second_technique} in prior "
            f"systems and how {ref} avoids this pitfall.",
        )))
        sentences.append(r.choice((
            f"Extensive experiments across {r.randrange(3, 12)} benchmarks confirm that {ref} consistently "
            f"outperforms state-of-the-art baselines.",
            f"These results suggest that {technique} can be made practical for {task} at scale.",
            f"Our findings highlight the potential of combining {technique} and {second_technique}.",
        )))
        if r.random() < 0.6:
            org = r.choice(ORGS)
            sentences.append(f"Code is available at https://github.com/{org}/{name.replace('+', 'p')}.")
        self.methods.add(name)
        return {
            "id": f"synth-{self.seed}-{index:07d}",
            "title": title,
            "abstract": " ".join(sentences),
            "year": 2018 + min(7, int(r.triangular(0, 8, 8))),
        }

    def _title(self, name: str, technique: str, task: str) -> str:
        r = self.rng
        cap, task_title = _title_case(technique), _title_case(task)
        options = (
            f"{name}: {r.choice(('Efficient', 'Fast', 'Scalable', 'Accurate', 'Training-Free'))} {cap} for {task_title}",
            f"{name}: Towards {r.choice(('Lossless', 'Practical', 'Extreme', 'Adaptive'))} {cap} of Large Language Models",
            f"{name}: {r.choice(('Accelerating', 'Scaling', 'Compressing', 'Rethinking'))} {task_title} via {cap}",
            f"{r.choice(('Efficient', 'Rethinking', 'Revisiting', 'Scaling'))} {cap} for {task_title} with {name}",
        )
        title = r.choice(options)
        suffix = 2
        while _title_key(title) in self.titles:  # kg drops a paper whose title it has seen
            title = f"{r.choice(options)} ({suffix})"
            suffix += 1
        self.titles.add(_title_key(title))
        return title


def _title_key(title: str) -> str:
    """kg.records.normalize_title, without importing kg."""
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", title).casefold()).strip()


def _title_case(phrase: str) -> str:
    return " ".join(w[0].upper() + w[1:] if w[0].islower() else w for w in phrase.split())


def generate(papers: int, *, seed: int = 0, start: int = 0) -> Iterator[dict[str, object]]:
    """Papers ``start`` .. ``start + papers - 1`` of the stream of ``seed``."""
    generator = CorpusGenerator(seed)
    for index in range(start + papers):
        paper = generator.paper(index)
        if index >= start:
            yield paper


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, required=True, help="how many papers to write")
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--start", type=int, default=0,
                        help="index of the first paper to write; the ones before it are generated, not written")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    chars = 0
    with args.output.open("w", encoding="utf-8") as out:
        for paper in generate(args.papers, seed=args.seed, start=args.start):
            chars += len(str(paper["abstract"]))
            out.write(json.dumps(paper, ensure_ascii=False) + "\n")
    print(f"wrote {args.papers} papers to {args.output} (mean abstract {chars / max(1, args.papers):.0f} chars) "
          f"in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
