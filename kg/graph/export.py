"""Export the graph for other tools: GraphML (Gephi, Cytoscape), node-link JSON, and the CSV
layout that ``neo4j-admin database import full`` reads for bulk loading, from a whole graph
(`export`) or from one that arrives in chunks and never is whole (`export_chunks`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from kg.errors import InputError
from kg.schema import (
    BOOL,
    FLOAT,
    INT,
    META,
    META_ID,
    NODE_TYPES,
    REL_TYPES,
    SCHEMA_VERSION,
    STRINGS,
    node_type,
    rel_type,
)

FORMATS = ("graphml", "json", "csv")
_ADMIN_TYPES = {INT: "long", FLOAT: "double", BOOL: "boolean", STRINGS: "string[]"}
#: neo4j-admin's default array delimiter first; the others for a graph whose arrays hold it.
_ARRAY_DELIMITERS = (";", "|", "\u00a6", "\u001f")
#: The array delimiter of a streamed export (`export_chunks`), which must be chosen before the
#: first row is written: no `kg extract` record holds a control character.
STREAM_DELIMITER = "\u001f"
#: Labels whose nodes belong to one paper: a streamed export writes them with their paper's
#: chunk. Every other node may be named by papers in many chunks, so it is written once, last.
_PER_PAPER = ("Paper", "Result")
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
        raise InputError(f"cannot write {e.filename or out}: {e.strerror}") from e


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


def _breaks(value: object) -> bool:
    """Whether a value holds a line break, which neo4j-admin reads only with multi-line fields on."""
    if isinstance(value, (list, tuple)):  # an author or alias over two lines makes a cell of two
        return any(_breaks(v) for v in value)
    return isinstance(value, str) and ("\n" in value or "\r" in value)


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
    with AdminCsvWriter(folder, _array_delimiter(graph)) as writer:
        for _, data in graph.nodes(data=True):
            writer.node(data)
        for a, b, data in graph.edges(data=True):
            writer.edge(data, graph.nodes[a], graph.nodes[b])
        return writer.finish(schema)


def export_chunks(chunks: Iterable[nx.MultiDiGraph], folder: Path, *, schema: Sequence[str] = ()) -> AdminCsvWriter:
    """Write the CSV layout of a graph that arrives in chunks, each built from distinct papers by
    `GraphBuilder`s sharing one registry (as `kg load` builds them), without holding the whole
    graph: each chunk's papers, results and relationships are written as it comes; the entities
    and repositories, which recur across chunks, are kept (a few per distinct name) and written at
    the end, as are the edges up a hierarchy, once each. The array delimiter is U+001F, which no
    `kg extract` record holds (it refuses control characters), since it must be chosen before the
    first row. Returns the closed writer: its ``files`` and ``counts``."""
    shared: dict[str, Mapping[str, object]] = {}
    hierarchy: dict[tuple[str, str, str], tuple[Mapping[str, object], str, str]] = {}
    try:
        with AdminCsvWriter(folder, STREAM_DELIMITER) as writer:
            for graph in chunks:
                for node, data in graph.nodes(data=True):
                    if data["label"] in _PER_PAPER:
                        writer.node(data)
                    else:
                        shared[node] = data  # the latest chunk's: its aliases are all the registry gathered
                for a, b, key, data in graph.edges(keys=True, data=True):
                    if data.get("paper_id"):
                        writer.edge(data, graph.nodes[a], graph.nodes[b])
                    else:  # a taxonomy, suite or device edge, which each chunk naming the node repeats
                        hierarchy[(a, b, key)] = (data, a, b)
            for data in shared.values():
                writer.node(data)
            for data, a, b in hierarchy.values():
                writer.edge(data, shared[a], shared[b])
            writer.finish(schema)
    except OSError as e:
        raise InputError(f"cannot write {e.filename or folder}: {e.strerror}") from e
    return writer


class AdminCsvWriter:
    """The files neo4j-admin imports, written a row at a time: one nodes file per label and one
    relationships file per type, each with its typed header, then the import script (which asks
    for multi-line fields only if a value needed them) and schema.cypher."""

    def __init__(self, folder: Path, delimiter: str) -> None:
        if folder.exists() and not folder.is_dir():
            raise InputError(f"cannot write {folder}: csv writes a folder, and {folder} is a file")
        folder.mkdir(exist_ok=True)  # the folder is the output; its parent must exist, as for every -o
        # an earlier export's script goes first and this one's is written last, so an export that
        # fails halfway leaves no import.sh that would load its partial files
        (folder / IMPORT_SCRIPT).unlink(missing_ok=True)
        self.folder = folder
        self.delimiter = delimiter
        self.multiline = False
        self.counts: dict[str, int] = {}
        self.files: list[Path] = []
        self._handles: list[TextIO] = []
        self._writers: dict[str, Any] = {}
        try:
            for spec in NODE_TYPES:
                header = [f"{spec.key}:ID({spec.label})", *_typed(spec.properties), ":LABEL"]
                self._open(f"nodes_{spec.label}.csv", spec.label, header)
            for rel in REL_TYPES:
                header = [f":START_ID({rel.source})", f":END_ID({rel.target})", ":TYPE", *_typed(rel.properties)]
                self._open(f"relationships_{rel.type}.csv", rel.type, header)
            self._record_version()
        except BaseException:
            self.close()
            raise

    def _open(self, name: str, kind: str, header: list[str]) -> None:
        path = self.folder / name
        handle = path.open("w", newline="", encoding="utf-8")
        self._handles.append(handle)
        self.files.append(path)
        self._writers[kind] = csv.writer(handle)
        self._writers[kind].writerow(header)
        self.counts[kind] = 0

    def _record_version(self) -> None:
        """The graph's record of the schema version that wrote it (`kg.store.version`), which kg
        reads before it uses a graph: an imported graph without it is taken for an older kg's."""
        self._open(f"nodes_{META.label}.csv", META.label, [f"{META.key}:ID({META.label})", *_typed(META.properties), ":LABEL"])
        self._row(META.label, [META_ID, SCHEMA_VERSION, False], META.label)
        del self.counts[META.label]  # no part of the graph: counts and summaries leave it out

    def node(self, data: Mapping[str, object]) -> None:
        spec = node_type(str(data["label"]))
        self._row(spec.label, [data.get(spec.key)] + [data.get(name) for name, _ in spec.properties], spec.label)

    def edge(self, data: Mapping[str, object], source: Mapping[str, object], target: Mapping[str, object]) -> None:
        """A relationship; ``source`` and ``target`` are its ends' node data, for their keys."""
        rel = rel_type(str(data["type"]))
        ends = [source[node_type(rel.source).key], target[node_type(rel.target).key], rel.type]
        self._row(rel.type, ends + [data.get(name) for name, _ in rel.properties])

    def _row(self, kind: str, values: list[object], label: str | None = None) -> None:
        self.multiline = self.multiline or any(_breaks(v) for v in values)
        cells = [_csv_cell(_scalar(v, self.delimiter)) for v in values]
        self._writers[kind].writerow(cells if label is None else [*cells, label])
        self.counts[kind] += 1

    def finish(self, schema: Sequence[str]) -> list[Path]:
        """Close the CSV files and write the import script and schema.cypher; all files written."""
        self.close()
        schema_script = self.folder / SCHEMA_SCRIPT
        schema_script.write_text("".join(f"{statement};\n" for statement in schema), encoding="utf-8")
        self.files = [*self.files, _import_script(self.folder, self.files, self.delimiter, self.multiline), schema_script]
        return self.files

    def close(self) -> None:
        for handle in self._handles:
            handle.close()
        self._handles = []

    def __enter__(self) -> AdminCsvWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _typed(properties: Sequence[tuple[str, str]]) -> list[str]:
    return [f"{name}:{_ADMIN_TYPES[t]}" if t in _ADMIN_TYPES else name for name, t in properties]
