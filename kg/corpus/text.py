"""How a source file's bytes become text: which encoding it is read in, the first bytes that tell
text from a binary file, and the line that says where a file stops being text in its encoding.

A byte-order mark (UTF-8's or UTF-16's) decides the encoding, as an XML file's own declaration
does (`read_atom` leaves that to the XML parser); otherwise the encoding given (`--encoding`,
``encoding=``), else UTF-8. Nothing is guessed: a file that is not text in its encoding is
refused, with the byte and the line where it stops being so.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from kg.errors import InputError

#: a UTF-16 byte-order mark, as Excel's "Unicode text", Notepad's "Unicode" and PowerShell's
#: `>` write a file: such a file is read as UTF-16
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UTF16 = "utf-16"
UTF8 = "utf-8-sig"  # UTF-8, with its byte-order mark or without


class Skips(Protocol):
    """Where a line that cannot be read is listed (a `ReadReport`)."""

    def skip(self, where: str, why: str) -> None: ...


def check_encoding(name: str | None) -> str | None:
    """The canonical name of a text encoding Python has ("cp1252" for "Windows-1252"), checked
    before any file is opened: a mistyped name is one line, not a failure part way through."""
    if name is None:
        return None
    try:
        "".encode(name)  # refuses codecs of bytes to bytes (base64) and of text to text (rot13) too
        return codecs.lookup(name).name
    except (LookupError, ValueError) as e:
        raise InputError(
            f"unknown text encoding {name!r}; name one Python knows, such as utf-8, cp1252 (Excel on Windows) or latin-1"
        ) from e


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")


def _ascii_compatible(encoding: str) -> bool:
    """Whether a line ends in the byte b"\\n" and ASCII reads as itself (cp1252, latin-1, but not
    UTF-16): such a file can be split into lines before it is decoded."""
    try:
        return _is_utf8(encoding) or "\n{a".encode(encoding) == b"\n{a"  # utf-8-sig writes its BOM first
    except UnicodeError:
        return False


def name_of(encoding: str) -> str:
    """How a message names the encoding: "UTF-8" whether or not its byte-order mark was there."""
    canonical = codecs.lookup(encoding).name
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(canonical, canonical)


def sniff(path: Path, encoding: str | None = None) -> tuple[bytes, str]:
    """The file's first bytes, as UTF-8, and the encoding it is read in (a byte-order mark's,
    else ``encoding``, else UTF-8), once they show it is text."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    if head.startswith(_UTF16_BOMS) and not head.startswith(codecs.BOM_UTF32_LE):
        return head.decode(UTF16, errors="ignore").encode("utf-8"), UTF16
    if head.startswith(codecs.BOM_UTF8):
        return head, UTF8
    if head.startswith(b"\x1f\x8b"):
        raise InputError(f"cannot read {path}: it is gzip-compressed; decompress it first (gunzip -k {path})")
    chosen = UTF8 if encoding is None or _is_utf8(encoding) else encoding
    if not _ascii_compatible(chosen):  # UTF-16 named by --encoding: its zero bytes are text
        return head.decode(chosen, errors="ignore").encode("utf-8"), chosen
    if b"\x00" in head:
        # text in UTF-16 without a byte-order mark has every other byte zero
        little, big = head[1::2].count(0) > len(head) * 0.4, head[0::2].count(0) > len(head) * 0.4
        if len(head) >= 16 and (little or big):
            order = "le" if little else "be"
            raise InputError(
                f"cannot read {path}: it looks like UTF-16 text without a byte-order mark; read it with --encoding "
                f"utf-16-{order} (or convert it: iconv -f UTF-16{order.upper()} -t UTF-8 {path} > converted{path.suffix})"
            )
        raise InputError(f"cannot read {path}: it looks like a binary file, not text")
    return (head if chosen == UTF8 else head.decode(chosen, errors="ignore").encode("utf-8")), chosen


