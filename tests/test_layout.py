"""Layout annotations: headline, captions with glued credits, boilerplate."""

from __future__ import annotations

from quotewire.extract.layout import (
    BODY,
    BOILERPLATE,
    CAPTION,
    HEADLINE,
    analyse,
    is_boilerplate,
    is_caption,
)


def test_glued_agency_credit_makes_a_caption():
    assert is_caption("President Assad al-BassarREUTERS")
    assert is_caption("Photo: the minister in Damascus")
    assert not is_caption("Assad said there was no direct cooperation with the United States.")


def test_boilerplate_prompts():
    for line in [
        "Would you like to receive news notifications from Daily Express?",
        "Sign up for our free daily newsletter",
        "Read more",
        "Read the rest here.",
        "Follow us on Twitter",
    ]:
        assert is_boilerplate(line), line
    assert not is_boilerplate("Read my lips, he said, no new taxes.")


def test_analyse_labels_paragraphs_without_moving_offsets():
    text = (
        "Minister says talks 'will go on'\n\n"
        "The minister said on Monday that the talks would continue next week in Geneva.\n\n"
        "The minister in GenevaGETTY\n\n"
        "The minister in Geneva\n\n"
        "Read more"
    )
    layout = analyse(text)
    kinds = [(text[p.start : p.end], p.kind) for p in layout.paragraphs]
    assert kinds[0][1] == HEADLINE
    assert kinds[1][1] == BODY
    assert kinds[2] == ("The minister in GenevaGETTY", CAPTION)
    assert kinds[3] == ("The minister in Geneva", CAPTION)
    assert kinds[4] == ("Read more", BOILERPLATE)
