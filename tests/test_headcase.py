"""Title Case headlines, parsed as the sentences they stand for."""

from __future__ import annotations

import pytest

from quotewire.extract.headcase import is_title_case, sentence_cased
from quotewire.extract.pipeline import Extractor
from quotewire.model import Article

BODY = (
    "\nThe lawmakers met on Tuesday in Washington to talk about the plan for next year.\n"
    '"He is a disgrace to the office and to the country," said Cedric Richmond, the caucus'
    " chairman.\nRichmond added that the group would meet again next week."
)


def test_sentence_case_keeps_names_acronyms_and_every_offset():
    headline = "Black Lawmakers Rip Donald Trump As U.N. Envoy Quits Diyarbak\u0130r Talks"
    body = "The senator said Donald Trump was wrong, and the CEO agreed."
    cased = sentence_cased(headline, body)
    assert cased == "Black lawmakers rip Donald Trump as U.N. envoy quits diyarbak\u0130r talks"
    assert len(cased) == len(headline)  # "\u0130".lower() is two characters; it stays
    assert is_title_case(headline) and not is_title_case(cased)


def test_a_title_case_caption_in_the_body_names_nobody():
    body = "\nSenator Speaks At Rally In Ohio\nThe senator said the plan would pass."
    assert sentence_cased("Voters Speak At Last", body) == "Voters speak at last"


@pytest.mark.parametrize("direct_only", [False, True])
def test_a_title_case_headline_loses_no_name_in_either_mode(direct_only):
    text = 'Black Lawmakers Rip Donald Trump As A "Disgusting Fraud"' + BODY
    result = Extractor(direct_only=direct_only).extract(Article(id="t", text=text))
    assert result.error is None
    quote = next(q for q in result.quotes if q.quote.startswith("He is a disgrace"))
    assert quote.speaker == "Cedric Richmond"
    assert "Cedric Richmond" in [s.name for s in result.speakers]


def test_a_letter_whose_lowercase_is_longer_does_not_break_the_article():
    text = "Mayor Of Diyarbak\u0130r Quits Over Talks, Says He Is Done" + BODY
    result = Extractor().extract(Article(id="t", text=text))
    assert result.error is None
