"""Reading `kg extract` output back (`kg load`, `kg export EXTRACTIONS`): one record per line,
a bad line listed and skipped, and a file of papers refused before anything is opened."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg import jsonutil
from kg.corpus.readers import (
    ReadReport,
    Sources,
    as_paths,
    check_source,
    detect_format,
    json_problem,
    read_papers,
    text_lines,
)
from kg.errors import InputError, NotExtractOutput
from kg.records import Extraction


def extraction_sources(paths: Sources) -> list[Path]:
    """The files of `kg extract` output, each checked before anything is opened or written."""
    paths = as_paths(paths)
    for path in paths:
        check_source(path)
        _check_not_papers(path)
    return paths


def read_extractions(paths: list[Path], report: ReadReport) -> Iterator[Extraction]:
    """Every `kg extract` record in ``paths``, a bad line listed in ``report`` and skipped. The
    caller counts the papers it takes in ``report.papers``."""
    for path in paths:
        for number, line in text_lines(path, report):
            if not line.strip():
                continue
            try:
                extraction = Extraction.from_json(jsonutil.loads(line))
            except json.JSONDecodeError as e:
                report.skip(f"{path.name}:{number}", json_problem(e))
                continue
            except KeyError as e:
                report.skip(
                    f"{path.name}:{number}",
                    f"not a `kg extract` record: it has no {e.args[0]!r} (papers themselves go to `kg build`)",
                )
                continue
            except NotExtractOutput as e:
                report.skip(f"{path.name}:{number}", f"{e} (write one with `kg extract`)")
                continue
            except (TypeError, ValueError, AttributeError, RecursionError):
                report.skip(f"{path.name}:{number}", "not a `kg extract` record (write one with `kg extract`)")
                continue
            yield extraction


def _check_not_papers(path: Path) -> None:
    """Refuse, before the store is opened, a file of papers given to `kg load`: every line would
    be listed as "not a `kg extract` record", and an empty graph left behind. A file the readers
    take for papers in another format (a CSV, a listing page, an Atom feed, a JSON array) is
    refused the same way, once they find a paper in it; other text that is no JSON Lines (notes),
    as not `kg extract` output."""
    fmt = detect_format(path)
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt == "jsonl" and not head.startswith(b"["):
        for _, line in text_lines(path, ReadReport()):
            if line.strip():
                try:
                    first = jsonutil.loads(line)
                except (json.JSONDecodeError, RecursionError):
                    return
                if isinstance(first, dict) and "title" in first and "entities" not in first:
                    raise InputError(f"{path} holds papers, not `kg extract` output; build a graph of them with `kg build {path}`")
                return
        return
    if fmt == "page" and head.startswith(b"{"):  # JSON Lines whose first line is broken: no page
        return
    try:  # streaming: the readers stop at the first paper
        found = next(read_papers([path], format=fmt, report=ReadReport()), None)
    except InputError:
        return  # not papers either: its lines are listed as what they are
    if found is not None:
        raise InputError(
            f"{path} holds papers ({_FORMAT_NAMES[fmt] if fmt != 'jsonl' else 'a JSON array of them'}), not `kg extract` "
            f"output; build a graph of them with `kg build {path}`"
        )
    if head and fmt != "jsonl":  # text that is no JSON and holds no papers (notes): each line would be listed
        raise InputError(f"{path} is not `kg extract` output, which is JSON Lines (one record a line); write it with `kg extract`")


#: how `kg load`'s refusal names a format the readers read papers in
_FORMAT_NAMES = {"csv": "a CSV table", "page": "a listing page", "atom": "an Atom feed"}


__all__ = ["extraction_sources", "read_extractions"]
