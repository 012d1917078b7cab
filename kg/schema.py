"""The one definition of the graph's shape.

Both stores generate their DDL from this module, the loader generates its
``MERGE`` statements from it, and every label or relationship type that goes
into a query string is checked against it first (labels cannot be query
parameters, so this check is what keeps them from being injection points).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kg.errors import SchemaError

#: Property types, in the embedded store's spelling; Neo4j needs no declared types.
STRING = "STRING"
INT = "INT64"
FLOAT = "DOUBLE"
BOOL = "BOOLEAN"
STRINGS = "STRING[]"
#: the whole numbers an INT property holds, in both stores (64 bits)
INT_RANGE = range(-(2**63), 2**63)


@dataclass(frozen=True)
class NodeType:
    """A node label, the property that identifies a node, and its other properties."""

    label: str
    key: str
    properties: tuple[tuple[str, str], ...]
    #: properties that the full-text index covers
    searchable: tuple[str, ...] = ()

    @property
    def all_properties(self) -> tuple[tuple[str, str], ...]:
        return ((self.key, STRING), *self.properties)


@dataclass(frozen=True)
class RelType:
    """A relationship type between two labels.

    Every relationship carries ``paper_id`` (the paper whose text supports it;
    empty for facts from the gazetteers) and ``sentence`` (the evidence). A
    relationship is identified by its two ends, its type and its ``paper_id``.
    """

    type: str
    source: str
    target: str
    meaning: str
    properties: tuple[tuple[str, str], ...] = (("paper_id", STRING), ("sentence", STRING))
    #: a hierarchy the gazetteers state (a narrower node to a broader one of its own label), which
    #: belongs to no paper: a load leaves it alone, and a broader node stays only while something
    #: else points at it
    hierarchy: bool = False


#: The properties that name a node for a reader, first found first: an entity's name, a paper's
#: title, a result's measure, a repository's address.
NAME_PROPERTIES = ("name", "title", "metric", "url", "id")

#: Properties that analytics computes over the whole graph; a load never overwrites them.
COMPUTED_PROPERTIES = frozenset({"degree", "pagerank", "community"})

_ENTITY_PROPERTIES: tuple[tuple[str, str], ...] = (
    ("name", STRING),
    ("aliases", STRINGS),
    ("degree", INT),
    ("pagerank", FLOAT),
    ("community", INT),
)

#: The seven entity types an abstract is read for, in ANNOTATION.md's order.
ENTITY_LABELS: tuple[str, ...] = (
    "Method",
    "Technique",
    "Model",
    "Dataset",
    "Metric",
    "Task",
    "Hardware",
)

NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Paper",
        "id",
        (
            ("title", STRING),
            ("title_key", STRING),
            ("abstract", STRING),
            ("url", STRING),
            ("year", INT),
            ("date", STRING),
            ("authors", STRINGS),
            ("categories", STRINGS),
            ("source", STRING),
            ("content_hash", STRING),
            ("extractor_version", STRING),
        ),
        searchable=("title", "abstract"),
    ),
    NodeType("Method", "key", _ENTITY_PROPERTIES, searchable=("name", "aliases")),
    NodeType("Technique", "key", (*_ENTITY_PROPERTIES, ("depth", INT)), searchable=("name", "aliases")),
    NodeType(
        "Model",
        "key",
        (*_ENTITY_PROPERTIES, ("family", STRING), ("parameters_b", FLOAT)),
        searchable=("name", "aliases"),
    ),
    NodeType("Dataset", "key", _ENTITY_PROPERTIES, searchable=("name", "aliases")),
    NodeType("Metric", "key", _ENTITY_PROPERTIES, searchable=("name", "aliases")),
    NodeType("Task", "key", _ENTITY_PROPERTIES, searchable=("name", "aliases")),
    NodeType("Hardware", "key", _ENTITY_PROPERTIES, searchable=("name", "aliases")),
    NodeType(
        "Result",
        "id",
        (
            ("paper_id", STRING),
            ("metric", STRING),
            ("value", FLOAT),
            ("unit", STRING),
            ("direction", STRING),
            ("gain", BOOL),
            ("baseline", STRING),
            ("dataset", STRING),
            ("model", STRING),
            ("hardware", STRING),
            ("sentence", STRING),
        ),
    ),
    NodeType("Repository", "url", (("host", STRING),)),
)

REL_TYPES: tuple[RelType, ...] = (
    RelType("PROPOSES", "Paper", "Method", "the paper introduces this method"),
    RelType("INTRODUCES", "Paper", "Model", "a model the paper itself trains and releases"),
    RelType("USES_TECHNIQUE", "Paper", "Technique", "a technique the paper builds on"),
    RelType("APPLIED_TO", "Paper", "Model", "a model the method is applied to or evaluated with"),
    RelType("EVALUATED_ON", "Paper", "Dataset", "a benchmark the paper reports on"),
    RelType("COMPARED_WITH", "Paper", "Method", "a baseline the paper compares against"),
    RelType("MENTIONS", "Paper", "Method", "another named method the paper uses or discusses"),
    RelType("ADDRESSES", "Paper", "Task", "the problem the paper works on"),
    RelType("RUNS_ON", "Paper", "Hardware", "hardware the paper runs on"),
    RelType("MEASURES", "Paper", "Metric", "an evaluation measure the paper uses"),
    RelType("REPORTS", "Paper", "Result", "a quantitative claim"),
    RelType("HAS_CODE", "Paper", "Repository", "a code link in the abstract"),
    RelType("INSTANCE_OF", "Method", "Technique", "a named method is an instance of a technique"),
    RelType("SUBCLASS_OF", "Technique", "Technique", "taxonomy: a narrower technique", hierarchy=True),
    RelType(
        "PART_OF", "Dataset", "Dataset", "a suite's benchmark or a dataset's subset (SST-2 in GLUE)", hierarchy=True
    ),
    RelType(
        "VARIANT_OF", "Hardware", "Hardware", "a memory or form-factor variant of a device", hierarchy=True
    ),
    RelType("OF_METRIC", "Result", "Metric", "the measure a result is expressed in"),
    RelType("FOR_MODEL", "Result", "Model", "the model the result is about"),
    RelType("ON_DATASET", "Result", "Dataset", "the benchmark the result was measured on"),
    RelType("ON_HARDWARE", "Result", "Hardware", "the hardware the result was measured on"),
    RelType(
        "SIMILAR_TO",
        "Paper",
        "Paper",
        "papers sharing many entities",
        (("paper_id", STRING), ("sentence", STRING), ("shared", INT)),
    ),
)

#: The version of the graph's shape above. Raise it with any change to NODE_TYPES or REL_TYPES that a
#: graph written before cannot simply be read as (a property, label or relationship type added,
#: changed or gone), and with any change to what the graph builder makes of an extraction: a graph
#: that records an older version is refused by every command but `kg upgrade`, which extracts its
#: papers again. tests/store/test_version.py holds the fingerprint of the shape it stands for.
SCHEMA_VERSION = 1

#: The one node a store holds about the graph itself: the schema version that wrote it, and whether
#: `kg upgrade` is part way through bringing it to this one. It is no part of the graph (counts,
#: exports and analytics leave it out), so it is kept apart from NODE_TYPES.
META = NodeType("KgGraph", "id", (("schema_version", INT), ("upgrading", BOOL)))
#: the key of the one META node
META_ID = "graph"


def fingerprint() -> str:
    """A short hash of the graph's shape: labels, keys, property names and types, relationship
    types and their ends. What a test compares with the one recorded for SCHEMA_VERSION, so a
    change to the shape cannot go out without raising the version."""
    shape = [(n.label, n.all_properties) for n in NODE_TYPES]
    shape += [(r.type, r.source, r.target, r.properties, r.hierarchy) for r in REL_TYPES]
    return hashlib.sha1(repr(shape).encode("utf-8")).hexdigest()[:12]


#: the relationship that goes up each label's gazetteer hierarchy
HIERARCHY: dict[str, str] = {rel.source: rel.type for rel in REL_TYPES if rel.hierarchy}

_NODES = {n.label: n for n in NODE_TYPES}
_RELS = {r.type: r for r in REL_TYPES}


def node_type(label: str) -> NodeType:
    """The node type for ``label``; raises if the schema has no such label."""
    try:
        return _NODES[label]
    except KeyError:
        raise SchemaError(
            f"unknown label {label!r}; the schema has: {', '.join(_NODES)}"
        ) from None


def rel_type(type_: str) -> RelType:
    """The relationship type named ``type_``; raises if the schema has none."""
    try:
        return _RELS[type_]
    except KeyError:
        raise SchemaError(
            f"unknown relationship type {type_!r}; the schema has: {', '.join(_RELS)}"
        ) from None
