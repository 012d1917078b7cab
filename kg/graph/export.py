"""Export the graph for other tools: GraphML (Gephi, Cytoscape), node-link JSON, and the CSV
layout that ``neo4j-admin database import full`` reads for bulk loading.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

from kg.errors import InputError
from kg.schema import BOOL, FLOAT, INT, NODE_TYPES, REL_TYPES, STRINGS, node_type

FORMATS = ("graphml", "json", "csv")
_ADMIN_TYPES = {INT: "long", FLOAT: "double", BOOL: "boolean", STRINGS: "string[]"}
_ARRAY_DELIMITER = ";"


def _scalar(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return _ARRAY_DELIMITER.join(str(v) for v in value)
    return value


def _csv_cell(value: object) -> object:
    """neo4j-admin's spelling: empty for a missing value, lower-case booleans."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def export(graph: nx.MultiDiGraph, out: Path, *, format: str) -> list[Path]:
    """Write ``graph`` to ``out`` (a file; a folder for CSV); returns the files written."""
    if format not in FORMATS:
        raise InputError(f"unknown export format {format!r}; choose one of: {', '.join(FORMATS)}")
    try:
        if format == "graphml":
            clean = nx.MultiDiGraph()
            for node, data in graph.nodes(data=True):
                clean.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
            for source, target, key, data in graph.edges(keys=True, data=True):
                clean.add_edge(source, target, key=key, **{k: _scalar(v) for k, v in data.items() if v is not None})
            nx.write_graphml(clean, out)
            return [out]
        if format == "json":
            data = nx.node_link_data(graph, edges="edges")
            out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
            return [out]
        return _export_admin_csv(graph, out)
    except OSError as e:
        raise InputError(f"cannot write {out}: {e.strerror}") from e


def _export_admin_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """One nodes file per label and one relationships file per type, with typed headers
    (``key:ID(Method)``, ``:START_ID(Paper)``, ``aliases:string[]``) and ``;`` inside arrays."""
    folder.mkdir(exist_ok=True)  # the folder is the output; its parent must exist, as for every -o
    written: list[Path] = []
    for spec in NODE_TYPES:
        path = folder / f"nodes_{spec.label}.csv"
        header = [f"{spec.key}:ID({spec.label})"] + [
            f"{name}:{_ADMIN_TYPES[t]}" if t in _ADMIN_TYPES else name for name, t in spec.properties
        ] + [":LABEL"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for _, data in graph.nodes(data=True):
                if data.get("label") == spec.label:
                    row = [data.get(spec.key)] + [_scalar(data.get(name)) for name, _ in spec.properties]
                    writer.writerow([_csv_cell(v) for v in row] + [spec.label])
        written.append(path)
    for rel in REL_TYPES:
        path = folder / f"relationships_{rel.type}.csv"
        source, target = node_type(rel.source), node_type(rel.target)
        header = [f":START_ID({rel.source})", f":END_ID({rel.target})", ":TYPE"] + [
            f"{name}:{_ADMIN_TYPES[t]}" if t in _ADMIN_TYPES else name for name, t in rel.properties
        ]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for a, b, data in graph.edges(data=True):
                if data.get("type") == rel.type:
                    row = [graph.nodes[a][source.key], graph.nodes[b][target.key], rel.type]
                    row += [_scalar(data.get(name)) for name, _ in rel.properties]
                    writer.writerow([_csv_cell(v) for v in row])
        written.append(path)
    return written
