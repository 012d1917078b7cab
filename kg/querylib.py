"""The library of named Cypher queries (``queries/*.cypher``) and their headers.

Each file opens with ``//`` comment lines: the question on the first, then one
``// @param name = default`` line per parameter (the default as a JSON value),
then what a row means. `kg query FILE` runs a file on its defaults unless
``--param`` says otherwise.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.jsonutil import holds_lone_surrogate
from kg.schema import INT_RANGE
from kg.store.cypher import parameters, statement_count

_PARAM = re.compile(r"^//\s*@param\s+(\w+)\s*=\s*(.+?)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """A query and what its header says: the question it answers, its parameters' defaults (which
    also type the text a user passes with ``-p``), and whether only Neo4j can run it."""

    name: str
    text: str
    question: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)
    neo4j_only: bool = False
    #: one of the library's own queries (`kg queries`), not Cypher or a file of the user's
    library: bool = False


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the header: the question is the first comment line."""
    header: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        header.append(stripped)
    defaults = {m.group(1): parse_value(m.group(2)) for line in header if (m := _PARAM.match(line))}
    question = [line.lstrip("/").strip() for line in header[:1] if not line.lstrip("/").strip().startswith("@")]
    return NamedQuery(
        name=name,
        text=text,
        question=" ".join(question),
        defaults=defaults,
        neo4j_only=any("@neo4j-only" in line for line in header),
    )


def parse_value(raw: str) -> Any:
    """A parameter value: JSON where it parses ("5", "true", "[1,2]", "\"x\""), else the text."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw
    except ValueError:  # more digits than Python turns into a number: no store holds it either
        raise QueryError(
            f"a parameter value is a whole number of {len(raw.strip()):,} characters, too large for the stores (64 bits)"
        ) from None
    except RecursionError:
        raise QueryError(f"a parameter value is nested too deeply to read: {raw[:20]}...") from None


#: how deep a parameter may nest lists and maps
_DEPTH = 32


def _unstorable(value: Any) -> str | None:
    """Why a store cannot take ``value`` as a parameter, said before one fails on it in its own
    words (an overflow, "incompatible function arguments", a list of mixed kinds on the embedded
    store, or maps with other keys there read as the first one's), or None."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > _DEPTH:
            return f"is nested more than {_DEPTH} deep"
        if isinstance(item, str) and holds_lone_surrogate(item):
            return "holds half of a UTF-16 pair (a lone surrogate), which no store can hold"
        if isinstance(item, int) and not isinstance(item, bool) and item not in INT_RANGE:
            return "is a whole number too large for the stores (64 bits)"
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    # every list's items of one shape, now that the depth is known to be small
    stack = [(value, 0)]
    while stack:
        item, _ = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, 0) for v in item.values())
        elif isinstance(item, list):
            shapes = [_shape(v) for v in item if v is not None]
            if other := next((s for s in shapes if not _alike(s, shapes[0])), None):
                return f"mixes {_kind(shapes[0])} and {_kind(other)} in one list; the embedded store takes lists of one kind"
            stack.extend((v, 0) for v in item)
    return None


