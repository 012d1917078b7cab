"""Property-based tests: no input, however odd, makes a reader or the extractor raise
anything but a clear `KgError`."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.corpus import ReadReport, read_papers
from kg.errors import InputError
from kg.records import Paper

pytestmark = pytest.mark.filterwarnings("ignore")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

odd_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("$\\{}<>&\"'`()[]-–—\n\t")),
    max_size=400,
)


@SETTINGS
@given(
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".jsonl", ".csv", ".xml", ".txt", ""]),
    encoding=st.sampled_from([None, "cp1252", "utf-16-le", "shift_jis"]),
)
def test_readers_on_arbitrary_bytes_raise_only_input_errors(tmp_path, data, suffix, encoding):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    report = ReadReport()
    try:
        papers = list(read_papers([path], report=report, encoding=encoding))
    except InputError as e:
        assert "\n" not in str(e)
        return
    assert all(p.title and p.abstract for p in papers)


@SETTINGS
@given(records=st.lists(st.one_of(
    st.fixed_dictionaries({"title": odd_text, "abstract": odd_text}),
    st.dictionaries(st.sampled_from(["title", "abstract", "id", "year", "authors", "url"]), st.one_of(odd_text, st.integers(), st.none(), st.lists(odd_text, max_size=3))),
    odd_text,
), max_size=8))
def test_jsonl_keeps_every_good_record(tmp_path, records):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(r) if not isinstance(r, str) else r.replace("\n", " ").replace("\x00", "") for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ReadReport()
    papers = list(read_papers([path], report=report))
    def letters(text: object) -> str:  # what no cleaning may take out: the letters and digits, in order
        return "".join(c for c in text if c.isalnum()) if isinstance(text, str) else ""

    good = {letters(r["title"]) for r in records if isinstance(r, dict) and letters(r.get("title")) and letters(r.get("abstract"))}
    if report.duplicates == 0:  # every good record is read (a repeated title is read once)
        assert good <= {letters(p.title) for p in papers}


@SETTINGS
@given(title=odd_text, abstract=odd_text)
def test_extractor_never_raises_and_offsets_hold(extractor, title, abstract):
    paper = Paper(id="x", title=title or "t", abstract=abstract or "a")
    [extraction] = list(extractor.extract([paper]))
    text = paper.text
    for mention in extraction.mentions:
        assert text[mention.start : mention.end] == mention.text
    extraction.to_json()


@SETTINGS
@given(words=st.lists(st.sampled_from([
    "We", "propose", "FooNet", "(FN)", "achieves", "2.5x", "speedup", "over", "vLLM", "on", "A100", "GPUs",
    "reducing", "40%", "memory", "Llama-2-7B", "ImageNet", "quantization", "$\\gamma$-MoD", "<script>", "respectively",
    ",", ".", "and", "10.33", "times", "https://github.com/a/b", "pass@1", "of", "77.0%",
] + list(string.ascii_letters[:5])), max_size=60))
def test_extractor_on_domain_like_word_salad(extractor, words):
    paper = Paper(id="x", title="FooNet: " + " ".join(words[:8]), abstract=" ".join(words) or "x")
    [extraction] = list(extractor.extract([paper]))
    for result in extraction.results:
        # a number without a unit is a result only where a measure names it ("a perplexity of 5.7")
        # or it is a score on a benchmark ("55.1 on LongVideoBench")
        assert result.sentence and (result.unit or result.metric or result.dataset)
