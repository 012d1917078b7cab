"""Build the networkx graph from extractions: one node per label and canonical name.

Node ids are ``"Label:key"``; each node carries the schema's properties.
Edges are keyed ``"TYPE|paper_id"`` so one paper states a fact once, while
several papers stating it give several edges, each with its own evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlparse

import networkx as nx

from kg.errors import InputError
from kg.extract.canonical import normalize_key, parameters_in_billions, strip_size
from kg.extract.gazetteer import Entry, Gazetteer
from kg.records import Extraction, normalize_title
from kg.schema import ENTITY_LABELS, HIERARCHY, node_type, rel_type

#: Which relation links a paper to each entity type it mentions.
PAPER_RELATION = {
    "Technique": "USES_TECHNIQUE",
    "Model": "APPLIED_TO",
    "Dataset": "EVALUATED_ON",
    "Task": "ADDRESSES",
    "Hardware": "RUNS_ON",
    "Metric": "MEASURES",
    "Method": "MENTIONS",
}
#: A result's field that holds the name of the node a relationship of this type links it to
#: (``r.model`` is the name of its FOR_MODEL node), so a query can use either.
RESULT_NAME_FIELDS = {"OF_METRIC": "metric", "FOR_MODEL": "model", "ON_DATASET": "dataset", "ON_HARDWARE": "hardware"}
TAXONOMY_EVIDENCE = "kg taxonomy"
#: a technique the taxonomy lacks, placed under the known one its name ends with
HEAD_EVIDENCE = "kg taxonomy: named by its head words"
#: a benchmark's suite or a device's base model, from datasets.tsv and hardware.tsv
GAZETTEER_EVIDENCE = "kg gazetteer"


def node_id(label: str, key: str) -> str:
    return f"{label}:{key}"


class EntityRegistry:
    """What the builders of a streamed build's successive chunks share about each entity: the
    name it was first given, which later chunks must keep (its key, taxonomy and model family
    follow from it), and the forms it has been met under, so that its aliases gather across
    chunks. Only that, in strings and tuples: it lives for the whole build and holds every
    distinct entity, where the rest of a chunk's graph goes once the chunk is loaded."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        #: only the entities with aliases, which are few
        self.aliases: dict[str, tuple[str, ...]] = {}


