from __future__ import annotations

from kg.graph import build_graph, counts, edge_rows, node_rows
from kg.records import Extraction, Link, Mention, Paper, Result
from kg.schema import ENTITY_LABELS, NODE_TYPES, node_type, rel_type


def _extraction(
    paper_id: str, sentence: str = "We propose FooQuant, quantizing Llama-2-7B, at https://github.com/x/fooquant"
) -> Extraction:
    paper = Paper(id=paper_id, title="FooQuant: Cheap", abstract=sentence)
    return Extraction(
        paper=paper,
        extractor_version="test",
        mentions=[
            Mention("Method", "FooQuant", "FooQuant", 0, 8, sentence),
            Mention("Model", "Llama-2-7B", "Llama-2-7B", 0, 10, sentence),
            Mention("Model", "LLaMA-2-7B", "LLaMA-2-7B", 0, 10, sentence),
            Mention("Technique", "post-training quantization", "post-training quantization", 0, 5, sentence),
        ],
        proposes=["FooQuant"],
        instance_of=[Link("FooQuant", "post-training quantization", sentence)],
        results=[Result(metric="speedup", value=2.0, unit="x", sentence=sentence)],
        code=["https://github.com/x/fooquant"],
    )


def _graph_naming(label: str, names: list[str], sentence: str, gazetteer=None):
    """The graph of one paper whose one sentence names ``names`` as ``label``."""
    paper = Paper(id="p9", title="A title", abstract=sentence)
    mentions = [Mention(label, n, n, sentence.index(n), sentence.index(n) + len(n), sentence) for n in names]
    return build_graph([Extraction(paper=paper, extractor_version="test", mentions=mentions)], gazetteer=gazetteer)


def test_aliases_fold_into_one_node_with_family_and_size():
    graph = build_graph([_extraction("p1")])
    models = [d for _, d in graph.nodes(data=True) if d["label"] == "Model"]
    assert len(models) == 1
    assert models[0]["parameters_b"] == 7.0
    assert models[0]["name"] == "Llama-2-7B"
    assert models[0]["aliases"] == ["LLaMA-2-7B"]
    assert models[0]["family"] == "Llama"  # the root family: asking for Llama finds every Llama


def test_a_size_of_a_known_model_takes_that_models_family(extractor):
    names = ["Llama 2", "LLaMA2-7B", "Minitron-8B"]
    graph = _graph_naming("Model", names, "We prune Llama 2, LLaMA2-7B and Minitron-8B.", extractor.gazetteer)
    family = {d["name"]: d["family"] for _, d in graph.nodes(data=True) if d["label"] == "Model"}
    assert family == {"Llama 2": "Llama", "LLaMA2-7B": "Llama", "Minitron-8B": "Nemotron"}  # not "Minitron"


def test_a_model_the_gazetteer_does_not_know_takes_the_family_its_name_gives():
    sentence = "We train Apollo-7B and Apollo, and compare with Llama-3.1-Nemotron-51B-Instruct and ZetaNet."
    graph = _graph_naming("Model", ["Apollo-7B", "Apollo", "Llama-3.1-Nemotron-51B-Instruct", "ZetaNet"], sentence)
    models = {d["name"]: (d["family"], d["parameters_b"]) for _, d in graph.nodes(data=True) if d["label"] == "Model"}
    assert models == {
        "Apollo-7B": ("Apollo", 7.0),  # its sizes make a family of a new name
        "Apollo": (None, None),
        "Llama-3.1-Nemotron-51B-Instruct": ("Llama", 51.0),  # a known family it starts with
        "ZetaNet": (None, None),
    }


def test_every_edge_carries_paper_and_evidence():
    graph = build_graph([_extraction("p1")])
    for _, _, data in graph.edges(data=True):
        if rel_type(data["type"]).hierarchy:  # the gazetteers' facts belong to no paper
            continue
        assert data["paper_id"] == "p1"
        assert "FooQuant" in data["sentence"]


def test_relations_follow_the_schema():
    graph = build_graph([_extraction("p1")])
    c = counts(graph)
    assert c["PROPOSES"] == 1 and c["APPLIED_TO"] == 1 and c["INSTANCE_OF"] == 1
    assert c["REPORTS"] == 1 and c["OF_METRIC"] == 1 and c["HAS_CODE"] == 1


def test_a_result_links_to_the_nodes_its_model_and_benchmark_became():
    extraction = _extraction("p1")
    sentence = extraction.paper.abstract
    extraction.mentions.append(Mention("Dataset", "WikiText-2", "WikiText2", 0, 5, sentence))
    extraction.results[0] = Result(metric="speedups", value=2.0, unit="x", sentence=sentence, model="LLaMA-2-7B", dataset="WikiText2")
    graph = build_graph([extraction])
    targets = {
        d["type"]: graph.nodes[t]["name"] for s, t, d in graph.out_edges(data=True) if graph.nodes[s]["label"] == "Result"
    }
    assert targets == {"OF_METRIC": "speedup", "FOR_MODEL": "Llama-2-7B", "ON_DATASET": "WikiText-2"}
    assert counts(graph)["Dataset"] == 1
    # the result's own fields say what the nodes it links to are called, not the sentence's forms
    (result,) = [d for _, d in graph.nodes(data=True) if d["label"] == "Result"]
    assert (result["metric"], result["model"], result["dataset"]) == ("speedup", "Llama-2-7B", "WikiText-2")


