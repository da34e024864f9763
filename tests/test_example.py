"""The first acceptance case: the Daily Express page about Bashar al-Assad, as scraped."""

from __future__ import annotations

ASSAD = "Bashar al-Assad"


def _find(result, needle):
    hits = [q for q in result.quotes if needle in q.quote]
    assert hits, f"no quote containing {needle!r}"
    return hits


def test_offsets_hold(example, example_text):
    assert example.error is None
    for quote in example.quotes:
        assert example_text[quote.start : quote.end] == quote.quote
        for start, end in quote.fragments:
            assert quote.start <= start <= end <= quote.end


def test_four_body_quotes_of_assad(example, example_text):
    needles = {
        "That's true, through third parties": "said",  # Assad said:
        "No, definitely we cannot": "said",  # He said:
        "There is no dialogue.": "said",  # he said:
        "We have bombs, missiles and bullets": "added",  # He added:
    }
    for needle, cue in needles.items():
        body = [q for q in _find(example, needle) if q.repeat_of is None]
        assert len(body) == 1, needle
        quote = body[0]
        assert quote.type == "direct"
        assert quote.speaker == ASSAD
        assert quote.cue == cue
        mention = example_text[quote.speaker_start : quote.speaker_end]
        assert mention in ("Assad", "He", "he")


def test_contract_offsets_of_the_dialogue_quote(example, example_text):
    quote = _find(example, "There is no dialogue.")[0]
    assert (quote.start, quote.end) == (2087, 2160)
    assert (quote.speaker_start, quote.speaker_end) == (2077, 2079)
    assert (quote.cue_start, quote.cue_end) == (2080, 2084)


def test_headline_quote(example, example_text):
    headline = example.headline
    assert headline is not None and headline[0] == 0
    quotes = [q for q in example.quotes if q.start < headline[1]]
    assert len(quotes) == 1
    assert "receives messages on US-led air strikes" in quotes[0].quote
    assert quotes[0].speaker == ASSAD


def test_pull_quote_repeats_its_body_quote(example, example_text):
    hits = _find(example, "sometimes they convey a message, a general message")
    repeats = [q for q in hits if q.repeat_of is not None]
    assert len(repeats) == 1
    pull = repeats[0]
    source = example.quotes[pull.repeat_of]
    assert source.repeat_of is None
    assert source.start < pull.start
    assert (
        "Asked if there was indirect cooperation" in example_text[source.start - 60 : source.start]
    )
    assert pull.speaker == ASSAD
    # The name line under the pull quote credits it; it is not a caption.
    assert example_text[pull.speaker_start : pull.speaker_end] == ASSAD
    assert [pull.speaker_start, pull.speaker_end] not in example.captions


def test_caption_and_newsletter_are_not_quotes(example, example_text):
    caption_text = [example_text[a:b] for a, b in example.captions]
    assert "President Assad al-BassarREUTERS" in caption_text
    assert "President Assad al-Bassar" in caption_text
    notice = example_text.index("Would you like to receive news notifications")
    assert [notice, len(example_text)] in example.boilerplate
    for quote in example.quotes:
        assert not any(a <= quote.start < b for a, b in example.captions + example.boilerplate)


def test_caption_name_is_not_a_speaker(example):
    names = [s.name for s in example.speakers]
    aliases = [a for s in example.speakers for a in s.aliases]
    assert ASSAD in names
    assert not any("Bassar" in n for n in names + aliases)
    assad = next(s for s in example.speakers if s.name == ASSAD)
    assert "Assad" in assad.aliases and assad.kind == "person"


def test_scare_quote_in_an_aside_is_not_a_statement(example):
    # 'declaring them part of a cross-border "caliphate."' reports nobody's words.
    assert not [q for q in example.quotes if "caliphate" in q.quote]


# Every attribution of the article: (words in the quote, type, speaker). The headline and the
# pull quote repeat Assad; the rest are his words in the body, direct, indirect and mixed,
# except the two that the text gives to the United States.
ATTRIBUTIONS = [
    ("receives messages on US-led air strikes", "mixed", ASSAD),
    ("his government is receiving messages", "indirect", ASSAD),
    ("there was no direct cooperation with the United States", "indirect", ASSAD),
    ("third parties -including Iraq - have been conveying general messages", "indirect", ASSAD),
    ("That's true, through third parties", "direct", ASSAD),
    ("Assad cannot be a partner in the campaign", "indirect", "United States"),
    ("the Syrian government had known about the US-led campaign", "indirect", ASSAD),
    ('because he "cannot be in an alliance', "mixed", ASSAD),
    ("No, definitely we cannot", "direct", ASSAD),
    ("There is no dialogue.", "direct", ASSAD),
    ("it had informed the Syrian ambassador", "indirect", "United States"),
    ("his government had been dropping barrel bombs", "indirect", ASSAD),
    ("We have bombs, missiles and bullets", "direct", ASSAD),
]


def test_all_fourteen_attributions(example):
    body = [q for q in example.quotes if q.repeat_of is None]
    for needle, kind, speaker in ATTRIBUTIONS:
        hits = [q for q in body if needle in q.quote]
        assert len(hits) == 1, (needle, [q.quote for q in hits])
        assert (hits[0].type, hits[0].speaker) == (kind, speaker), needle
    pull = [q for q in example.quotes if q.repeat_of is not None]
    assert [(q.speaker, q.type) for q in pull] == [(ASSAD, "direct")]
    # ... and nothing else is given a speaker: 13 in the body and the pull quote.
    assert len([q for q in example.quotes if q.speaker is not None]) == 14


def test_no_quote_is_given_to_the_wrong_speaker(example):
    # The interviewer's questions ("Asked if ...") are not Assad's words, and no caption,
    # adjective or country mentioned in passing becomes a speaker.
    allowed = {ASSAD, "United States", None}
    assert {q.speaker for q in example.quotes} <= allowed
    for quote in example.quotes:
        if quote.quote.startswith("if there was"):
            assert quote.speaker is None