class GraphBuilder:
    """Accumulates extractions into one `MultiDiGraph`."""

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        graph: nx.MultiDiGraph | None = None,
        registry: EntityRegistry | None = None,
    ) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.graph = graph if graph is not None else nx.MultiDiGraph()
        #: shared by the builders of successive chunks, so each chunk's graph stays small
        self.registry = registry if registry is not None else EntityRegistry()

    def add_all(self, extractions: Iterable[Extraction]) -> nx.MultiDiGraph:
        for extraction in extractions:
            self.add(extraction)
        return self.graph

    def add(self, extraction: Extraction) -> None:
        if not isinstance(extraction, Extraction):  # a Paper failed as "has no attribute 'paper'"
            raise InputError(
                f"a graph is built of kg.Extraction records, not {type(extraction).__name__}: "
                "kg.Extractor().extract(papers) makes them"
            )
        paper = extraction.paper
        pid = node_id("Paper", paper.id)
        self.graph.add_node(
            pid,
            label="Paper",
            id=paper.id,
            title=paper.title,
            title_key=normalize_title(paper.title),
            abstract=paper.abstract,
            url=paper.url,
            year=paper.year,
            authors=list(paper.authors),
            date=paper.date,
            categories=list(paper.categories),
            source=paper.source,
            content_hash=paper.content_hash,
            extractor_version=extraction.extractor_version,
        )
        proposed = {normalize_key(p) for p in extraction.proposes}
        compared = {normalize_key(c) for c in extraction.compared_with}
        canonical = {(m.label, m.text): m.canonical for m in extraction.mentions}
        said_in: dict[tuple[str, str], str] = {}
        for m in extraction.mentions:
            said_in.setdefault((m.label, m.text), m.sentence)
        for mention in extraction.mentions:
            nid = self.entity(mention.label, mention.canonical, alias=mention.text)
            relation = PAPER_RELATION[mention.label]
            key = normalize_key(mention.canonical)
            if mention.label == "Method":
                relation = "PROPOSES" if key in proposed else "COMPARED_WITH" if key in compared else "MENTIONS"
            elif mention.label == "Model" and key in proposed:
                relation = "INTRODUCES"
            self.edge(pid, nid, relation, paper.id, mention.sentence)
        for link in extraction.instance_of:
            method = self.entity("Method", link.source)
            technique = self.entity("Technique", link.target)
            self.edge(method, technique, "INSTANCE_OF", paper.id, link.sentence)
        for index, result in enumerate(extraction.results):
            rid = node_id("Result", f"{paper.id}#r{index}")
            self.graph.add_node(
                rid,
                label="Result",
                id=f"{paper.id}#r{index}",
                paper_id=paper.id,
                metric=result.metric,
                value=float(result.value),
                unit=result.unit,
                direction=result.direction,
                gain=result.gain,
                baseline=result.baseline,
                dataset=result.dataset,
                model=result.model,
                hardware=result.hardware,
                sentence=result.sentence,
            )
            self.edge(pid, rid, "REPORTS", paper.id, result.sentence)
            # the result's own fields name the nodes it links to ("speedup", "NVIDIA RTX A6000"),
            # not the forms its sentence used ("speedups", "A6000"): a query may use either
            named = self.graph.nodes[rid]
            if result.metric:
                metric = self.entity("Metric", self._metric_name(result.metric), alias=result.metric)
                self.edge(rid, metric, "OF_METRIC", paper.id, result.sentence)
                named[RESULT_NAME_FIELDS["OF_METRIC"]] = self.graph.nodes[metric]["name"]
            for label, text, type_ in (
                ("Model", result.model, "FOR_MODEL"),
                ("Dataset", result.dataset, "ON_DATASET"),
                ("Hardware", result.hardware, "ON_HARDWARE"),
            ):
                if text:
                    # the node the mention of that name became, so aliases meet in one place
                    name = canonical.get((label, text), text)
                    # a name from the setup sentence ("We evaluate on Llama-3.1-8B") shows that
                    # sentence too, so the evidence names what the fact says
                    evidence = result.sentence
                    if text not in evidence and (label, text) in said_in:
                        evidence = f"{said_in[(label, text)]} … {evidence}"
                    target = self.entity(label, name, alias=text)
                    self.edge(rid, target, type_, paper.id, evidence)
                    named[RESULT_NAME_FIELDS[type_]] = self.graph.nodes[target]["name"]
        for url in extraction.code:
            rid = node_id("Repository", url)
            self.graph.add_node(rid, label="Repository", url=url, host=urlparse(url).netloc)
            sentence = next((s for s in _sentences_with(extraction, url)), url)
            self.edge(pid, rid, "HAS_CODE", paper.id, sentence)

    def entity(self, label: str, name: str, *, alias: str | None = None) -> str:
        """The node for ``name`` under ``label``, created on first sight."""
        entry = self.gazetteer.lookup(label, name)
        display = entry.name if entry else name
        key = normalize_key(display)
        nid = node_id(label, key)
        if nid not in self.graph:
            # the edges up go from the node's name, not this mention's form: "zeta-quantization"
            # seen first keeps the node's parents the same in every chunk that meets it
            kept_name = self.registry.names.setdefault(nid, display)
            aliases = list(self.registry.aliases.get(nid, ()))
            attrs: dict[str, object] = {"label": label, "key": key, "name": kept_name, "aliases": aliases}
            if label == "Model":
                attrs.update(self._model_attributes(kept_name))
            self.graph.add_node(nid, **attrs)
            if label == "Technique":
                self._add_taxonomy(nid, kept_name)
            elif label in HIERARCHY:
                # a suite (GLUE) or a base device (A100) becomes a node of its own, so a question
                # about it also finds results on its parts and variants
                for parent in self.gazetteer.parents_of(label, kept_name):
                    self.edge(nid, self._broader(label, parent), HIERARCHY[label], "", GAZETTEER_EVIDENCE)
        self._add_aliases(nid, (name, alias))
        return nid

    def _add_aliases(self, nid: str, forms: Iterable[str | None]) -> None:
        node = self.graph.nodes[nid]
        aliases: list[str] = node["aliases"]
        before = len(aliases)
        for form in forms:
            if form and form != node["name"] and form not in aliases:
                aliases.append(form)
        if len(aliases) > before:
            self.registry.aliases[nid] = tuple(aliases)

    def _broader(self, label: str, entry: Entry) -> str:
        """The node of a suite, base device or broader technique, which the gazetteer may put in
        the graph though no paper names it: it takes the entry's aliases, so that asking for it as
        people write it ("A100", "ILSVRC", "PTQ") finds it."""
        nid = self.entity(label, entry.name)
        self._add_aliases(nid, entry.aliases)
        return nid

    def edge(self, source: str, target: str, type_: str, paper_id: str, sentence: str) -> None:
        rel = rel_type(type_)
        assert self.graph.nodes[source]["label"] == rel.source, (source, type_)
        key = f"{type_}|{paper_id}"
        if not self.graph.has_edge(source, target, key):
            self.graph.add_edge(source, target, key=key, type=type_, paper_id=paper_id, sentence=sentence)

    def _metric_name(self, metric: str) -> str:
        entry = self.gazetteer.lookup("Metric", metric)
        return entry.name if entry else metric

    def _model_attributes(self, name: str) -> dict[str, object]:
        """Family and size. A model the gazetteer does not know belongs to the known family its name
        starts with ("Llama-3.1-Nemotron-51B-Instruct"), else, when it comes in sizes, to its name
        without the size ("Apollo-7B" is an Apollo), so family roll-ups see new models too."""
        bare = strip_size(name)
        entry = (
            self.gazetteer.lookup("Model", name)
            or self.gazetteer.lookup("Model", bare)
            or self.gazetteer.lookup("Model", re.split(r"[\s-]", name, maxsplit=1)[0])
        )
        parameters = parameters_in_billions(name)
        if entry:
            family = entry.parent or entry.name
        else:
            family = bare if parameters is not None and bare and bare != name else None
        return {"family": family, "parameters_b": parameters}

    def _add_taxonomy(self, nid: str, name: str) -> None:
        """Edges up the taxonomy from a new technique node: its own chain when the taxonomy knows
        it, else one edge to the known technique its name ends with, whose chain goes on up."""
        chain = self.gazetteer.technique_chain(name)
        if chain:
            self._set_depth(nid, len(chain) - 1)
            child = nid
            for parent in chain[1:]:
                parent_id = self._broader("Technique", parent)
                self.edge(child, parent_id, "SUBCLASS_OF", "", TAXONOMY_EVIDENCE)
                child = parent_id
            return
        head = self.gazetteer.technique_head(name)
        if head is None:
            self._set_depth(nid, None)
            return
        parent_id = self.entity("Technique", head.name)
        parent_depth = self.graph.nodes[parent_id]["depth"]
        self._set_depth(nid, None if parent_depth is None else parent_depth + 1)
        self.edge(nid, parent_id, "SUBCLASS_OF", "", HEAD_EVIDENCE)

    def _set_depth(self, nid: str, depth: int | None) -> None:
        self.graph.nodes[nid]["depth"] = depth


