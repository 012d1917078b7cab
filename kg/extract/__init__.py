"""Reading methods, models, datasets, results and code links out of abstracts.

spaCy loads only when the pipeline is first used, so modules that need just the
gazetteers or canonical names (the graph, the stores) do not pull it in.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {"Extractor": "kg.extract.pipeline", "build_pipeline": "kg.extract.pipeline", "Gazetteer": "kg.extract.gazetteer"}
__all__ = list(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'kg.extract' has no attribute {name!r}")
