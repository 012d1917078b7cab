"""Reading papers from the files a user has, or from the bundled sample."""

from kg.corpus.readers import (
    FORMATS,
    ReadReport,
    arxiv_id,
    check_source,
    detect_format,
    json_problem,
    read_papers,
    sample_corpus,
    text_lines,
)

__all__ = ["FORMATS", "ReadReport", "arxiv_id", "check_source", "detect_format", "json_problem", "read_papers", "sample_corpus", "text_lines"]
