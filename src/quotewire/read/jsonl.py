"""JSONL dumps (optionally gzipped): one article per line, streamed so files of any size work.

Known fields become Article fields; every other field (PolNeAR's "quotes", "split", ...) is
carried through untouched in `Article.extra`.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from collections.abc import Iterator, Mapping
from typing import IO, Any

from quotewire.model import Article, ReadError
from quotewire.read.checks import (
    InputError,
    check_text,
    decode_utf8,
    file_stem,
    mostly_control,
    stream_error_reason,
    to_read_error,
)

_OPTIONAL_FIELDS = ("url", "outlet", "published", "title")
ARTICLE_FIELDS = ("id", "text", *_OPTIONAL_FIELDS)
# JSON escapes and annotations make a record larger than its text; beyond this a line is
# refused unparsed, so one runaway line (or a file with no newlines) cannot exhaust memory.
_LINE_SLACK = 4
_LINE_EXTRA = 1_000_000
_BINARY_LINES = 20  # binary lines in a row after which a file is given up as not JSONL
_GZIP_MAGIC = b"\x1f\x8b"


def _open(path: str, data: bytes | None) -> IO[bytes]:
    compressed = path.lower().endswith(".gz")
    if data is not None:
        stream = io.BytesIO(data)
        return gzip.GzipFile(fileobj=stream, mode="rb") if compressed else stream
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {list: "a list", dict: "an object", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _finite(value: object) -> object:
    """A Parquet row's NaN (a missing value in pandas) is null, as in JSON."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _optional_str(value: object) -> str | None:
    return None if value is None else value if isinstance(value, str) else str(value)


def _record(
    line: bytes, lineno: int, stem: str, path: str, max_bytes: int, names: Mapping[str, str]
) -> Article | ReadError:
    """Turn one line into an Article, or a ReadError naming the line and what is wrong."""
    source = f"{path}:{lineno}"
    article_id = f"{stem}:{lineno}"
    try:
        try:
            # NaN and Infinity (Python's json.dumps writes them) are not JSON: our own
            # output must stay JSON that every parser reads, so they become null.
            data: Any = json.loads(decode_utf8(line), parse_constant=lambda _: None)
        except json.JSONDecodeError as exc:
            # Some messages end in "at" already ("Invalid control character at").
            reason = exc.msg.removesuffix(" at")
            raise InputError(f"not valid JSON ({reason} at column {exc.colno})") from None
        article_id = record_id(data, article_id, names)  # named in the error, if any
        return record_article(data, article_id, source, max_bytes, names)
    except Exception as exc:  # a bad line costs that line only; its source names the line
        return to_read_error(exc, article_id, source)


def _binary(line: bytes) -> bool:
    """A line of binary data: mostly control bytes, or not UTF-8 at all."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return mostly_control(line)


def record_article(
    data: object, article_id: str, source: str, max_bytes: int, names: Mapping[str, str]
) -> Article:
    """An Article from one record (a JSONL line's object, a Parquet row) whose fields are
    named by `names` (every Article field to the record's key for it); `article_id` is used
    when the record has none. Raises InputError on a record that is not an article."""
    if not isinstance(data, dict):
        raise InputError(f"not a JSON object (found {_describe(data)})")
    article_id = record_id(data, article_id, names)
    text = data.get(names["text"])
    if not isinstance(text, str):
        problem = "is missing" if names["text"] not in data else f"is {_describe(text)}, not text"
        raise InputError(f'the "{names["text"]}" field {problem}')
    check_text(text, max_bytes)
    return Article(
        id=article_id,
        text=text,
        source=source,
        extra={key: _finite(value) for key, value in data.items() if key not in names.values()},
        **{name: _optional_str(_finite(data.get(names[name]))) for name in _OPTIONAL_FIELDS},
    )


def record_id(data: object, default: str, names: Mapping[str, str]) -> str:
    """The record's own id when it has one, else `default`."""
    if isinstance(data, dict) and data.get(names["id"]) not in (None, ""):
        return str(data[names["id"]])
    return default


def field_names(fields: Mapping[str, str] | None) -> dict[str, str]:
    """Every Article field to the record's key for it: its own name unless `fields` renames it."""
    return {name: name for name in ARTICLE_FIELDS} | dict(fields or {})


def read_jsonl_file(
    path: str,
    max_bytes: int,
    fields: Mapping[str, str] | None = None,
    data: bytes | None = None,
) -> Iterator[Article | ReadError]:
    """Yield one Article or ReadError per non-blank line; never raises. `fields` maps an
    Article field (id, text, url, outlet, published, title) to the dump's name for it; `data`
    is the file's content when the caller has read it already (a Spark binaryFile row)."""
    stem = file_stem(path)
    names = field_names(fields)
    line_limit = max_bytes * _LINE_SLACK + _LINE_EXTRA
    lineno = 0
    binary_run = 0  # binary lines in a row
    try:
        with _open(path, data) as stream:
            while line := stream.readline(line_limit + 1):
                lineno += 1
                if lineno == 1 and line.startswith(_GZIP_MAGIC):
                    yield ReadError(
                        id=stem, source=path, error="a gzip file: name it .jsonl.gz to read it"
                    )
                    return
                if len(line) > line_limit and not line.endswith(b"\n"):
                    while (rest := stream.readline(_LINE_EXTRA)) and not rest.endswith(b"\n"):
                        pass  # skip the rest of the runaway line, then go on
                    yield ReadError(
                        id=f"{stem}:{lineno}",
                        source=f"{path}:{lineno}",
                        error=f"article too large (the record is over {line_limit} bytes)",
                    )
                elif line.strip():
                    record = _record(line, lineno, stem, path, max_bytes, names)
                    yield record
                    # Only a line that failed is looked at again, to see if it is binary.
                    failed = isinstance(record, ReadError)
                    binary_run = binary_run + 1 if failed and _binary(line) else 0
                    if binary_run == _BINARY_LINES:
                        # Each "line" of a binary file would be an error: one for the file.
                        yield ReadError(
                            id=stem,
                            source=f"{path}:{lineno + 1}",
                            error=f"reading stopped: {_BINARY_LINES} lines in a row are binary "
                            "data, not JSON; is this a JSONL file?",
                        )
                        return
    except Exception as exc:  # the file itself: missing, unreadable, corrupt or truncated gzip
        reason = stream_error_reason(
            exc, "the file" if not path.lower().endswith(".gz") else "the compressed file"
        )
        if lineno:
            # Every good line before the damage has been yielded; say where reading stopped.
            yield ReadError(
                id=stem,
                source=f"{path}:{lineno + 1}",
                error=f"reading stopped: {reason}",
            )
        else:
            yield ReadError(id=stem, source=path, error=reason)
