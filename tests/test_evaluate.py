from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import EvalError
from kg.evaluate import (
    Score,
    evaluate,
    load_gold,
    score_compared,
    score_links,
    score_result_attribute,
    score_results,
    score_sets,
)


def test_strict_matching_folds_case_hyphens_and_plurals():
    strict, lenient, missed, extra = score_sets(["LLaMA-2", "structured pruning", "Foo"], ["Llama 2", "Structured Pruning", "Bar"])
    assert (strict.tp, strict.fp, strict.fn) == (2, 1, 1)
    assert missed == {"Bar"} and extra == {"Foo"}


def test_lenient_matching_counts_contained_spans_at_word_boundaries():
    strict, lenient, _, _ = score_sets(["3D human pose estimation"], ["human pose estimation"])
    assert strict.tp == 0 and lenient.tp == 1
    _, lenient, _, _ = score_sets(["pose"], ["purpose"])
    assert lenient.tp == 0


def test_results_match_on_value_and_unit():
    score = score_results([{"value": 2.0, "unit": "x"}, {"value": 5, "unit": "%"}], [{"value": 2, "unit": "x"}, {"value": 5, "unit": "x"}])
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)


def test_result_attributes_score_one_at_a_time_on_the_number_they_belong_to():
    gold = [
        {"value": 2, "unit": "x", "metric": "speedup", "baseline": "vLLM"},
        {"value": 30, "unit": "%", "metric": "latency"},
    ]
    predicted = [
        {"value": 2.0, "unit": "x", "metric": "Speedups", "baseline": None},  # right metric, baseline not found
        {"value": 30, "unit": "%", "metric": "inference latency"},  # a wider span: lenient only
        {"value": 5, "unit": "%", "metric": "speedup"},  # right metric on a number the gold lacks
    ]
    strict, lenient = score_result_attribute(predicted, gold, "metric")
    assert (strict.tp, strict.fp, strict.fn) == (1, 2, 1)
    assert (lenient.tp, lenient.fp, lenient.fn) == (2, 1, 0)
    strict, _ = score_result_attribute(predicted, gold, "baseline")
    assert (strict.tp, strict.fp, strict.fn) == (0, 0, 1)


def test_score_arithmetic():
    s = Score(3, 1, 2)
    assert s.precision == 0.75 and s.recall == 0.6
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_evaluate_on_dev_gold_reports_every_type(dev_gold, extractor):
    report = evaluate(dev_gold[:5], extractor=extractor)
    assert report.papers == 5
    assert {"Method", "Technique", "Model", "Dataset", "Metric", "Task", "Hardware", "micro", "proposes", "results", "code"} <= set(report.strict)
    assert {"result metric", "result baseline", "result direction", "result model"} <= set(report.strict)


def test_bad_gold_file_is_a_clear_error(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"title": "x"}\n')
    with pytest.raises(EvalError, match=r"g.jsonl:1: not a gold record: it has no abstract, entities"):
        load_gold(path)
    path.write_text('{"title": "x", "abstract": "y", "entities": {}, "instance_of": ["FooNet -> pruning"]}\n')
    with pytest.raises(EvalError, match=r"g.jsonl:1: instance_of must list \[method, technique, ...\] pairs"):
        load_gold(path)


GOOD = {"title": "NestQuant", "abstract": "We propose NestQuant.", "entities": {"Method": ["NestQuant"]}}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"title": "x", ', r"not JSON \(Expecting property name enclosed in double quotes, column 16\)"),
        ("[" + json.dumps(GOOD) + "]", "not a gold record: a JSON list, not an object"),
        # a string of names would be scored one letter at a time
        (json.dumps({**GOOD, "entities": {"Method": "NestQuant"}}), 'entities.Method must be a list of names, not "NestQuant"'),
        # a misspelt type would be read as no names of the type
        (json.dumps({**GOOD, "entities": {"Models": ["Llama"]}}), "entities has no type 'Models'; the types are Method, Technique"),
        (json.dumps({**GOOD, "results": [{"value": "2x", "unit": "x"}]}), r'results\[1\].value must be a number, not "2x"'),
        (json.dumps({**GOOD, "results": [{"value": 2, "direction": "down"}]}), r'results\[1\].direction must be "increase", "decrease" or null'),
        (json.dumps({**GOOD, "proposes": "NestQuant"}), "proposes must be a list of names"),
    ],
)
def test_a_gold_record_of_the_wrong_shape_is_an_error_naming_its_line_and_field(tmp_path, line, message):
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + line + "\n")
    with pytest.raises(EvalError, match=rf"g.jsonl:2: {message}"):
        load_gold(path)


