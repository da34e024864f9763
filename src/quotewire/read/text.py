"""Plain-text articles: the text is kept exactly as given, because offsets refer to it."""

from __future__ import annotations

from quotewire.model import Article, ReadError
from quotewire.read.checks import (
    check_text,
    decode_utf8,
    file_stem,
    read_file_bytes,
    to_read_error,
)


def text_article(data: bytes, article_id: str, source: str, max_bytes: int) -> Article:
    """Build an Article from raw bytes; raises InputError when they are not usable text."""
    text = check_text(decode_utf8(data), max_bytes)
    return Article(id=article_id, text=text, source=source)


def read_text_file(path: str, max_bytes: int, data: bytes | None = None) -> Article | ReadError:
    """Read one .txt (or unknown-extension) file (`data`: its bytes, already read); never
    raises."""
    article_id = file_stem(path)
    try:
        return text_article(read_file_bytes(path, max_bytes, data), article_id, path, max_bytes)
    except Exception as exc:  # any failure belongs to this article, not to the batch
        return to_read_error(exc, article_id, path)
