"""kg: a knowledge graph of techniques for making large models cheaper.

The public API is the names in ``__all__``; everything else is an
implementation detail. Heavy modules (spaCy, the stores) load on first use, so
``import kg`` and ``kg --help`` stay quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "Settings": "kg.config",
    "KgError": "kg.errors",
    "Paper": "kg.records",
    "Mention": "kg.records",
    "Result": "kg.records",
    "Extraction": "kg.records",
    "read_papers": "kg.corpus",
    "Extractor": "kg.extract",
    "build_graph": "kg.graph",
    "open_store": "kg.store",
    "build": "kg.api",
    "extract_to_jsonl": "kg.api",
    "run_query": "kg.api",
    "explain": "kg.api",
    "analyze": "kg.api",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
