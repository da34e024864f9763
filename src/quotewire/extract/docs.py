"""Fast lookups on a parsed article that spaCy would compute again on every call.

`Doc.text` joins every token each time it is read, and `Doc.char_span` walks the tokens; on a
long article, in loops over quotes and candidates, these dominated the run time. Both are
computed once per Doc here and kept in its `user_data`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

from spacy.tokens import Doc, Span

_TEXT = "quotewire.text"
_STARTS = "quotewire.starts"


def text_of(doc: Doc) -> str:
    """The document's text, joined once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> None:
    """Make `text` the document's text for `text_of`: the article as written, where the Doc's
    own may differ in its kind of spaces (its length and offsets are the same)."""
    # Checked by the last token's end: joining the Doc's text only to compare it would cost
    # what text_of saves.
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if end != len(text):
        raise ValueError(f"the text ({len(text)} chars) does not match the Doc ({end} chars)")
    doc.user_data[_TEXT] = text


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


class Ranges:
    """Membership in a set of [start, end) character ranges in O(log n): a loop over every
    token that asked `any(a <= x < b ...)` of every paragraph was quadratic in article size."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(r for r in ranges if r[0] < r[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]


class Overlaps:
    """The spans that overlap a stretch of text, found by bisection: a candidate clause
    compared with every quote of a long article was quadratic in its size."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._spans: list[tuple[int, int]] = []
        self._longest = 0
        for span in spans or []:
            self.add(span)

    def add(self, span: tuple[int, int]) -> None:
        insort(self._spans, span)
        self._longest = max(self._longest, span[1] - span[0])

    def holds(self, start: int, end: int) -> bool:
        """Does one span hold all of [start, end)?"""
        return any(a <= start and end <= b for a, b in self.over(start, end))

    def over(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that share a character with [start, end)."""
        # A span that starts before start - longest ends before start.
        first = bisect_left(self._spans, (start - self._longest,))
        last = bisect_left(self._spans, (end,))
        return [span for span in self._spans[first:last] if span[1] > start]