def not_text(path: Path, encoding: str, given: str | None) -> InputError:
    """The error for a file that is not text in ``encoding``, saying where it stops being so
    and, for a file read as UTF-8 because no encoding was given, which one to try: a CSV that
    Excel on Windows saved is in cp1252."""
    where = _undecodable_at(path, encoding)
    at = f" (byte {where[0]}, line {where[1]})" if where else ""
    return InputError(f"cannot read {path}: not {name_of(encoding)} text{at}; {_encoding_hint(path, encoding, given)}")


def _encoding_hint(path: Path, encoding: str, given: str | None) -> str:
    """What to do about a file that is not text in ``encoding``: for one read as UTF-8 because
    no encoding was given, which one to try (a file that Excel on Windows saved is in cp1252)."""
    name = name_of(encoding)
    if _file_has_bom(path):  # which no --encoding overrides
        return f"it begins with a {name} byte-order mark but is not {name} throughout; convert it with iconv first"
    if given is None:
        return "if it comes from Excel or another Windows program, read it with --encoding cp1252 (or latin-1)"
    return "check that --encoding names the encoding it was saved in"


def has_bom(data: bytes) -> bool:
    """Whether ``data`` begins with a byte-order mark (UTF-8's or UTF-16's), which decides the
    encoding whatever else says so."""
    return data.startswith((codecs.BOM_UTF8, *_UTF16_BOMS))


def _file_has_bom(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return has_bom(handle.read(3))
    except OSError:
        return False


def _undecodable_at(path: Path, encoding: str) -> tuple[int, int] | None:
    """The byte offset and line number of the first byte that is not text in ``encoding``,
    streamed: a file of any size, and right where a whole-file offset would not be (a CSV is
    decoded in blocks, each error's offset counted from its block)."""
    if _is_utf8(encoding):
        encoding = "utf-8"  # its BOM is text (U+FEFF), and the offsets count it
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, lines = 0, 1
    try:
        with path.open("rb") as handle:
            while True:
                block = handle.read(1 << 16)
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(block, final=not block)
                except UnicodeDecodeError as e:
                    lines += e.object[: e.start].decode(encoding, errors="replace").count("\n")
                    return offset - pending + e.start, lines
                if not block:
                    return None
                lines += text.count("\n")
                offset += len(block)
    except OSError:
        return None


def read_text(path: Path, encoding: str | None = None) -> str:
    """The whole file as text."""
    _, chosen = sniff(path, encoding)
    try:
        return path.read_text(encoding=chosen)
    except UnicodeDecodeError as e:
        raise not_text(path, chosen, encoding) from e
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e


def text_lines(
    path: Path, report: Skips, *, encoding: str | None = None, advise: bool = False
) -> Iterator[tuple[int, str]]:
    """A file's numbered lines, read one at a time (a file of any size streams); a binary file is
    an error, a line that is not text in the file's encoding is skipped and counted. A file in
    an encoding whose lines cannot be split as bytes (UTF-16) is decoded whole, and a broken
    one is an error.

    With ``advise``, for a file that `--encoding` may be given for, the first line skipped also
    says which encoding to read the file in, as a whole file refused does; the good lines are
    still read. Without it, a file from Windows lists each line with an "é" as not UTF-8 and
    gives no word of how to read them."""
    _, chosen = sniff(path, encoding)
    if not _ascii_compatible(chosen):
        yield from _decoded_lines(path, chosen, encoding)
        return
    name = name_of(chosen)
    advised = not advise
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode(chosen if number == 1 or chosen != UTF8 else "utf-8")
                except UnicodeDecodeError as e:
                    hint = "" if advised else f"; {_encoding_hint(path, chosen, encoding)}"
                    report.skip(f"{path.name}:{number}", f"not {name} text (byte {e.start}){hint}")
                    advised = True
                    continue
                yield number, line
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e


def _decoded_lines(path: Path, encoding: str, given: str | None) -> Iterator[tuple[int, str]]:
    """A UTF-16 file's numbered lines, ended at "\\n" only, as the UTF-8 ones are."""
    try:
        with path.open(encoding=encoding, newline="\n") as handle:
            yield from enumerate(handle, start=1)
    except UnicodeDecodeError as e:
        raise not_text(path, encoding, given) from e
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