def test_a_gold_name_not_in_its_abstract_is_listed_and_still_scored(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({**GOOD, "entities": {"Method": ["NestQuant"], "Model": ["Llama-3-70B"]}}) + "\n")
    warnings: list[str] = []
    [record] = load_gold(path, warnings)
    assert warnings == [f"{path}:1: 'Llama-3-70B' is not in the title or abstract"]
    assert record["entities"]["Model"] == ["Llama-3-70B"]


GOLD = Path(__file__).resolve().parent / "data" / "gold"


@pytest.mark.parametrize("split", sorted(p.name for p in GOLD.glob("*.jsonl") if "decisions" not in p.name and "links" not in p.name))
def test_gold_entities_occur_verbatim(split):
    for line in (GOLD / split).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["title"] + " " + record["abstract"]
        for values in record["entities"].values():
            for value in values:
                assert value in text, (record["id"], value)


@pytest.mark.parametrize(
    ("name", "count"),
    [("sentences_tune.jsonl", 40), ("sentences_measure.jsonl", 40), ("sentences_tune_b.jsonl", 30), ("sentences_measure_b.jsonl", 30)],
)
def test_blind_result_sentences_are_gold_records_whose_names_occur_verbatim(name, count):
    records = load_gold(GOLD.parent / "results" / name)
    assert len(records) == count
    for record in records:
        for result in record["results"]:
            for key in ("baseline", "model", "dataset", "hardware"):
                assert result.get(key) is None or result[key] in record["abstract"], (record["id"], key)


@pytest.mark.parametrize("name", sorted(p.relative_to(GOLD.parent / "written").as_posix() for p in (GOLD.parent / "written").rglob("*.jsonl")))
def test_written_abstracts_are_gold_records_whose_names_occur_verbatim(name):
    records = load_gold(GOLD.parent / "written" / name)
    assert len(records) == 30
    for record in records:
        text = record["title"] + " " + record["abstract"]
        assert all(value in text for values in record["entities"].values() for value in values), record["id"]
        for result in record["results"]:
            for key in ("baseline", "model", "dataset", "hardware"):
                assert result.get(key) is None or result[key] in text, (record["id"], key)


def test_errors_list_the_results_and_attributes_that_differ(extractor):
    record = {
        "id": "r1",
        "title": "FooNet",
        "abstract": "FooNet runs 2x faster than BarNet on ImageNet.",
        "entities": {},
        "results": [
            {"value": 2, "unit": "x", "metric": "throughput", "baseline": "BarNet"},
            {"value": 5, "unit": "%", "metric": "accuracy"},
        ],
    }
    errors = {e["type"]: e for e in evaluate([record], extractor=extractor).errors}
    assert errors["results"]["missed"] == ["5%"] and errors["results"]["extra"] == []
    assert errors["result metric"]["missed"] == ["2x: throughput", "5%: accuracy"]
    assert errors["result metric"]["extra"] == ["2x: speedup"]
    assert "result baseline" not in errors  # found as annotated


def test_a_gain_is_scored_as_better_or_worse_and_only_where_the_gold_annotates_it(extractor):
    gold = [{"value": 40, "unit": "%", "gain": True}, {"value": 0.4, "unit": "%", "gain": False}, {"value": 9, "unit": "%", "gain": None}]
    predicted = [{"value": 40, "unit": "%", "gain": True}, {"value": 0.4, "unit": "%", "gain": True}, {"value": 9, "unit": "%", "gain": None}]
    strict, _ = score_result_attribute(predicted, gold, "gain")
    assert (strict.tp, strict.fp, strict.fn) == (1, 1, 1)  # a cost taken for a gain is wrong, not unscored
    record = {
        "id": "r1",
        "title": "FooNet",
        "abstract": "FooNet reduces memory by 40% with an accuracy drop of 0.4%.",
        "entities": {},
        "results": [{"value": 40, "unit": "%", "metric": "memory"}, {"value": 0.4, "unit": "%", "metric": "accuracy"}],
    }
    assert "result gain" not in evaluate([record], extractor=extractor).strict  # annotated before gains were
    record["results"][0]["gain"], record["results"][1]["gain"] = True, False
    assert evaluate([record], extractor=extractor).strict["result gain"].f1 == 1.0


