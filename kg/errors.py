"""Errors the library raises; the CLI turns each into one line and an exit code.

    KgError
    ├── InputError          a source file cannot be read as papers
    │   └── NotExtractOutput    a record `kg load` is given that `kg extract` could not have written
    ├── SchemaError         a label or relationship type the schema does not have
    ├── StoreError          a graph store failed
    │   ├── StoreUnavailable    the database cannot be reached or opened
    │   ├── AuthError           the database refused the credentials
    │   ├── StoreOutdated       the graph was written by another schema version of kg (`kg upgrade`)
    │   └── QueryError          a query was rejected or failed
    │       └── QueryCancelled      a query was stopped on request before it finished
    ├── EvalError           a gold file cannot be used for evaluation
    ├── GazetteerError      a gazetteer data file is malformed (an edit to kg/extract/data)
    └── FetchError          a live source (arXiv, Hugging Face) could not be fetched
"""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, "..." ending what was cut: a user's value quoted in
    a one-line message or a label stays one short line, however long the value."""
    return text if len(text) <= width else text[: width - 3] + "..."


class KgError(Exception):
    """Root of every error kg raises on purpose."""


class InputError(KgError):
    """A source file cannot be read as papers."""


class NotExtractOutput(InputError):
    """A record `kg load` is given that `kg extract` could not have written; the message says why."""


class SchemaError(KgError):
    """A label or relationship type that the schema does not define."""


class StoreError(KgError):
    """A graph store failed."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened."""


class AuthError(StoreError):
    """The database refused the credentials."""


class StoreOutdated(StoreError):
    """The graph was written by a kg of another schema version; the message says what to run."""


class QueryError(StoreError):
    """A query was rejected or failed."""


class QueryCancelled(QueryError):
    """A query was stopped on request (`kg serve`'s Cancel, or a newer query from the same page)."""


class EvalError(KgError):
    """A gold file cannot be used for evaluation."""


class GazetteerError(KgError):
    """A gazetteer data file in kg/extract/data is malformed: bad text, JSON or columns."""


class FetchError(KgError):
    """A live source (the arXiv API, Hugging Face daily papers) could not be fetched."""
