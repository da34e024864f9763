"""Standard input (`-`): plain text, unless it plainly is an HTML page."""

from __future__ import annotations

import sys

from quotewire.model import Article, ReadError
from quotewire.read.checks import read_stream_bytes, to_read_error
from quotewire.read.html import html_article
from quotewire.read.text import text_article

STDIN_ID = "stdin"
_HTML_STARTS = (b"<html", b"<!doctype")


def looks_like_html(data: bytes) -> bool:
    """True for a page that starts (after whitespace and a BOM) with <html or <!doctype."""
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith(_HTML_STARTS)


def read_stdin(max_bytes: int) -> Article | ReadError:
    """Read all of standard input as one article; never raises."""
    try:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            data = read_stream_bytes(stream, max_bytes)
        else:  # a text-only stand-in for stdin (some embedding hosts)
            data = sys.stdin.read().encode("utf-8")
        build = html_article if looks_like_html(data) else text_article
        return build(data, STDIN_ID, "-", max_bytes)
    except Exception as exc:  # any failure belongs to this article, not to the batch
        return to_read_error(exc, STDIN_ID, "-")
