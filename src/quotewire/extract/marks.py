"""Quotation marks: find them, tell quote marks from apostrophes, and pair them.

News uses every convention at once: straight and curly double marks, British single marks,
« », the `` '' of NYT text (and '' for both ends), nested quotes, quotes over several
paragraphs (each paragraph reopens the mark, only the last closes it). Pairing is a small
state machine per mark family, so one stray mark costs at most its own quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quotewire.extract.layout import Paragraph

# (pattern, family, nominal role); longer patterns first so `` and '' win over ` and '.
_MARK_PATTERNS: list[tuple[str, str, str]] = [
    ("``", "double", "open"),
    ("''", "double", "either"),
    ("\u201c", "double", "open"),  # “
    ("\u201d", "double", "close"),  # ”
    ("\u201e", "double", "open"),  # „
    ('"', "double", "either"),
    ("\u00ab", "angle", "open"),  # «
    ("\u00bb", "angle", "close"),  # »
    ("\u2018", "single", "open"),  # ‘
    ("\u2019", "single", "close"),  # ’ (also the typographic apostrophe)
    ("'", "single", "either"),
    ("`", "single", "open"),
]
_MARK_RE = re.compile("|".join(re.escape(p) for p, _, _ in _MARK_PATTERNS))
_MARK_INFO = {p: (fam, role) for p, fam, role in _MARK_PATTERNS}

_OPEN_CONTEXT = set("([{\u2014\u2013-/") | set("\u201c\u201e\u2018\u00ab`\"'")
_CLOSE_CONTEXT = set(".,;:!?)]}\u2014\u2013-/\u2026") | set("\u201d\u2019\u00bb\"'")
# Elisions that start with an apostrophe: 'em, 'til, rock 'n' roll, 'cause.
_ELISIONS = re.compile(r"(?:em|til|n|cause|bout|round|tis|twas|ol)\b", re.IGNORECASE)

# A cue right after a closing mark: '," she said', '," Smith added'.
_CUE_AFTER = re.compile(
    r"\s*(?:[\w.\-]+\s+){1,4}?(?:said|says|added|adds|told|tells|wrote|writes|asked|asks|"
    r"continued|explained|noted|recalled|insisted|declared)\b"
)


@dataclass
class Mark:
    pos: int
    length: int
    family: str  # double | single | angle
    role: str  # open | close | either


@dataclass
class QuoteSpan:
    """A paired quotation: marks and content, maybe over several paragraphs."""

    open_pos: int  # offset of the opening mark
    close_end: int  # offset just after the closing mark
    family: str
    pieces: list[list[int]] = field(default_factory=list)  # content per paragraph

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _classify(text: str, pos: int, length: int, token: str) -> Mark | None:
    """Decide what one mark is from its glyph and its neighbours; None for an apostrophe."""
    family, nominal = _MARK_INFO[token]
    prev = text[pos - 1] if pos > 0 else ""
    nxt = text[pos + length] if pos + length < len(text) else ""
    if family == "single" and length == 1:
        if prev.isalnum() and nxt.isalnum():
            return None  # don't, Assad's, O'Brien
        if (_is_space(prev) or prev in "(") and nxt.isdigit():
            return None  # '90s, ’16
        if (_is_space(prev) or prev in "(") and _ELISIONS.match(text, pos + 1):
            return None
    ctx_open = _is_space(prev) or prev in _OPEN_CONTEXT
    ctx_close = _is_space(nxt) or nxt in _CLOSE_CONTEXT
    if ctx_open and not ctx_close:
        role = "open"
    elif ctx_close and not ctx_open:
        role = "close"
    else:
        role = nominal
    if family == "single" and role == "either" and not ctx_open and not ctx_close:
        return None  # a straight ' inside a word run is an apostrophe
    return Mark(pos, length, family, role)


def find_marks(text: str, start: int = 0, end: int | None = None) -> list[Mark]:
    """Every quotation mark in text[start:end] (apostrophes left out)."""
    end = len(text) if end is None else end
    marks = []
    for m in _MARK_RE.finditer(text, start, end):
        mark = _classify(text, m.start(), m.end() - m.start(), m.group())
        if mark is not None:
            marks.append(mark)
    return marks


def _content(text: str, start: int, end: int) -> list[int]:
    """Content bounds between two marks, without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [start, end]


def _starts_attributed_quote(text: str, marks: list[Mark]) -> bool:
    """Does the paragraph open with a quote of its own ('"Here he is," she said')?

    Then a quote left open above was a stray mark, not a quote running over paragraphs.
    """
    if len(marks) < 2 or marks[1].role == "open":
        return False
    return bool(_CUE_AFTER.match(text, marks[1].pos + marks[1].length))


def _pair_family(text: str, paragraphs: list[Paragraph], family: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    current: QuoteSpan | None = None  # the quote open at this point
    piece_start = 0
    for index, para in enumerate(paragraphs):
        marks = [m for m in find_marks(text, para.start, para.end) if m.family == family]
        if current is not None:
            # A quote left open by the previous paragraph continues only if this one reopens.
            first = marks[0] if marks else None
            if (
                first
                and first.role != "close"
                and not text[para.start : first.pos].strip()
                and not _starts_attributed_quote(text, marks)
            ):
                piece_start = first.pos + first.length
                marks = marks[1:]
            else:
                current = None
        for mark in marks:
            if current is None:
                if mark.role != "close":
                    current = QuoteSpan(mark.pos, 0, family)
                    piece_start = mark.pos + mark.length
            elif mark.role == "open":
                # Two openings in a row: the first was stray; it costs only itself.
                current = QuoteSpan(mark.pos, 0, family)
                piece_start = mark.pos + mark.length
            else:
                current.pieces.append(_content(text, piece_start, mark.pos))
                current.close_end = mark.pos + mark.length
                if current.pieces and current.end > current.start:
                    spans.append(current)
                current = None
        if current is not None:
            nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if nxt is None:
                current = None
            else:
                current.pieces.append(_content(text, piece_start, para.end))
    return spans


def pair_quotes(text: str, paragraphs: list[Paragraph]) -> list[QuoteSpan]:
    """Paired quotations, outermost only, in text order.

    Quotes nested inside another (a single-marked quote inside a double-marked one, or the
    reverse in British style) stay part of the outer quote.
    """
    spans = [
        s for fam in ("double", "single", "angle") for s in _pair_family(text, paragraphs, fam)
    ]
    spans.sort(key=lambda s: (s.open_pos, -s.close_end))
    kept: list[QuoteSpan] = []
    for span in spans:
        # Kept spans never overlap and come in text order, so only the last one can hold
        # or cross this one (comparing with all of them was quadratic in quotes).
        last = kept[-1:]
        if any(k.open_pos <= span.open_pos and span.close_end <= k.close_end for k in last):
            continue  # nested
        crossing = [k for k in last if k.open_pos < span.open_pos < k.close_end]
        if crossing:
            # Crossing pairs: one is wrong; double marks are the more reliable family.
            if span.family == "double" and all(k.family != "double" for k in crossing):
                kept = [k for k in kept if k not in crossing]
            else:
                continue
        kept.append(span)
    return kept
