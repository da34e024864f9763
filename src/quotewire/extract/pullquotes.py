"""Pull quotes: a paragraph that repeats a quote from the body, for display.

Scraped pages keep them inline, often without quotation marks and with the speaker's name
alone on the next line. They are reported with `repeat_of` so that nobody counts the
statement twice, and the name line is a credit, not a caption.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from quotewire.extract.attribution import CONFIDENCE, Attribution, without_marks
from quotewire.extract.layout import BODY, PULL_QUOTE, PULL_QUOTE_CREDIT, Layout, Paragraph

_MIN_WORDS = 5
_MIN_COVERAGE = 0.85  # share of the paragraph's words found, in order, in the body quote


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _coverage(part: list[str], whole: list[str]) -> float:
    blocks = SequenceMatcher(None, part, whole, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(part) if part else 0.0


def _is_name_line(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 6 and not re.search(r"[.!?:;,]$", line) and line[:1].isupper()


def find_pull_quotes(text: str, layout: Layout, attributions: list[Attribution]) -> dict[int, int]:
    """Mark pull-quote paragraphs and return {index of the repeat: index of the body quote}.

    Attributions are appended for pull quotes that carry no marks; a quote-marked pull quote
    already found as a floating quote is turned into a repeat.
    """
    repeats: dict[int, int] = {}
    sources = [
        (i, _words(text[a.start : a.end]))
        for i, a in enumerate(attributions)
        if a.pattern != "floating" and a.type == "direct"
    ]
    paragraphs = layout.paragraphs
    for index, para in enumerate(paragraphs):
        if para.kind != BODY:
            continue
        own = [i for i, a in enumerate(attributions) if para.start <= a.start < para.end]
        if any(attributions[i].pattern != "floating" for i in own):
            continue  # a paragraph with a cue is reporting, not repeating
        words = _words(para.text(text))
        if len(words) < _MIN_WORDS:
            continue
        best = max(
            (
                (_coverage(words, source_words), i)
                for i, source_words in sources
                if not (para.start <= attributions[i].start < para.end)
            ),
            default=(0.0, -1),
        )
        if best[0] < _MIN_COVERAGE:
            continue
        para.kind = PULL_QUOTE
        credit = _credit_line(text, paragraphs, index)
        if own:
            target = own[0]
        else:
            start, end = without_marks(text, para.start, para.end)
            attributions.append(
                Attribution(fragments=[[start, end]], type="direct", pattern="pull_quote")
            )
            target = len(attributions) - 1
        att = attributions[target]
        att.pattern = "pull_quote"
        att.inherits = None
        att.speaker_span = (credit.start, credit.end) if credit else None
        att.confidence = CONFIDENCE["floating"]
        repeats[target] = best[1]
    return repeats


def _credit_line(text: str, paragraphs: list[Paragraph], index: int) -> Paragraph | None:
    if index + 1 < len(paragraphs):
        nxt = paragraphs[index + 1]
        if nxt.kind == BODY and _is_name_line(nxt.text(text)):
            nxt.kind = PULL_QUOTE_CREDIT
            return nxt
    return None
