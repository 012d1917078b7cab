"""Reading JSON a user wrote, where every way it cannot be read is a `json.JSONDecodeError`.

Python refuses to turn a whole number of more than 4,300 digits into an int (a guard against
quadratic-time conversion), and `json.loads` lets that out as a bare ValueError, which the
readers' ``except json.JSONDecodeError`` did not catch: one such number in one record ended a
whole run. Here it is a `NumberTooLong`, a JSONDecodeError, so it is skipped and listed like any
other line that is not JSON.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

#: the most digits Python turns into an int (0: no limit; Python before 3.11 may have none)
INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 0)()


class NumberTooLong(json.JSONDecodeError):
    """JSON holding a whole number longer than Python reads (more than `INT_DIGITS` digits)."""

    #: where the value that holds it ends, when `raw_decode` raised it: reading goes on from there
    end: int | None = None


class _LongNumber(str):
    """Stands in, while a document with a too-long number is read again, for that number."""


def _too_long(text: str | bytes, position: int = 0) -> NumberTooLong:
    """The error for ``text``, pointing at its first run of too many digits where it is found."""
    doc = text.decode("utf-8", errors="replace") if isinstance(text, (bytes, bytearray)) else text
    match = re.compile(rf"\d{{{max(INT_DIGITS, 1) + 1},}}").search(doc, position)
    digits = f"{len(match.group()):,} digits" if match else f"more than {INT_DIGITS:,} digits"
    return NumberTooLong(f"a number of {digits} is too long to read", doc, match.start() if match else position)


def loads(text: str | bytes) -> Any:
    """`json.loads`, raising `NumberTooLong` (a JSONDecodeError) for a number too long to read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as e:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise _too_long(text) from e


def _marked_int(digits: str) -> int | _LongNumber:
    try:
        return int(digits)
    except ValueError:
        return _LongNumber(digits)


_MARKING = json.JSONDecoder(parse_int=_marked_int)
_DECODER = json.JSONDecoder()


def loads_marking(text: str) -> Any:
    """`json.loads`, with each number too long to read left as a marker that `holds_too_long`
    finds: a JSON array of records then loses only the records that hold one. Slower than
    `loads` (a Python call per whole number), so for the second reading only."""
    return _MARKING.decode(text)


def raw_decode(text: str, position: int) -> tuple[Any, int]:
    """`json.JSONDecoder.raw_decode`: the value at ``position`` and where it ends; a value with a
    number too long to read raises `NumberTooLong`, whose ``end`` says where that value ends, so
    the reader can go on after it."""
    try:
        return _DECODER.raw_decode(text, position)
    except json.JSONDecodeError:
        raise
    except ValueError as e:
        _, end = _MARKING.raw_decode(text, position)
        error = _too_long(text, position)
        error.end = end
        raise error from e


def holds_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds half of a UTF-16 pair, as JSON's "\\ud800" escape makes one: no
    store can hold it, and the extractor cannot encode it."""
    return _LONE_SURROGATE.search(text) is not None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def holds_too_long(value: Any) -> bool:
    """Whether a value `loads_marking` read holds a number too long to read."""
    stack = [value]
    while stack:  # iteratively: nesting is as deep as the parser went
        item = stack.pop()
        if isinstance(item, _LongNumber):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
