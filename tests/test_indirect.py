"""Reported speech without quotation marks, in the shapes news uses, on real parses with the
packaged model: the whole reported clause is the quote, the subject (or owner) its speaker."""

from __future__ import annotations

import pytest


def quote_with(result, words):
    found = [q for q in result.quotes if words in q.quote]
    assert len(found) == 1, [(q.quote, q.type) for q in result.quotes]
    return found[0]


def mention(text, quote):
    return text[quote.speaker_start : quote.speaker_end]


def test_clause_after_the_cue(extract):
    text = "Finance Minister Olaf Berg said on Tuesday that the budget would be balanced by 2026."
    quote = quote_with(extract(text), "budget")
    assert quote.quote == "that the budget would be balanced by 2026"
    assert (quote.type, quote.speaker, quote.cue) == ("indirect", "Olaf Berg", "said")


def test_clause_before_the_cue(extract):
    text = (
        "Maria Lopez runs the shelter.\n\n"
        "The number of families seeking help has doubled since January, she told reporters."
    )
    quote = quote_with(extract(text), "doubled")
    assert quote.quote == "The number of families seeking help has doubled since January"
    assert quote.type == "indirect" and quote.speaker == "Maria Lopez"
    assert mention(text, quote) == "she"


def test_according_to(extract):
    text = "The factory will close in March, according to a spokeswoman for Daimler."
    quote = quote_with(extract(text), "factory")
    assert quote.quote.startswith("The factory will close in March")
    assert quote.type == "indirect" and quote.speaker == "Daimler"
    text = "According to the police report, officers saw the man get out of a car."
    quote = quote_with(extract(text), "officers")
    assert quote.quote == "officers saw the man get out of a car"


def test_nominal_cue_with_its_owner(extract):
    text = "Senator Ruth Hale repeated her claim that the election had been stolen from her party."
    quote = quote_with(extract(text), "election had been stolen")
    assert quote.type == "indirect" and quote.speaker == "Ruth Hale"


def test_denial_and_a_quoted_fragment_make_it_mixed(extract):
    text = 'Prime Minister Ivo Marek denied that his government had "ever spied" on journalists.'
    quote = quote_with(extract(text), "ever spied")
    assert quote.type == "mixed" and quote.speaker == "Ivo Marek"
    assert quote.quote.startswith("that his government had")


def test_a_clause_that_reports_nothing_is_not_a_quote(extract):
    text = "The river rose two metres overnight and flooded the lower town."
    assert extract(text).quotes == []


def test_a_short_quote_in_marks_is_direct_not_indirect(extract):
    # After a leading cue, too short for the rules' direct quotes (they pass over scare
    # quotes); the model finds the clause, and words wholly in marks are the speaker's own.
    text = "Mayor Ana Ruiz spoke after the vote.\n\nAsked about it, Ruiz said, \u201cWe will win.\u201d"
    quote = quote_with(extract(text), "We will win")
    assert (quote.quote, quote.type, quote.speaker) == ("We will win", "direct", "Ana Ruiz")


def test_quoted_words_in_nyt_marks_make_it_mixed(extract):
    text = (
        "Governor Mike Huckabee called for a ban on travelers from countries with a "
        "''strong presence'' of the Islamic State."
    )
    quote = quote_with(extract(text), "strong presence")
    assert quote.type == "mixed" and quote.speaker == "Mike Huckabee"


def test_the_author_of_a_statement_and_the_one_who_began_by_saying(extract):
    text = (
        "Senate Majority Leader Mitch McConnell issued a statement saying that the Senate "
        "should not confirm a replacement this year.\n\n"
        'Judge Richard Berman began by saying, "We will hear every side of this case."'
    )
    result = extract(text)
    assert quote_with(result, "should not confirm").speaker == "Mitch McConnell"
    quote = quote_with(result, "every side")
    assert (quote.type, quote.speaker) == ("direct", "Richard Berman")


def test_a_participle_goes_with_the_verb_before_it_not_one_in_the_quote(extract):
    text = 'Trump attacked Rubio, saying he is "weak on immigration, you know that."'
    quote = quote_with(extract(text), "weak on immigration")
    assert quote.type == "mixed" and quote.speaker == "Trump"
    assert text[quote.speaker_start : quote.speaker_end] == "Trump"


def test_the_author_of_a_charge_is_the_one_who_made_it(extract):
    text = (
        "Donald Trump spoke in Ohio on Monday.\n\n"
        "Trump made similar charges that a federal judge would be biased against him."
    )
    quote = quote_with(extract(text), "would be biased")
    assert quote.speaker == "Donald Trump"


def test_a_name_in_marks_does_not_make_a_clause_mixed(extract):
    text = 'Senator Marco Rubio offered a long defense of the "Gang of Eight" bill on Tuesday.'
    [quote] = [q for q in extract(text).quotes if "Gang of Eight" in q.quote]
    assert quote.type == "indirect"


