"""The cached lookups agree with spaCy's own, on a real parse."""

from __future__ import annotations

from quotewire.extract.docs import span_at, text_of
from quotewire.extract.pipeline import load_nlp, parse


def test_span_at_agrees_with_char_span_everywhere(example_text):
    doc = parse(load_nlp(), example_text)
    assert text_of(doc) == doc.text == example_text
    for start in range(0, len(example_text), 7):
        for length in (0, 1, 5, 40, 300):
            end = min(len(example_text), start + length)
            ours = span_at(doc, start, end)
            theirs = doc.char_span(start, end, alignment_mode="expand")
            if theirs is None or len(theirs) == 0:
                assert ours is None or len(ours) == 0, (start, end)
            else:
                assert ours is not None and (ours.start, ours.end) == (theirs.start, theirs.end)
