"""Export the graph for other tools: GraphML (Gephi, Cytoscape), node-link JSON, and the CSV
layout that ``neo4j-admin database import full`` reads for bulk loading.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import networkx as nx

from kg.errors import InputError
from kg.schema import BOOL, FLOAT, INT, NODE_TYPES, REL_TYPES, STRINGS, node_type

FORMATS = ("graphml", "json", "csv")
_ADMIN_TYPES = {INT: "long", FLOAT: "double", BOOL: "boolean", STRINGS: "string[]"}
#: neo4j-admin's default array delimiter first; the others for a graph whose arrays hold it.
_ARRAY_DELIMITERS = (";", "|", "\u00a6", "\u001f")
#: The script written beside the CSV files, with the import command that reads them.
IMPORT_SCRIPT = "import.sh"
#: kg's constraints and indexes (``export``'s ``schema``), which neo4j-admin's import of
#: Community's format does not make.
SCHEMA_SCRIPT = "schema.cypher"


def _scalar(value: object, delimiter: str = _ARRAY_DELIMITERS[0]) -> object:
    if isinstance(value, (list, tuple)):
        return delimiter.join(str(v) for v in value)
    return value


def _csv_cell(value: object) -> object:
    """neo4j-admin's spelling: empty for a missing value, lower-case booleans."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def export(graph: nx.MultiDiGraph, out: Path, *, format: str, schema: Sequence[str] = ()) -> list[Path]:
    """Write ``graph`` to ``out`` (a file; a folder for CSV); returns the files written. CSV
    comes with ``schema``, the Cypher statements that make the store's constraints and indexes."""
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
        return _export_admin_csv(graph, out, schema)
    except OSError as e:
        raise InputError(f"cannot write {out}: {e.strerror}") from e


def _array_delimiter(graph: nx.MultiDiGraph) -> str:
    """neo4j-admin splits an array cell at its delimiter and has no escape for it, so an alias
    holding ";" would come back as two; the delimiter is one that no array element holds."""
    held = set()
    for value in _values(graph):
        if isinstance(value, (list, tuple)):
            held.update(c for v in value for c in str(v) if c in _ARRAY_DELIMITERS)
    for delimiter in _ARRAY_DELIMITERS:
        if delimiter not in held:
            return delimiter
    raise InputError(
        "cannot export CSV: the graph's lists hold every array delimiter neo4j-admin could use "
        f"({', '.join(repr(d) for d in _ARRAY_DELIMITERS)}); export graphml or json instead"
    )


def _values(graph: nx.MultiDiGraph) -> Iterator[object]:
    for _, data in graph.nodes(data=True):
        yield from data.values()
    for _, _, data in graph.edges(data=True):
        yield from data.values()


def _multiline(graph: nx.MultiDiGraph) -> bool:
    def breaks(value: object) -> bool:
        if isinstance(value, (list, tuple)):  # an author or alias over two lines makes a cell of two
            return any(breaks(v) for v in value)
        return isinstance(value, str) and ("\n" in value or "\r" in value)

    return any(breaks(v) for v in _values(graph))


def _import_script(folder: Path, files: list[Path], delimiter: str, multiline: bool) -> Path:
    """The command that loads these files, with the options they need, so a user does not have
    to work out the array delimiter or the file list."""
    options = [f"--array-delimiter=U+{ord(delimiter):04X}", '--report-file="$here/import.report"']
    if multiline:
        options.append("--multiline-fields=true")
    options += [f"--{'nodes' if f.name.startswith('nodes_') else 'relationships'}=\"$here/{f.name}\"" for f in files]
    lines = [
        "#!/bin/sh",
        "# Bulk-load this folder into a new Neo4j database with neo4j-admin (written by `kg export`).",
        "# Stop Neo4j first; the database (default: neo4j) must not exist yet, or add",
        "# --overwrite-destination=true. Usage: sh import.sh [DATABASE]",
        "# NEO4J_ADMIN is the command to run when neo4j-admin is not on PATH, split at spaces",
        '# (without Docker: NEO4J_ADMIN="scripts/neo4j-local admin", then scripts/neo4j-local start).',
        'here="$(CDPATH= cd -P -- "$(dirname -- "$0")" && pwd -P)" || exit 1',
        "# The database comes first: --nodes and --relationships take every word after them as a file.",
        'exec ${NEO4J_ADMIN:-neo4j-admin} database import full "${1:-neo4j}" \\',
        *(f"  {option} \\" for option in options[:-1]),
        f"  {options[-1]}",
        "",
    ]
    path = folder / IMPORT_SCRIPT
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o755)
    return path


def _export_admin_csv(graph: nx.MultiDiGraph, folder: Path, schema: Sequence[str]) -> list[Path]:
    """One nodes file per label and one relationships file per type, with typed headers
    (``key:ID(Method)``, ``:START_ID(Paper)``, ``aliases:string[]``), the script that imports
    them, and the Cypher that makes kg's constraints and indexes once the database runs."""
    delimiter = _array_delimiter(graph)
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
                    row = [data.get(spec.key)] + [_scalar(data.get(name), delimiter) for name, _ in spec.properties]
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
                    row += [_scalar(data.get(name), delimiter) for name, _ in rel.properties]
                    writer.writerow([_csv_cell(v) for v in row])
        written.append(path)
    schema_script = folder / SCHEMA_SCRIPT
    schema_script.write_text("".join(f"{statement};\n" for statement in schema), encoding="utf-8")
    return [*written, _import_script(folder, written, delimiter, _multiline(graph)), schema_script]
