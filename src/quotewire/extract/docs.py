"""Fast lookups on a parsed article that spaCy would compute again on every call.

`Doc.text` joins every token each time it is read, and `Doc.char_span` walks the tokens; on a
long article, in loops over quotes and candidates, these dominated the run time. Both are
computed once per Doc here and kept in its `user_data`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span

_TEXT = "quotewire.text"
_STARTS = "quotewire.starts"


def text_of(doc: Doc) -> str:
    """The document's text, joined once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def span_at(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens that overlap the characters [start, end) (spaCy's "expand" alignment), or
    None when no token does."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = doc.user_data[_STARTS] = [token.idx for token in doc]
    first = max(0, bisect_right(starts, start) - 1)
    if first < len(doc) and doc[first].idx + len(doc[first].text) <= start:
        first += 1  # the start falls in the space after a token
    last = bisect_left(starts, end)
    if first >= last:
        return None
    return doc[first:last]