def _shape(value: Any) -> Any:
    """What kind a value is, all the way down (None: any kind, as a null is)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "numbers"
    if isinstance(value, list):
        inner = [_shape(v) for v in value if v is not None]
        return ("lists", inner[0] if inner else None)
    if isinstance(value, dict):
        return ("maps", tuple(sorted(((str(k), _shape(v)) for k, v in value.items()), key=lambda kv: kv[0])))
    return "text" if isinstance(value, str) else type(value).__name__


def _alike(a: Any, b: Any) -> bool:
    """Whether two shapes can stand in one list: the same kinds, keys and kinds inside, nulls aside."""
    if a is None or b is None:
        return True
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "lists":
        return _alike(a[1], b[1])
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "maps":
        return [k for k, _ in a[1]] == [k for k, _ in b[1]] and all(_alike(x, y) for (_, x), (_, y) in zip(a[1], b[1]))
    return a == b


def _kind(shape: Any) -> str:
    if isinstance(shape, tuple) and shape[0] == "maps":
        return "maps {" + ", ".join(f"{k}: {_kind(v)}" for k, v in shape[1]) + "}"
    if isinstance(shape, tuple):
        return f"lists of {_kind(shape[1])}"
    return "nulls" if shape is None else str(shape)


def typed_params(query: NamedQuery | None, raw: dict[str, str]) -> dict[str, Any]:
    """``--param`` text typed by the query's defaults: a parameter whose default is text takes the
    text as written (an arXiv id "2401.10770" is not the number 2401.1077), one whose default is
    a number or a truth value must be one; a parameter without a default is JSON where it parses."""
    defaults = query.defaults if query else {}
    typed: dict[str, Any] = {}
    for name, text in raw.items():
        default = defaults.get(name)
        if isinstance(default, str):
            typed[name] = text
        elif isinstance(default, bool):
            if text.strip() not in ("true", "false"):
                raise QueryError(f"parameter {name} must be true or false, not {text!r}")
            typed[name] = text.strip() == "true"
        elif isinstance(default, (int, float)):
            value = parse_value(text.strip())
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise QueryError(f"parameter {name} must be a number, not {text!r}")
            whole = isinstance(default, int) and isinstance(value, float) and value.is_integer()
            typed[name] = int(value) if whole else value  # "limit=2.0" is the count 2
        else:
            typed[name] = parse_value(text)
    return typed


def library_dir() -> Path:
    return Path(str(resources.files("kg.queries")))


def list_queries() -> list[NamedQuery]:
    """Every query in the library, by name."""
    folder = library_dir()
    return [
        parse_query(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.cypher"))
    ]


def resolve(query: str) -> NamedQuery:
    """A query given as Cypher text, a path to a ``.cypher`` file, or a library name."""
    if not query.strip():
        raise QueryError("the query is empty: give Cypher, a .cypher file or a library name (`kg queries`)")
    if query.endswith(".cypher"):
        for candidate in (Path(query), library_dir() / Path(query).name):
            if candidate.is_file():
                return _read_query(candidate)
        raise QueryError(_unknown_query(query))
    if re.fullmatch(r"\.{0,2}/?[\w./-]*/[\w./-]*", query):  # a path: "./mine", "queries/top_methods"
        raise QueryError(f"no query file {query}; a query file's name ends in .cypher")
    # a lower-case word is a library name, never a file of the same name in the current folder (a
    # checkout could plant one), nor Cypher (a statement of one word is a keyword: CHECKPOINT)
    if re.fullmatch(r"[\w-]+", query) and not query.isupper():
        if (library_dir() / f"{query}.cypher").is_file():
            return _read_query(library_dir() / f"{query}.cypher")
        raise QueryError(_unknown_query(query))
    return parse_query("<inline>", query)


def library_query(name: str) -> NamedQuery:
    """One of the library's queries by its name, never a file or Cypher of the user's."""
    path = library_dir() / f"{name}.cypher"
    if not re.fullmatch(r"[\w-]+", name) or not path.is_file():
        raise QueryError(_unknown_query(name))
    return _read_query(path)


def _read_query(path: Path) -> NamedQuery:
    """A query file, named by its stem; the library's own files say so."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"cannot read the query file {path}: {getattr(e, 'strerror', None) or 'it is not UTF-8 text'}") from e
    return replace(parse_query(path.stem, text), library=path.parent == library_dir())


def _unknown_query(query: str) -> str:
    names = [q.name for q in list_queries()]
    kind = "query file" if query.endswith(".cypher") else "query named"
    if close := difflib.get_close_matches(Path(query).stem, names, n=1):
        return f"no {kind} {query}; did you mean {close[0]}? (`kg queries` lists the library)"
    return f"no {kind} {query}; the library has: {', '.join(names)}"


def check_one_statement(query: NamedQuery) -> None:
    """Refuse several statements in one query: the embedded store would answer the last one
    only, without a word about the others, and Neo4j refuses them."""
    count = statement_count(query.text)
    if count > 1:
        raise QueryError(f"one statement at a time: this query holds {count}, separated by ';'")


def check_params(query: NamedQuery, params: dict[str, Any]) -> None:
    """Refuse a parameter the query never reads (a misspelt one would otherwise answer on the
    default, looking like a real answer), and one it reads that has no value."""
    read = parameters(query.text)
    known = set(query.defaults) | read
    unknown = sorted(set(params) - known)
    if unknown:
        takes = f"it takes: {', '.join(sorted(known))}" if known else "it takes none"
        raise QueryError(f"the query has no parameter {', '.join(unknown)}; {takes}")
    # one with no value would answer as if it were null
    missing = sorted(read - set(query.defaults) - set(params))
    if missing:
        raise QueryError(f"no value given for {', '.join('$' + name for name in missing)} (kg query -p NAME=VALUE)")
    for name, value in params.items():
        if problem := _unstorable(value):
            raise QueryError(f"parameter {name} {problem}")
        default = query.defaults.get(name)
        if isinstance(default, (int, float)) and not isinstance(default, bool) and (isinstance(value, bool) or not isinstance(value, (int, float))):
            # from Python ({"limit": "3"}): the stores would refuse it in words of their own
            raise QueryError(f"parameter {name} must be a number, not {value!r}")
        if isinstance(default, str) and default and isinstance(value, str) and not value.strip():
            # the stores disagree on it: "x CONTAINS ''" is true on Neo4j, false on the embedded store
            raise QueryError(f"parameter {name} is empty; give it a value")
        if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, (int, float)):
            if isinstance(value, float) and not value.is_integer():
                raise QueryError(f"parameter {name} must be a whole number, not {value:g}")
            if default > 0 and value < 0:  # a count ("limit", "hops")
                raise QueryError(f"parameter {name} must not be negative")