def _output(methods, techniques, links):
    def mentions(pairs):
        return [{"text": text, "canonical": canonical} for text, canonical in pairs]

    return {
        "entities": {"Method": mentions(methods), "Technique": mentions(techniques)},
        "instance_of": [{"source": s, "target": t, "sentence": ""} for s, t in links],
    }


def test_links_match_the_gold_pairs_through_every_form_their_ends_take_in_the_abstract():
    output = _output(
        methods=[("Hourglass Tokenizer", "Hourglass Tokenizer"), ("HoT", "Hourglass Tokenizer")],
        techniques=[("token pruning", "token pruning"), ("KD", "knowledge distillation"), ("pruning", "pruning")],
        links=[("Hourglass Tokenizer", "token pruning"), ("Hourglass Tokenizer", "pruning"),
               ("Hourglass Tokenizer", "model compression")],  # the last: a gazetteer parent the text never names
    )
    gold = [["HoT", "token pruning", "text"], ["Hourglass Tokenizer", "token pruning", "text"], ["HoT", "KD", "text"]]
    score, missed, extra = score_links(output, gold)
    assert (score.tp, score.fp, score.fn) == (2, 1, 1)
    assert missed == ["HoT -> KD"] and extra == ["Hourglass Tokenizer -> pruning"]


def test_links_are_scored_only_where_the_gold_annotates_them(extractor, dev_gold):
    record = dict(dev_gold[0])
    assert "instance_of" not in evaluate([record], extractor=extractor).strict
    record["instance_of"] = []
    assert "instance_of" in evaluate([record], extractor=extractor).strict


@pytest.mark.parametrize("split", ["train", "dev", "heldout"])
def test_gold_links_join_names_the_record_lists(split):
    records = load_gold(GOLD / f"{split}_adjudicated.jsonl")
    assert all("instance_of" in r and "compared_with" in r for r in records)
    for r in records:
        for method, technique, basis in r["instance_of"]:
            assert method in r["entities"]["Method"] and technique in r["entities"]["Technique"], r["id"]
            assert basis in ("text", "knowledge")
        assert all(name in r["entities"]["Method"] for name in r["compared_with"]), r["id"]


def test_baselines_match_the_gold_names_through_every_form_the_method_takes():
    output = _output(
        methods=[("Huggingface implementation", "Huggingface implementation"), ("HF", "Huggingface implementation"),
                 ("PowerInfer", "PowerInfer")],
        techniques=[],
        links=[],
    )
    output["compared_with"] = ["Huggingface implementation", "PowerInfer"]
    score, missed, extra = score_compared(output, ["HF", "FlexGen"])
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    assert missed == ["FlexGen"] and extra == ["PowerInfer"]


def test_a_gold_line_with_a_number_too_long_to_read_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + '{"title": "x", "abstract": "y", "entities": {}, "n": ' + "1" * 5000 + "}\n")
    with pytest.raises(EvalError, match=r"g.jsonl:2: not JSON \(a number of 5,000 digits is too long to read, column 54\)"):
        load_gold(path)
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(EvalError, match=r"g.jsonl:1: JSON nested too deeply to be a gold record"):
        load_gold(path)


def test_a_gold_string_holding_a_line_separator_is_one_record(tmp_path):
    """JSON Lines ends a record at "\\n" only; splitlines() broke this valid line in two at U+2028."""
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({**GOOD, "abstract": "We propose\u2028NestQuant.\x0c"}, ensure_ascii=False) + "\r\n", encoding="utf-8")
    [record] = load_gold(path)
    assert record["abstract"] == "We propose\u2028NestQuant.\x0c"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (json.dumps({**GOOD, "title": "Nest\ud800Quant"}), r"title holds half of a UTF-16 pair \(a lone surrogate such as \\ud800\)"),
        (json.dumps({**GOOD, "entities": {"Method": ["Nest\udfffQuant"]}}), r"entities.Method holds half of a UTF-16 pair"),
        (json.dumps({**GOOD, "abstract": "word " * 400_000}), "abstract of 2000000 characters is longer than 100000; not an abstract"),
        (json.dumps({**GOOD, "title": "T" * 3000}), "title of 3000 characters is longer than 2000; not a title"),
    ],
)
def test_a_gold_record_the_extractor_cannot_read_is_one_line_naming_it(tmp_path, line, message):
    """As `kg build` skips them: spaCy's E088 ran over many lines, a lone surrogate was an
    unexpected UnicodeEncodeError."""
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + line + "\n")
    with pytest.raises(EvalError, match=rf"g.jsonl:2: {message}"):
        load_gold(path)
