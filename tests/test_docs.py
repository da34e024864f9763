"""The cached lookups agree with spaCy's own, on a real parse."""

from __future__ import annotations

import random

from quotewire.extract.docs import Overlaps, Ranges, span_at, text_of
from quotewire.extract.pipeline import load_nlp, parse


def test_span_at_agrees_with_char_span_everywhere(example_text):
    doc = parse(load_nlp(), example_text)
    # The Doc's own text has plain spaces where the article has no-break ones (they are
    # parsed as spaces); text_of gives the article's text, at the same offsets.
    assert text_of(doc) == example_text and "\u00a0" in example_text
    assert doc.text == example_text.replace("\u00a0", " ")
    for start in range(0, len(example_text), 7):
        for length in (0, 1, 5, 40, 300):
            end = min(len(example_text), start + length)
            ours = span_at(doc, start, end)
            theirs = doc.char_span(start, end, alignment_mode="expand")
            if theirs is None or len(theirs) == 0:
                assert ours is None or len(ours) == 0, (start, end)
            else:
                assert ours is not None and (ours.start, ours.end) == (theirs.start, theirs.end)


def test_ranges_and_overlaps_agree_with_a_scan():
    rng = random.Random(7)
    spans = [(a, a + rng.randint(1, 60)) for a in (rng.randint(0, 2000) for _ in range(300))]
    ranges, overlaps = Ranges(spans), Overlaps(spans[:150])
    for span in spans[150:]:
        overlaps.add(span)
    for start in range(0, 2100, 3):
        end = start + rng.randint(1, 80)
        assert (start in ranges) == any(a <= start < b for a, b in spans)
        assert overlaps.holds(start, end) == any(a <= start and end <= b for a, b in spans)
        assert sorted(overlaps.over(start, end)) == sorted(
            (a, b) for a, b in spans if a < end and start < b
        )