def test_a_model_named_in_another_sentence_shows_that_sentence_as_evidence_too():
    extraction = _extraction("p1")
    setup, claim = extraction.paper.abstract, "It runs 2x faster."
    extraction.results[0] = Result(metric="speedup", value=2.0, unit="x", sentence=claim, model="Llama-2-7B")
    graph = build_graph([extraction])
    (evidence,) = [d["sentence"] for _, _, d in graph.edges(data=True) if d["type"] == "FOR_MODEL"]
    assert evidence == f"{setup} … {claim}"
    (reported,) = [d["sentence"] for _, _, d in graph.edges(data=True) if d["type"] == "REPORTS"]
    assert reported == claim


def test_technique_gets_its_taxonomy_ancestors(extractor):
    graph = build_graph([_extraction("p1")], gazetteer=extractor.gazetteer)
    technique = next(n for n, d in graph.nodes(data=True) if d["label"] == "Technique" and d["name"].lower() == "post-training quantization")
    ancestors = [graph.nodes[t]["name"].lower() for _, t, d in graph.out_edges(technique, data=True) if d["type"] == "SUBCLASS_OF"]
    assert ancestors == ["quantization"]


def test_a_technique_the_taxonomy_lacks_goes_under_the_known_one_its_name_ends_with(extractor):
    names = ["feature-level knowledge distillation", "bidirectional weight pruning", "Quux balancing"]
    sentence = "We use feature-level knowledge distillation and bidirectional weight pruning with Quux balancing."
    graph = _graph_naming("Technique", names, sentence, extractor.gazetteer)

    def parents(name: str) -> list[str]:
        node = next(n for n, d in graph.nodes(data=True) if d["label"] == "Technique" and d["name"] == name)
        return [graph.nodes[t]["name"].lower() for _, t, d in graph.out_edges(node, data=True) if d["type"] == "SUBCLASS_OF"]

    assert parents("feature-level knowledge distillation") == ["knowledge distillation"]
    assert parents("bidirectional weight pruning") == ["pruning"]
    assert parents("Quux balancing") == []  # no known technique ends it: a root
    assert parents("pruning") == ["model compression"]  # the known one's chain goes on up
    depth = {d["name"]: d["depth"] for _, d in graph.nodes(data=True) if d["label"] == "Technique"}
    assert depth["bidirectional weight pruning"] == depth["pruning"] + 1 and depth["Quux balancing"] is None


def test_two_papers_stating_a_fact_give_two_edges_one_node():
    graph = build_graph([_extraction("p1"), _extraction("p2")])
    assert counts(graph)["Method"] == 1
    assert counts(graph)["PROPOSES"] == 2


def test_rows_hold_exactly_the_schema_properties():
    graph = build_graph([_extraction("p1")])
    for label, rows in node_rows(graph).items():
        expected = {name for name, _ in node_type(label).all_properties}
        assert all(set(row) == expected for row in rows)
    for rows in edge_rows(graph).values():
        assert all({"source", "target", "paper_id", "sentence"} <= set(row) for row in rows)


def test_sample_graph_has_nodes_of_every_label(sample_graph):
    c = counts(sample_graph)
    for spec in NODE_TYPES:
        assert c.get(spec.label, 0) > 0, spec.label
    assert all(c.get(label, 0) > 0 for label in ENTITY_LABELS)


def test_a_model_the_paper_releases_is_introduced_not_applied_to():
    sentence = "We release Quokka-3B, trained from scratch."
    extraction = Extraction(
        paper=Paper(id="p1", title="Quokka: A Small Model", abstract=sentence),
        extractor_version="test",
        mentions=[Mention("Model", "Quokka-3B", "Quokka-3B", 11, 20, sentence)],
        proposes=["Quokka-3B"],
    )
    c = counts(build_graph([extraction]))
    assert c["INTRODUCES"] == 1
    assert c.get("APPLIED_TO", 0) == 0 and c.get("PROPOSES", 0) == 0


