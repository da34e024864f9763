"""Validation shared by every reader: size, binary content, UTF-8 and emptiness.

Readers raise `InputError` with a reason a journalist can act on; the reader turns it into a
`ReadError` so one bad article never stops a batch.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from pathlib import PurePath
from typing import BinaryIO

from quotewire.model import ReadError

MAX_ARTICLE_BYTES = 5_000_000

# Control characters other than \n \r \t \f, which ordinary text legitimately contains.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_RATIO = 0.10
_UTF8_BOM = b"\xef\xbb\xbf"
# A stream (stdin, FIFO) over the limit is drained to report its size, but not forever.
_DRAIN_CAP = 1 << 30
_CHUNK = 1 << 20


class InputError(Exception):
    """An input that cannot become an Article; the message is shown to the user."""


def to_read_error(exc: Exception, article_id: str, source: str) -> ReadError:
    """Turn any failure into a ReadError; unexpected ones keep their message."""
    if isinstance(exc, InputError):
        return ReadError(id=article_id, source=source, error=str(exc))
    return ReadError(
        id=article_id, source=source, error=f"could not read article: {type(exc).__name__}: {exc}"
    )


def file_stem(path: str) -> str:
    """The file name without its extension; `.jsonl.gz` and `.warc.gz` count as one."""
    name = PurePath(path).name
    for double in (".jsonl.gz", ".warc.gz"):
        if name.lower().endswith(double):
            return name[: -len(double)]
    return PurePath(name).stem or name


def too_large(size: int | str, limit: int) -> InputError:
    return InputError(f"article too large ({size} bytes > limit {limit})")


def read_file_bytes(path: str, max_bytes: int, data: bytes | None = None) -> bytes:
    """Read a whole file, refusing one over `max_bytes` before loading it into memory.
    `data` is the file's content when the caller has it already (a Spark binaryFile row)."""
    if data is not None:
        if len(data) > max_bytes:
            raise too_large(len(data), max_bytes)
        return data
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                raise too_large(size, max_bytes)
            return read_stream_bytes(stream, max_bytes)
    except OSError as exc:
        raise InputError(os_error_reason(exc)) from None


def os_error_reason(exc: OSError) -> str:
    """Say why a file could not be read, in words rather than errno names."""
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, PermissionError):
        return "cannot read file: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot read file: {exc.strerror or exc}"


def stream_error_reason(exc: Exception, subject: str) -> str:
    """Why reading a (compressed) stream stopped, in words; `subject` is what broke ("the
    compressed file", "the record")."""
    if isinstance(exc, EOFError):
        return f"{subject} is truncated (it ends too early)"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"{subject} is corrupt ({exc})"
    if isinstance(exc, OSError):
        return os_error_reason(exc)
    # Some libraries quote the bad bytes in their message; keep it short and printable.
    return f"could not read {subject}: {type(exc).__name__}: {str(exc)[:200]!r}"


def read_stream_bytes(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read a stream whose size is unknown in advance (stdin, pipes, growing files)."""
    data = stream.read(max_bytes + 1)
    if len(data) <= max_bytes:
        return data
    total = len(data)
    while total <= _DRAIN_CAP:
        chunk = stream.read(_CHUNK)
        if not chunk:
            raise too_large(total, max_bytes)
        total += len(chunk)
    raise too_large(f"more than {_DRAIN_CAP}", max_bytes)


def mostly_control(data: str | bytes) -> bool:
    pattern = _CONTROL_CHARS if isinstance(data, str) else _CONTROL_BYTES
    return len(pattern.findall(data)) > _BINARY_RATIO * len(data)


def decode_utf8(data: bytes) -> str:
    """Decode UTF-8, dropping a leading BOM; refuse binary and non-UTF-8 bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text is full of NUL bytes; name it rather than call it binary.
        raise InputError("not valid UTF-8 (the file is UTF-16 text; save it as UTF-8)")
    if b"\x00" in data:
        raise InputError("binary content, not text")
    skip = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if mostly_control(data):
            raise InputError("binary content, not text") from None
        offset = skip + exc.start
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset})"
        ) from None


def check_text(text: str, max_bytes: int) -> str:
    """Refuse text that is too large, binary, not encodable or empty; return it unchanged."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        # Only lone surrogates (possible via JSON "\\ud800" escapes) get here.
        raise InputError(
            f"text is not valid Unicode (unpaired surrogate at character {exc.start})"
        ) from None
    if size > max_bytes:
        raise too_large(size, max_bytes)
    if not text.strip():  # before the binary test: "\x1f" and friends are whitespace
        raise InputError("empty article")
    if "\x00" in text or mostly_control(text):
        raise InputError("binary content, not text")
    return text