def test_a_mixed_clause_that_ends_in_a_quotation_keeps_its_closing_mark(extract):
    text = (
        "Hollande denounced the remarks as \u201churtful and humiliating\u201d and warned of "
        "the implications."
    )
    quote = quote_with(extract(text), "hurtful")
    assert quote.quote.endswith("humiliating\u201d") and quote.type == "mixed"


@pytest.mark.parametrize(
    ("intro", "sentence", "speaker", "said_by"),
    [
        # The cue inside the clause it reports, parenthesis and all.
        (
            "Helen Carter chairs the water board.",
            "The new reservoir, she said, would supply the valley for another forty years.",
            "Helen Carter",
            "she",
        ),
        # A report that runs on past a cue set off by commas.
        (
            "Peter Hall runs the port.",
            "The ships will come back, Mr. Hall said, once the channel is dredged next spring.",
            "Peter Hall",
            "Mr. Hall",
        ),
        # One word before the set-off cue begins the report.
        (
            "Nina Ortiz manages the fund.",
            "But, she said, the new rules will make it harder for small firms to raise money.",
            "Nina Ortiz",
            "she",
        ),
    ],
)
def test_a_cue_set_off_by_commas_reports_the_sentence_around_it(
    extract, intro, sentence, speaker, said_by
):
    text = intro + "\n\n" + sentence
    quote = quote_with(extract(text), sentence.split()[3])
    assert quote.quote == sentence.rstrip(".")
    assert quote.type == "indirect" and quote.speaker == speaker
    assert mention(text, quote) == said_by


def test_a_dash_or_a_participle_after_the_report_opens_the_writers_aside(extract):
    text = (
        "Police said officers were searching for another man - a suspect with an outstanding"
        " warrant."
    )
    quote = quote_with(extract(text), "officers")
    assert quote.quote == "officers were searching for another man"
    text = (
        'Mayor Ann Price has repeatedly asked whether the council will be "fair" to her,'
        " engaging in what analysts described as an old tactic."
    )
    quote = quote_with(extract(text), "fair")
    assert quote.quote == 'whether the council will be "fair" to her'
    assert quote.type == "mixed" and quote.speaker == "Ann Price"


def test_a_report_holding_a_mixed_quote_of_a_naming_verb_is_one_quote(extract):
    text = (
        "Clinton campaign manager Robby Mook told CBS on Monday that the campaign expects the"
        " moderator to insert himself into the debate by calling out Trump for his supposed"
        ' "lies" throughout the event.'
    )
    quote = quote_with(extract(text), "lies")
    assert quote.quote.startswith("that the campaign expects the moderator")
    assert quote.type == "mixed" and quote.speaker == "Robby Mook"


def test_an_en_dash_between_words_joins_them(extract):
    text = "The mayor said the Dallas\u2013Fort Worth airport would reopen by the end of next year."
    quote = quote_with(extract(text), "airport")
    assert quote.quote == "the Dallas\u2013Fort Worth airport would reopen by the end of next year"


def test_the_second_verb_of_a_cue_is_not_part_of_what_it_reports(extract):
    text = (
        "Rand Paul said Rubio's tax plan would give money to undocumented immigrants, and"
        " called him a liberal."
    )
    result = extract(text)
    said = quote_with(result, "tax plan")
    assert said.quote == "Rubio's tax plan would give money to undocumented immigrants"
    assert said.speaker == "Rand Paul"
    called = [q for q in result.quotes if q.cue == "called"]
    assert all(q.speaker == "Rand Paul" for q in called)


def test_a_report_holding_a_mixed_quote_and_its_cue_is_the_quote(extract):
    text = (
        "Tom Brady, a former diplomat, said he began calling Libyan groups to"
        ' "help get eyes up" on the ground in Benghazi.'
    )
    quote = quote_with(extract(text), "eyes")
    assert quote.quote.startswith("he began calling Libyan groups")
    assert (quote.type, quote.cue, quote.speaker) == ("mixed", "said", "Tom Brady")


def test_a_clause_before_a_cue_with_a_phrase_after_it(extract):
    # "said in his interview": the phrase after the cue is where it was said, not what.
    text = (
        "Shifting monsoon patterns in South Asia could affect a billion people who depend on"
        " low-lying agriculture, Mr. Obama said in his interview."
    )
    quote = quote_with(extract(text), "monsoon")
    assert quote.quote == text[: text.index(", Mr. Obama")]
    assert (quote.type, quote.speaker, quote.cue) == ("indirect", "Obama", "said")


@pytest.mark.parametrize(
    "text, inner_cue",
    [
        (
            "The museum, Mr. Bush said, celebrated several of his heroes, including the"
            " musician Chuck Berry and the baseball player Willie Mays.",
            "celebrated",
        ),
        (
            "Kadzik's refusal to answer fully did not go over well with Republicans, Mr. Issa"
            " said, and the meeting deteriorated from there.",
            "refusal",
        ),
        (
            "Mr. Obama's advisers said local election officials should reach out to the federal"
            " government to learn how to protect computer systems.",
            "to learn",
        ),
    ],
)
def test_a_clause_inside_a_report_is_not_a_report_of_its_own(extract, text, inner_cue):
    # What the reported clause itself does or refuses is part of the report, not a second
    # quote by its subject (only a speech verb inside a report reports again).
    quotes = extract(text).quotes
    assert [q.cue for q in quotes] == ["said"]
    assert inner_cue not in [q.cue for q in quotes]


