"""kg: a knowledge graph of techniques for making large models cheaper.

The library is what the CLI calls, one function per command: ``kg.build``, ``kg.run_query``,
``kg.explain``, ``kg.analyze``, ``kg.stored_graph`` and the rest of ``__all__``; the README's
"Use it from Python" shows them at work (a test runs that example).

The public API is the names in ``__all__``; everything else is an implementation detail. Heavy
modules (spaCy, the stores) load on first use, so ``import kg`` and ``kg --help`` stay quick.
Errors a user can cause are ``KgError``s, each with a one-line message.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ imports on first use
    from kg.api import (
        AnalyzeSummary,
        BuildSummary,
        ExportSummary,
        Fact,
        UpgradeSummary,
        analyze,
        build,
        explain,
        export_extractions,
        extract_to_jsonl,
        load_extractions,
        run_query,
        score_extractor,
        stored_graph,
        upgrade,
        write_graph,
    )
    from kg.config import Settings
    from kg.corpus import ReadReport, make_paper, read_papers
    from kg.errors import KgError
    from kg.evaluate import EvalReport
    from kg.extract import Extractor
    from kg.graph import build_graph
    from kg.records import Extraction, Mention, Paper, Result
    from kg.store import Cancellation, GraphStore, QueryResult, open_store

__version__ = "0.1.0"

_PUBLIC = {
    "Settings": "kg.config",
    "KgError": "kg.errors",
    "Paper": "kg.records",
    "Mention": "kg.records",
    "Result": "kg.records",
    "Extraction": "kg.records",
    "read_papers": "kg.corpus",
    "make_paper": "kg.corpus",
    "Extractor": "kg.extract",
    "build_graph": "kg.graph",
    "open_store": "kg.store",
    "Cancellation": "kg.store",
    "build": "kg.api",
    "extract_to_jsonl": "kg.api",
    "run_query": "kg.api",
    "stored_graph": "kg.api",
    "write_graph": "kg.api",
    "load_extractions": "kg.api",
    "export_extractions": "kg.api",
    "explain": "kg.api",
    "analyze": "kg.api",
    "upgrade": "kg.api",
    "score_extractor": "kg.api",
    # what the functions return, for type hints
    "BuildSummary": "kg.api",
    "ExportSummary": "kg.api",
    "AnalyzeSummary": "kg.api",
    "Fact": "kg.api",
    "UpgradeSummary": "kg.api",
    "ReadReport": "kg.corpus",
    "QueryResult": "kg.store",
    "GraphStore": "kg.store",
    "EvalReport": "kg.evaluate",
}

__all__ = [
    "__version__",
    "Settings",
    "KgError",
    "Paper",
    "Mention",
    "Result",
    "Extraction",
    "read_papers",
    "make_paper",
    "Extractor",
    "build_graph",
    "open_store",
    "Cancellation",
    "build",
    "extract_to_jsonl",
    "run_query",
    "stored_graph",
    "write_graph",
    "load_extractions",
    "export_extractions",
    "explain",
    "analyze",
    "upgrade",
    "score_extractor",
    "BuildSummary",
    "ExportSummary",
    "AnalyzeSummary",
    "Fact",
    "UpgradeSummary",
    "ReadReport",
    "QueryResult",
    "GraphStore",
    "EvalReport",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
