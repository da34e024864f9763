"""Pull quotes: a paragraph that repeats a quote from the body, for display.

Scraped pages keep them inline, often without quotation marks and with the speaker's name
alone on the next line. They are reported with `repeat_of` so that nobody counts the
statement twice, and the name line is a credit, not a caption.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
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


class _SourceIndex:
    """The body quotes a paragraph might repeat, found without comparing it to each one.

    A paragraph can only be covered by a quote that holds, word for word, most of its words:
    counting shared words through an index of which quote holds which word is linear, where
    running SequenceMatcher over every paragraph and quote was quadratic in article size."""

    def __init__(self, sources: list[tuple[int, list[str]]]) -> None:
        self.sources = dict(sources)
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, words in sources:
            for word, count in Counter(words).items():
                self.postings[word].append((i, count))

    def candidates(self, words: list[str]) -> list[int]:
        shared: Counter[int] = Counter()
        for word, count in Counter(words).items():
            for i, source_count in self.postings.get(word, ()):
                shared[i] += min(count, source_count)
        need = _MIN_COVERAGE * len(words)
        return [i for i, n in shared.items() if n >= need]


def _within(att: Attribution, para: Paragraph) -> bool:
    """Does the quote start in the paragraph, or run through it (a quote over several
    paragraphs is not repeated by its own continuation)?"""
    return any(start < para.end and para.start < end for start, end in att.fragments)


def _is_name_line(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 6 and not re.search(r"[.!?:;,]$", line) and line[:1].isupper()


def find_pull_quotes(text: str, layout: Layout, attributions: list[Attribution]) -> dict[int, int]:
    """Mark pull-quote paragraphs and return {index of the repeat: index of the body quote}.

    Attributions are appended for pull quotes that carry no marks; a quote-marked pull quote
    already found as a floating quote is turned into a repeat.
    """
    repeats: dict[int, int] = {}
    sources = _SourceIndex(
        [
            (i, _words(text[a.start : a.end]))
            for i, a in enumerate(attributions)
            if a.pattern != "floating" and a.type == "direct"
        ]
    )
    by_start = sorted((a.start, i) for i, a in enumerate(attributions))
    starts = [start for start, _ in by_start]
    paragraphs = layout.paragraphs
    for index, para in enumerate(paragraphs):
        if para.kind != BODY:
            continue
        own = sorted(
            i for _, i in by_start[bisect_left(starts, para.start) : bisect_left(starts, para.end)]
        )
        if any(attributions[i].pattern != "floating" for i in own):
            continue  # a paragraph with a cue is reporting, not repeating
        words = _words(para.text(text))
        if len(words) < _MIN_WORDS:
            continue
        best = max(
            (
                (_coverage(words, sources.sources[i]), i)
                for i in sources.candidates(words)
                if not _within(attributions[i], para)
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
