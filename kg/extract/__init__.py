"""Reading methods, models, datasets, results and code links out of abstracts."""

from kg.extract.gazetteer import Gazetteer
from kg.extract.pipeline import Extractor, build_pipeline

__all__ = ["Extractor", "Gazetteer", "build_pipeline"]