def test_a_benchmark_goes_under_its_suites_and_a_device_under_its_base_model(extractor):
    names = ["RTE", "LAION-2B", "ImageNet-1K", "ImageNet-C"]
    graph = _graph_naming("Dataset", names, "We test on RTE, LAION-2B, ImageNet-1K and ImageNet-C.", extractor.gazetteer)
    hardware = _graph_naming("Hardware", ["A100-80GB"], "We run on A100-80GB GPUs.", extractor.gazetteer)
    graph.add_nodes_from(hardware.nodes(data=True))
    graph.add_edges_from(hardware.edges(keys=True, data=True))

    def up(name: str) -> list[tuple[str, str]]:
        node = next(n for n, d in graph.nodes(data=True) if d.get("name") == name)
        return sorted((d["type"], graph.nodes[t]["name"]) for _, t, d in graph.out_edges(node, data=True) if d["paper_id"] == "")

    assert up("RTE") == [("PART_OF", "GLUE"), ("PART_OF", "SuperGLUE")]  # a benchmark in two suites
    assert up("LAION-2B") == [("PART_OF", "LAION-5B")] and up("LAION-5B") == [("PART_OF", "LAION")]
    assert up("ImageNet-1K") == [("PART_OF", "ImageNet")]
    assert up("ImageNet-C") == []  # a benchmark derived from another is not a part of it
    assert up("NVIDIA A100-80GB") == [("VARIANT_OF", "NVIDIA A100")]
    # the suites come from the gazetteer: no paper evaluates on them
    assert not any(graph.nodes[t]["name"] == "GLUE" for _, t, d in graph.edges(data=True) if d["type"] == "EVALUATED_ON")


def test_models_whose_sizes_differ_by_a_point_are_two_nodes():
    sentence = "We prune OPT-1.3B and OPT-13B."
    graph = _graph_naming("Model", ["OPT-1.3B", "OPT-13B"], sentence)
    models = {d["name"]: d["parameters_b"] for _, d in graph.nodes(data=True) if d["label"] == "Model"}
    assert models == {"OPT-1.3B": 1.3, "OPT-13B": 13.0}


def test_a_node_met_again_in_a_later_chunk_under_another_form_keeps_its_edges_up(extractor):
    """Chunks of one build share a registry; the later chunk's graph of a technique first met as
    "zeta quantization" must hang it where the first did, though it meets "zeta-quantization"
    (which the taxonomy reads as one word with no known head)."""
    from kg.graph import EntityRegistry, GraphBuilder

    registry = EntityRegistry()
    ups = []
    for paper_id, form in (("a1", "zeta quantization"), ("a2", "zeta-quantization")):
        sentence = f"We propose {form} for models."
        paper = Paper(id=paper_id, title=f"Paper {paper_id}", abstract=sentence)
        mention = Mention("Technique", form, form, 11, 11 + len(form), sentence)
        builder = GraphBuilder(gazetteer=extractor.gazetteer, registry=registry)
        graph = builder.add_all([Extraction(paper=paper, extractor_version="test", mentions=[mention])])
        ups.append(sorted((a, b) for a, b, t in graph.edges(data="type") if t == "SUBCLASS_OF"))
    assert ups[0] == ups[1] and ("Technique:zetaquantization", "Technique:quantization") in ups[0]


def test_chunks_sharing_a_registry_keep_the_first_name_and_gather_the_aliases(extractor):
    """The registry a streamed build keeps for its whole length holds each entity's first name and
    only the entities met under other forms hold aliases, while every chunk's node carries them all."""
    from kg.graph import EntityRegistry, GraphBuilder

    registry = EntityRegistry()
    nodes = []
    for paper_id, text, canonical in (("a1", "FooNet", "FooNet"), ("a2", "foo-net", "Foo-Net"), ("a3", "BarNet", "BarNet")):
        sentence = f"We compare with {text}."
        paper = Paper(id=paper_id, title=f"Paper {paper_id}", abstract=sentence)
        mentions = [Mention("Method", text, canonical, 16, 16 + len(text), sentence)]
        if paper_id == "a3":
            mentions.append(Mention("Method", "FOONET", "FOONET", 0, 6, sentence))
        builder = GraphBuilder(gazetteer=extractor.gazetteer, registry=registry)
        graph = builder.add_all([Extraction(paper=paper, extractor_version="test", mentions=mentions)])
        nodes.append(dict(graph.nodes["Method:foonet"]))
    assert [(n["name"], n["aliases"]) for n in nodes] == [
        ("FooNet", []),
        ("FooNet", ["Foo-Net", "foo-net"]),
        ("FooNet", ["Foo-Net", "foo-net", "FOONET"]),
    ]
    assert registry.names == {"Method:foonet": "FooNet", "Method:barnet": "BarNet"}
    assert registry.aliases == {"Method:foonet": ("Foo-Net", "foo-net", "FOONET")}


def test_a_graph_of_papers_not_extractions_is_refused_saying_what_makes_them():
    import pytest

    from kg.errors import InputError

    with pytest.raises(InputError, match=r"^a graph is built of kg.Extraction records, not Paper: kg.Extractor\(\).extract"):
        build_graph([Paper(id="p", title="T", abstract="A.")])