def test_a_speech_verb_inside_a_report_reports_again(extract):
    text = (
        "Mr. Grassley said developers had defined these areas to build luxury condos, amounting"
        " to what the senators said was economic gerrymandering."
    )
    result = extract(text)
    assert quote_with(result, "luxury condos").speaker == "Grassley"
    senators = [q for q in result.quotes if q.speaker == "the senators"]
    assert [q.quote for q in senators] == ["what the senators said was economic gerrymandering"]


def test_a_clause_of_why_or_when_after_the_report_is_not_part_of_it(extract):
    text = (
        "Senator Ann Wells criticized the new tax plan as the Senate prepared to vote on it.\n\n"
        "The governor praised the police officers because they had acted quickly."
    )
    quotes = extract(text).quotes
    assert [(q.quote, q.speaker) for q in quotes] == [
        ("the new tax plan", "Ann Wells"),
        ("the police officers", "The governor"),
    ]


def test_the_subject_of_a_passive_cue_is_what_its_agent_reports(extract):
    text = (
        "The Democratic presidential nominee has been endorsed by dozens of papers, from the"
        " Dallas Morning News to the Arizona Republic.\n\n"
        "The bill was passed by Congress with wide support.\n\n"
        "The man was hit by a car on Monday."
    )
    quotes = extract(text).quotes
    assert [(q.quote, q.cue, q.speaker) for q in quotes] == [
        ("The Democratic presidential nominee", "has been endorsed", "dozens of papers"),
        ("The bill", "was passed", "Congress"),
    ]


def test_a_passive_cue_with_no_one_named_may_report_its_whole_clause(extract):
    text = "Mr. Effron has been mentioned as a potential Treasury secretary."
    quotes = extract(text).quotes
    assert [(q.quote, q.cue, q.speaker) for q in quotes] == [
        (text.rstrip("."), "has been mentioned", None)
    ]


@pytest.mark.parametrize(
    "text, quote, speaker",
    [
        (
            "As Mr. Smith put it, the primary requirement is a lawful source of income.",
            "the primary requirement is a lawful source of income",
            "Smith",
        ),
        ("The company failed, as analysts had predicted.", "The company failed", "analysts"),
    ],
)
def test_an_as_clause_reports_the_clause_it_comments_on(extract, text, quote, speaker):
    quotes = extract(text).quotes
    assert [(q.quote, q.speaker) for q in quotes] == [(quote, speaker)]


def test_a_speaker_counted_by_a_quantity_is_named_with_what_it_counts(extract):
    text = (
        "Dozens of papers that backed Romney in 2012 said the plan would fail.\n\n"
        "Many of the senators said the bill was dead."
    )
    quotes = extract(text).quotes
    assert [q.speaker for q in quotes] == ["Dozens of papers", "Many of the senators"]


def test_a_participle_that_reports_a_clause_is_a_second_report(extract):
    text = (
        "Sen. David Perdue said he did not believe those attacks had hurt Romney in 2012,"
        " arguing that divisions in the Republican Party were a bigger hurdle."
    )
    quotes = extract(text).quotes
    assert [(q.quote, q.cue) for q in quotes] == [
        ("he did not believe those attacks had hurt Romney in 2012", "said"),
        ("that divisions in the Republican Party were a bigger hurdle", "arguing"),
    ]
    assert {q.speaker for q in quotes} == {"David Perdue"}


def test_a_cue_set_off_after_a_leading_clause_reports_the_whole_sentence(extract):
    # The parse hangs "If this argument fails" on "argues": the parenthesis still starts at
    # the cue's subject, and the report is the sentence around it.
    text = (
        "If this argument fails to persuade, Mr. Castañeda argues, there are other tools in"
        " the toolbox."
    )
    quote = quote_with(extract(text), "toolbox")
    assert quote.quote == (
        "If this argument fails to persuade, Mr. Castañeda argues, there are other tools in"
        " the toolbox"
    )
    assert mention(text, quote) == "Mr. Castañeda"


@pytest.mark.parametrize("space", ["\u00a0", "  "])
def test_a_run_of_spaces_or_a_no_break_space_after_the_cue(extract, space):
    # Scraped pages hold both; the quote keeps the article's own characters.
    text = f"Melissa Shelby said{space}he refused to follow her commands."
    quote = quote_with(extract(text), "refused")
    assert quote.quote == "he refused to follow her commands"
    assert (quote.speaker, quote.cue) == ("Melissa Shelby", "said")
    text = f"Melissa Shelby said the officer{space}refused to follow her commands."
    quote = quote_with(extract(text), "refused")
    assert quote.quote == f"the officer{space}refused to follow her commands"
