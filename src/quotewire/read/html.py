"""HTML pages: trafilatura extracts the article text and its metadata.

The offsets of later stages refer to the extracted text, so the Article says so
(`text_is_extracted=True`).
"""

from __future__ import annotations

import codecs
import re

import trafilatura

from quotewire.model import Article, ReadError
from quotewire.read.checks import (
    InputError,
    check_text,
    decode_utf8,
    file_stem,
    read_file_bytes,
    to_read_error,
)

# <meta charset="..."> or <meta http-equiv=... content="text/html; charset=...">, near the top.
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}


def _decode_html(data: bytes) -> str:
    """UTF-8 first; a page that declares another charset (saved pages often do) is honoured."""
    try:
        return decode_utf8(data)
    except InputError as utf8_error:
        match = _META_CHARSET.search(data[:_SNIFF_BYTES])
        if not match:
            raise
        label = match.group(1).decode("ascii").lower()
        try:
            encoding = "cp1252" if label in _AS_CP1252 else codecs.lookup(label).name
            if encoding == "utf-8":
                raise utf8_error
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            raise utf8_error from None


# A start tag long enough to hold thousands of attributes; and one attribute in it.
_LONG_TAG = re.compile(r"<([A-Za-z][\w:-]*)(\s[^<>]{4096,})>")
_ATTRIBUTE = re.compile(r"""\s*[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
_MAX_ATTRIBUTES = 1000


def _tame_tags(page: str) -> str:
    """Cut a tag's attributes to the first thousand. libxml2 takes time quadratic in the
    attributes of one tag: 200,000 of them (no real page has a hundred) stalled the reader
    for minutes, and trafilatura parses a page several times."""

    def tame(tag: re.Match[str]) -> str:
        attributes = _ATTRIBUTE.findall(tag.group(2))
        if len(attributes) <= _MAX_ATTRIBUTES:
            return tag.group(0)
        return f"<{tag.group(1)}{''.join(attributes[:_MAX_ATTRIBUTES])}>"

    return _LONG_TAG.sub(tame, page)


def _normalise(line: str) -> str:
    return " ".join(line.split()).casefold()


def _with_headline(text: str, title: str | None) -> str:
    """Put the headline in the text (it carries quotes) unless it is already the first line."""
    if not title or not title.strip():
        return text
    first_line = text.lstrip().split("\n", 1)[0]
    if _normalise(first_line) == _normalise(title):
        return text
    return f"{title.strip()}\n\n{text}"


def html_article(data: bytes, article_id: str, source: str, max_bytes: int) -> Article:
    """Extract an Article from raw HTML bytes; raises InputError when there is no article."""
    page = _tame_tags(check_text(_decode_html(data), max_bytes))
    text = trafilatura.extract(
        page,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        favor_recall=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise InputError("no article text found in HTML")
    meta = trafilatura.extract_metadata(page)
    title = meta.title if meta else None
    return Article(
        id=article_id,
        text=_with_headline(text, title),
        url=meta.url if meta else None,
        outlet=meta.sitename if meta else None,
        published=meta.date if meta else None,
        title=title,
        source=source,
        text_is_extracted=True,
    )


def read_html_file(path: str, max_bytes: int, data: bytes | None = None) -> Article | ReadError:
    """Read one .html/.htm file (`data`: its bytes, already read); never raises."""
    article_id = file_stem(path)
    try:
        return html_article(read_file_bytes(path, max_bytes, data), article_id, path, max_bytes)
    except Exception as exc:  # any failure belongs to this article, not to the batch
        return to_read_error(exc, article_id, path)
