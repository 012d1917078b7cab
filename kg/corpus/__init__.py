"""Reading papers from the files a user has, or from the bundled sample."""

from kg.corpus.readers import (
    FORMATS,
    ReadReport,
    Sources,
    arxiv_id,
    as_paths,
    check_encoding,
    check_source,
    detect_format,
    json_problem,
    make_paper,
    read_papers,
    sample_corpus,
    text_lines,
)

__all__ = [
    "FORMATS",
    "ReadReport",
    "Sources",
    "arxiv_id",
    "as_paths",
    "check_encoding",
    "check_source",
    "detect_format",
    "json_problem",
    "make_paper",
    "read_papers",
    "sample_corpus",
    "text_lines",
]