def _sentences_with(extraction: Extraction, needle: str) -> Iterable[str]:
    for sentence in extraction.paper.abstract.split(". "):
        if needle in sentence:
            yield sentence.strip()


def build_graph(extractions: Iterable[Extraction], *, gazetteer: Gazetteer | None = None) -> nx.MultiDiGraph:
    """A graph of every extraction given, shaped as the store's (`kg.stored_graph`): ``nx.write_graphml``
    refuses its None and list properties, and `kg.write_graph` writes it as `kg export` does."""
    return GraphBuilder(gazetteer=gazetteer).add_all(extractions)


def node_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, object]]]:
    """Nodes grouped by label, each a row holding exactly the schema's properties."""
    rows: dict[str, list[dict[str, object]]] = {}
    for _, data in graph.nodes(data=True):
        spec = node_type(data["label"])
        rows.setdefault(spec.label, []).append({name: data.get(name) for name, _ in spec.all_properties})
    return rows


def edge_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, object]]]:
    """Edges grouped by type, each a row with the two ends' keys and the edge's properties."""
    rows: dict[str, list[dict[str, object]]] = {}
    for source, target, data in graph.edges(data=True):
        spec = rel_type(data["type"])
        source_data, target_data = graph.nodes[source], graph.nodes[target]
        row = {
            "source": source_data[node_type(spec.source).key],
            "target": target_data[node_type(spec.target).key],
        }
        row.update({name: data.get(name) for name, _ in spec.properties})
        rows.setdefault(spec.type, []).append(row)
    return rows


def counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and edges per type, as `kg stats` prints them."""
    result: dict[str, int] = {}
    for _, label in graph.nodes(data="label"):
        result[label] = result.get(label, 0) + 1
    for _, _, type_ in graph.edges(data="type"):
        result[type_] = result.get(type_, 0) + 1
    return result


__all__ = [
    "ENTITY_LABELS",
    "RESULT_NAME_FIELDS",
    "EntityRegistry",
    "GraphBuilder",
    "build_graph",
    "counts",
    "edge_rows",
    "node_rows",
]
