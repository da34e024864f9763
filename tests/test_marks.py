"""Quotation marks in every convention news uses, told apart from apostrophes."""

from __future__ import annotations

from quotewire.extract.layout import split_paragraphs
from quotewire.extract.marks import pair_quotes


def contents(text: str) -> list[str]:
    return [text[q.start : q.end] for q in pair_quotes(text, split_paragraphs(text))]


def test_straight_and_curly_double_marks():
    assert contents('He said "we will win" and left.') == ["we will win"]
    assert contents("He said \u201cwe will win\u201d and left.") == ["we will win"]


def test_british_single_marks_are_not_apostrophes():
    text = "Assad's view: 'we don't have barrels' in the '90s, rock 'n' roll and O'Brien's."
    assert contents(text) == ["we don't have barrels"]
    curly = "The minister\u2019s aide said \u2018it isn\u2019t over\u2019 on Monday."
    assert contents(curly) == ["it isn\u2019t over"]


def test_guillemets_and_nyt_backticks_and_double_apostrophes():
    assert contents("Il a dit \u00abnous gagnerons\u00bb hier.") == ["nous gagnerons"]
    assert contents("He said ``we will win'' today.") == ["we will win"]
    assert contents("''Tell that to the janitor,'' Mr. Biden said.") == [
        "Tell that to the janitor,"
    ]


def test_nested_quote_stays_inside_the_outer_one():
    text = "\u201cHe told me \u2018never again\u2019 and meant it,\u201d she said."
    assert contents(text) == ["He told me \u2018never again\u2019 and meant it,"]


def test_quote_over_several_paragraphs():
    text = (
        'He said: "The first paragraph goes on.\n\n'
        '"The second one as well.\n\n'
        '"And this one ends it."\n\nAfter.'
    )
    spans = pair_quotes(text, split_paragraphs(text))
    assert len(spans) == 1
    assert len(spans[0].pieces) == 3
    assert text[spans[0].start : spans[0].end].endswith("ends it.")


def test_unbalanced_mark_costs_only_its_own_quote():
    text = (
        'A stray "mark opens here and never closes.\n\n'
        'Then "a real quote" follows, and "another one" too.'
    )
    assert contents(text) == ["a real quote", "another one"]


def test_stray_open_before_an_attributed_quote_is_dropped():
    text = '"Melanie thought it was outrageous.\n\n"Here he is, babe," she said.'
    assert contents(text) == ["Here he is, babe,"]
