"""Read articles from files, directories and standard input, one reader per input format.

`read_inputs` never raises on bad input: every article that cannot be read becomes a
`ReadError` in the stream, and the batch goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

from quotewire.model import Article, ReadError
from quotewire.read.checks import MAX_ARTICLE_BYTES, to_read_error
from quotewire.read.html import read_html_file
from quotewire.read.jsonl import read_jsonl_file
from quotewire.read.stdin import read_stdin
from quotewire.read.text import read_text_file
from quotewire.read.warc import read_warc_file

__all__ = ["MAX_ARTICLE_BYTES", "read_file", "read_inputs"]

# Extensions picked up when walking a directory (anything else there is not an article).
ARTICLE_EXTENSIONS = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz")


def read_file(
    path: str,
    max_bytes: int = MAX_ARTICLE_BYTES,
    fields: Mapping[str, str] | None = None,
    data: bytes | None = None,
) -> Iterable[Article | ReadError]:
    """The articles of one file, by its extension; `data` is its content when the caller has
    read it already (Spark reads files from any Hadoop filesystem as bytes)."""
    name = path.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        return read_jsonl_file(path, max_bytes, fields, data)
    if name.endswith((".warc", ".warc.gz")):
        return read_warc_file(path, max_bytes, data)
    if name.endswith((".html", ".htm")):
        return [read_html_file(path, max_bytes, data)]
    return [read_text_file(path, max_bytes, data)]  # .txt and unknown extensions: plain text


def _walk(directory: str) -> tuple[list[str], list[ReadError]]:
    """Every article file under `directory`, sorted, and errors for subfolders we cannot list."""
    errors: list[ReadError] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename or directory
        reason = f"cannot read folder: {exc.strerror or exc}"
        errors.append(ReadError(id=os.path.basename(where), source=where, error=reason))

    found = [
        os.path.join(root, name)
        for root, _dirs, names in os.walk(directory, onerror=unreadable)
        for name in names
        if name.lower().endswith(ARTICLE_EXTENSIONS)
    ]
    # Sort by path components so a folder's files stay together ("a/x" before "a-b").
    return sorted(found, key=lambda file: file.split(os.sep)), errors


def _expand(
    path: str, max_bytes: int, fields: Mapping[str, str] | None
) -> Iterator[Article | ReadError]:
    if path == "-":
        yield read_stdin(max_bytes)
    elif os.path.isdir(path):
        files, errors = _walk(path)
        yield from errors
        for file in files:
            yield from read_file(file, max_bytes, fields)
    else:
        yield from read_file(path, max_bytes, fields)


def read_inputs(
    paths: list[str],
    *,
    max_bytes: int = MAX_ARTICLE_BYTES,
    fields: Mapping[str, str] | None = None,
) -> Iterator[Article | ReadError]:
    """Yield an Article or a ReadError for every article in `paths`, in order.

    `-` is standard input; a directory yields its .txt/.html/.htm/.jsonl/.jsonl.gz files,
    recursively and sorted; .warc/.warc.gz crawls yield their HTML responses; any other path
    is read by its extension (unknown: plain text). `fields` renames JSONL fields: {"text":
    "body"} reads the article text from "body".
    """
    for raw in paths:
        path = os.fspath(raw)
        records = _expand(path, max_bytes, fields)
        # Readers catch their own errors; this is the last guard so one path can never
        # end the batch.
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as exc:
                yield to_read_error(exc, os.path.basename(path) or path, path)
                break
            yield record
