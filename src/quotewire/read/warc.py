"""WARC crawls (.warc, .warc.gz), as Common Crawl's news crawl ships them.

Each HTML response record becomes an Article through trafilatura; the URL comes from the
record, the site from the URL's host, and the date from the page or else the crawl date.
Other records (requests, metadata, redirects, images) are not articles and are passed over.

A damaged record (truncated, wrong length, failed digest, unparsable) becomes one ReadError
naming the file and byte offset; reading then resynchronises on the next record start, so
every good record after the damage is still read.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Generator, Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from quotewire.model import Article, ReadError
from quotewire.read.checks import (
    file_stem,
    os_error_reason,
    stream_error_reason,
    to_read_error,
    too_large,
)
from quotewire.read.html import html_article

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_WARC_FIRST_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
_SCAN_CHUNK = 1 << 20


def outlet_of(url: str | None) -> str | None:
    """The site of a URL as readers name it: 'https://www.bbc.co.uk/news/x' -> 'bbc.co.uk'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


class _QuietArchiveIterator(ArchiveIterator):
    """warcio prints a warning for a record of the wrong length; we report it as a ReadError
    instead (its `err_count` still counts it)."""

    INC_RECORD = ""


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    kind = (record.http_headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and ("html" in kind or not kind)


def _damage(record: ArcWarcRecord, iterator: ArchiveIterator, errors_before: int) -> str | None:
    """Why a fully read record cannot be trusted, or None."""
    if getattr(record.raw_stream, "limit", 0) > 0:
        return "record truncated (fewer bytes than its Content-Length)"
    if iterator.err_count > errors_before:
        return "record length is wrong (it is not followed by the record separator)"
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        return "record damaged (its digest does not match its content)"
    return None


def _record_article(
    record: ArcWarcRecord, payload: bytes, path: str, offset: int, max_bytes: int
) -> Article:
    url = record.rec_headers.get_header("WARC-Target-URI")
    crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    article = html_article(
        payload, url or f"{file_stem(path)}@{offset}", f"{path}@{offset}", max_bytes
    )
    article.url = url or article.url
    article.outlet = outlet_of(article.url) or article.outlet
    article.published = article.published or crawled
    return article


def _next_record_start(stream: BinaryIO, after: int, compressed: bool) -> int | None:
    """The offset of the first record start after `after`, or None at the end of the file."""
    # A cut-short plain record runs straight into the next one, so no newline is required.
    magic = _GZIP_MAGIC if compressed else _WARC_MAGIC
    position = after
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK + len(magic))
        if len(chunk) < len(magic):
            return None
        found = chunk.find(magic)
        while found >= 0:
            start = position + found
            if _starts_record(stream, start, compressed):
                return start
            found = chunk.find(magic, found + 1)
        position += _SCAN_CHUNK


def _starts_record(stream: BinaryIO, start: int, compressed: bool) -> bool:
    """Does a WARC header begin at `start` (inside a gzip member when compressed)?"""
    stream.seek(start)
    head = stream.read(4096)
    if compressed:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return _WARC_FIRST_LINE.match(head) is not None


def read_warc_file(
    path: str, max_bytes: int, data: bytes | None = None
) -> Iterator[Article | ReadError]:
    """Yield an Article per HTML response and a ReadError per damaged record; never raises.
    `data` is the file's content when the caller has read it already (a Spark binaryFile row)."""
    stem = file_stem(path)
    try:
        # Closed in the finally below.
        stream: BinaryIO = io.BytesIO(data) if data is not None else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield ReadError(id=stem, source=path, error=os_error_reason(exc))
        return
    try:
        compressed = stream.read(2) == _GZIP_MAGIC[:2]
        start: int | None = 0
        found = 0  # records read, whole or damaged
        while start is not None:
            start, seen = yield from _read_from(stream, start, path, stem, max_bytes, compressed)
            found += seen
        if not found:
            # warcio ends quietly on these; a crawl that gave nothing must say so.
            yield ReadError(
                id=stem,
                source=path,
                error="no WARC record could be read (the file is empty, cut short in its first "
                "record, or not a WARC file)",
            )
    finally:
        stream.close()


def _read_from(
    stream: BinaryIO, start: int, path: str, stem: str, max_bytes: int, compressed: bool
) -> Generator[Article | ReadError, None, tuple[int | None, int]]:
    """Read records from `start` until the end (resume at None) or until damage, which is
    reported before returning where reading should resume; also returns how many records
    (whole or damaged) were met."""
    stream.seek(start)
    iterator = _QuietArchiveIterator(stream, check_digests=True)
    offset = start
    seen = 0
    try:
        for record in iterator:
            seen += 1
            offset = iterator.offset
            errors_before = iterator.err_count
            payload = (
                record.content_stream().read(max_bytes + 1) if _is_html_response(record) else b""
            )
            iterator.read_to_end()
            problem = _damage(record, iterator, errors_before)
            if problem:
                yield ReadError(id=f"{stem}@{offset}", source=f"{path}@{offset}", error=problem)
                return _next_record_start(stream, offset + 1, compressed), seen
            if not _is_html_response(record):
                continue
            try:
                if len(payload) > max_bytes:
                    raise too_large(f"over {max_bytes}", max_bytes)
                yield _record_article(record, payload, path, offset, max_bytes)
            except Exception as exc:  # one page's failure belongs to that page
                yield to_read_error(exc, f"{stem}@{offset}", f"{path}@{offset}")
        return None, seen
    except Exception as exc:  # whatever the damage, it costs this record only
        offset = max(offset, iterator.offset)
        if isinstance(exc, OSError | EOFError | zlib.error):
            reason = stream_error_reason(exc, "the record")
        else:
            # warcio's own errors quote the bad bytes, or come from deep inside it (a header
            # cut short raises AttributeError); the reader needs the what, not the internals.
            reason = "record damaged or truncated (no valid WARC record could be read here)"
        yield ReadError(id=f"{stem}@{offset}", source=f"{path}@{offset}", error=reason)
        return _next_record_start(stream, offset + 1, compressed), seen + 1
