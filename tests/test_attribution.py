"""Speakers of direct quotes in the shapes news uses, on real parses."""

from __future__ import annotations


def only(result):
    assert len(result.quotes) == 1, [q.quote for q in result.quotes]
    return result.quotes[0]


def mention(text, quote):
    return text[quote.speaker_start : quote.speaker_end]


def test_trailing_cue_with_pronoun(extract):
    text = (
        "Senator Jane Miller visited the plant on Monday.\n\n"
        '"We cannot let these jobs go overseas," she said.'
    )
    quote = only(extract(text))
    assert quote.quote == "We cannot let these jobs go overseas,"
    assert quote.speaker == "Jane Miller"
    assert mention(text, quote) == "she"
    assert quote.cue == "said"


def test_inverted_cue_said_smith(extract):
    text = '"The market will recover by spring," said Robert Hale, an economist at the bank.'
    quote = only(extract(text))
    assert quote.speaker == "Robert Hale"
    assert "Hale" in mention(text, quote)


def test_leading_cue_with_colon_and_addressee(extract):
    text = 'The governor told reporters: "There will be no new taxes this year."'
    quote = only(extract(text))
    assert quote.quote == "There will be no new taxes this year."
    assert mention(text, quote) == "The governor"
    assert quote.cue == "told"


def test_according_to(extract):
    text = 'According to the mayor, "The bridge will reopen in March after the repairs."'
    result = extract(text)
    quote = only(result)
    assert mention(text, quote) == "the mayor"


def test_interrupted_quote_is_one_quote_with_fragments(extract):
    text = '"By locking in China," Mr. Obama said, "it now allowed me to go to India and Brazil."'
    quote = only(extract(text))
    assert len(quote.fragments) == 2
    first, second = quote.fragments
    assert text[first[0] : first[1]] == "By locking in China,"
    assert text[second[0] : second[1]] == "it now allowed me to go to India and Brazil."
    assert quote.speaker == "Obama"


def test_floating_quote_continues_the_previous_speaker(extract):
    text = (
        '"We will fight this ruling in every court," Maria Lopez said.\n\n'
        '"Nobody should have to wait ten years for justice in this country."'
    )
    result = extract(text)
    assert len(result.quotes) == 2
    assert [q.speaker for q in result.quotes] == ["Maria Lopez", "Maria Lopez"]
    assert result.quotes[1].confidence < result.quotes[0].confidence


def test_dash_credit(extract):
    text = '"He represents our greatest shame and he knows it." \u2015 Sonya Herridge'
    quote = only(extract(text))
    assert quote.speaker == "Sonya Herridge"


def test_transcript_turns(extract):
    text = (
        "WALLACE: Will Gennifer Flowers be at the debate tomorrow night, Governor?\n\n"
        "PENCE: She will not be attending the debate tomorrow night."
    )
    result = extract(text)
    assert [q.speaker for q in result.quotes] == ["WALLACE", "PENCE"]
    assert result.quotes[1].quote == "She will not be attending the debate tomorrow night."


def test_scare_quotes_and_titles_are_not_statements(extract):
    text = (
        "Critics called the plan a \u201cdisaster\u201d on Monday.\n\n"
        "She appeared on \u201cMorning Joe\u201d and \u201cAll Bets Are Off.\u201d"
    )
    assert [q for q in extract(text).quotes if q.type == "direct"] == []


def test_pronoun_takes_the_nearest_person_of_its_gender(extract):
    text = (
        "Hillary Clinton met Bill de Blasio in New York on Tuesday.\n\n"
        '"This city deserves better schools and safer streets," he said.'
    )
    quote = only(extract(text))
    assert quote.speaker == "Bill de Blasio"


def test_trailing_cue_before_a_quoted_question_it_introduces(extract):
    # The parser makes the second quote's verb the complement of "said"; after a quote that
    # ends in a comma, that is the rest of the sentence, not another report of the verb.
    text = (
        "Bernie Sanders spoke on Friday.\n\n"
        '"The American people do not agree with Trump," Sanders said, suggesting a few '
        'questions, including, "Mr. Trump, do you really think that billionaires need a '
        'massive tax break?"'
    )
    quote = next(q for q in extract(text).quotes if "American people" in q.quote)
    assert (quote.type, quote.speaker, quote.cue) == ("direct", "Bernie Sanders", "said")
    assert mention(text, quote) == "Sanders"


def test_a_name_and_a_colon_introduce_a_quote(extract):
    text = 'The surge does not surprise pollster Daron Shaw: "Lesser-known candidates see the biggest boost."'
    quote = only(extract(text))
    assert quote.type == "direct" and quote.speaker == "Daron Shaw"


def test_an_interrupted_quote_with_exclaimed(extract):
    text = (
        '"Everything you have said," the judge exclaimed, "has totally overlapped with my notes."'
    )
    quote = only(extract(text))
    assert len(quote.fragments) == 2 and quote.cue == "exclaimed"


def test_a_quote_that_ends_its_sentence_does_not_take_the_next_sentences_cue(extract):
    text = (
        'Defence lawyer Ben Brafman said, "The zeal of the prosecution is uncharacteristic." '
        'He added, "Things happened here that are not ordinary at all."'
    )
    quotes = extract(text).quotes
    assert [(q.cue, q.speaker) for q in quotes] == [
        ("said", "Ben Brafman"),
        ("added", "Ben Brafman"),
    ]


def test_a_quote_over_several_paragraphs_is_not_its_own_pull_quote(extract):
    text = (
        'Wendy Clark remembered the night well. "Okay," I said. "I was seventeen years old and '
        "I had no idea what was coming.\n\n"
        '"The experience was terrifying for all of us who were there that night.\n\n'
        '"Wendy was one of that group, and she never forgot it."'
    )
    quotes = extract(text).quotes
    assert all(q.repeat_of is None for q in quotes), [(q.quote, q.repeat_of) for q in quotes]
    assert sum("Wendy was one of that group" in q.quote for q in quotes) == 1


def test_a_sentence_between_quotes_ends_the_run_of_pieces(extract):
    text = (
        '"Your Honor," I said, "I would like to answer your question." The judge interrupted '
        'me. "Explain to me why you are here."'
    )
    quotes = extract(text).quotes
    assert len(quotes[0].fragments) == 2
    assert all("Explain" not in q.quote for q in quotes if q.cue == "said")


def test_said_asked_about_it_still_attributes_the_quote(extract):
    text = (
        '"It has been seven-and-a-half years," Senator John McCain said, asked about the '
        'vagueness in an interview. "Why should I be surprised?"'
    )
    quote = next(q for q in extract(text).quotes if "seven-and-a-half" in q.quote)
    assert (quote.type, quote.speaker, quote.cue) == ("direct", "John McCain", "said")


def test_a_quote_after_instead_goes_on_with_the_speaker_before(extract):
    text = (
        '"He is supposed to be a cheerleader for this country," Donald Trump said. Instead, '
        '"he just acts like a defeated man." Critics called it "a con" and "sick."'
    )
    quotes = extract(text).quotes
    follow = next(q for q in quotes if "defeated man" in q.quote)
    assert (follow.type, follow.speaker) == ("mixed", "Donald Trump")
    assert follow.quote.startswith("Instead,")
    assert not any(q.quote.startswith("and") for q in quotes)


def test_a_title_after_the_cue_is_not_the_second_half_of_the_quote(extract):
    text = (
        '"There is hatred like nobody has ever seen," the candidate said in an interview with '
        'Sirius XM\'s "Breitbart News Daily." Earlier, Sen. Chuck Grassley spoke.\n\n'
        "WASHINGTON \u2014 Sen. Chuck Grassley said the nominee would get no hearing this year."
    )
    quotes = extract(text).quotes
    assert len(quotes[0].fragments) == 1 and "Breitbart" not in quotes[0].quote
    grassley = next(q for q in quotes if "no hearing" in q.quote)
    assert text[grassley.speaker_start : grassley.speaker_end] == "Sen. Chuck Grassley"


def test_after_a_colon_or_as_someone_put_it_the_words_are_the_quote(extract):
    text = (
        'Sanders has said the same thing at every rally: "It is not about me, it is about us."'
        "\n\nOr, as Tom Ridge, a former secretary, put it: ''The barbarians are no longer at "
        "the gate. They're inside.''"
    )
    result = extract(text)
    assert [(q.type, q.speaker, q.cue) for q in result.quotes] == [
        ("direct", "Sanders", "has said"),
        ("direct", "Tom Ridge", "put"),
    ]
    assert result.quotes[0].quote == "It is not about me, it is about us."


def test_he_went_on_is_the_unnamed_speaker_before(extract):
    text = (
        '"I think we ought to start it up again," the Republican candidate said in an '
        'interview.\n\n"This is a lot of nonsense that we ended that," he went on.'
    )
    quote = extract(text).quotes[1]
    assert (quote.cue, mention(text, quote)) == ("went on", "he")
    assert quote.speaker == "the Republican candidate"


def test_short_whole_sentence_quotes_and_any_verb_of_saying(extract):
    text = (
        'He wanted a gun truck. "Technicals," Bob said. The militias were evasive.\n\n'
        '"We will never give up," Smith barked. "This fight is far from over."\n\n'
        "\u201cThere might be a political result that adherence to the rules achieved,\u201d "
        "Ash wrote."
    )
    result = extract(text)
    found = {q.quote.split('"')[0][:20]: (q.type, q.speaker, q.cue) for q in result.quotes}
    assert found["Technicals,"] == ("direct", "Bob", "said")
    barked = next(q for q in result.quotes if q.cue == "barked")
    assert barked.speaker == "Smith" and len(barked.fragments) == 2
    assert ("direct", "Ash", "wrote") in found.values()


def test_according_to_after_a_cue_and_a_colon_without_one(extract):
    text = (
        '"I greeted him and nothing more. This is called good manners," the pope told '
        "reporters, according to Reuters, during a flight from Lesbos.\n\n"
        "In a later interview, Trump went even further: \"If he loses, it's the end of his "
        'career."\n\n'
        '"Anyone claiming that our economy is in decline is peddling fiction," Mr. Obama told '
        'the lawmakers, who could easily guess the "anyone" he had in mind.'
    )
    result = extract(text)
    pope = [q for q in result.quotes if "good manners" in q.quote]
    assert [(q.type, q.cue) for q in pope] == [("direct", "told")]
    further = next(q for q in result.quotes if "end of his career" in q.quote)
    assert (further.type, further.speaker) == ("direct", "Trump")
    fiction = next(q for q in result.quotes if "peddling fiction" in q.quote)
    assert (fiction.type, fiction.speaker, fiction.cue) == ("direct", "Obama", "told")


def test_words_in_marks_further_on_in_the_speakers_sentence_are_not_the_rest_of_the_quote(
    extract,
):
    text = (
        '"I\'m all for the Second Amendment," says Jorge Llamas, but he was shocked when he '
        'heard about the "gun show loophole" that lets buyers skip checks.\n\n'
        '"Every time you say that," Tester said, referring to the excuse, "you give ammunition '
        'to the other side."'
    )
    result = extract(text)
    llamas = next(q for q in result.quotes if q.cue == "says")
    assert llamas.fragments == [[1, 34]]
    tester = next(q for q in result.quotes if "Every time" in q.quote)
    assert len(tester.fragments) == 2


def test_the_second_piece_of_an_interrupted_mixed_quote(extract):
    text = (
        'The senator\'s record means "he must be doing something right," she says, "but I '
        "don't know if I would vote for him.\""
    )
    quote = only(extract(text))
    assert quote.type == "mixed" and len(quote.fragments) == 2
    assert text[slice(*quote.fragments[1])] == "but I don't know if I would vote for him."


def test_a_title_in_marks_between_the_pieces_of_a_quote(extract):
    text = (
        '"Of course we\'re going to release our records," Sanders said during an interview on '
        'CNN\'s "State of the Union" Sunday. "It is not a problem."'
    )
    quote = only(extract(text))
    assert [text[a:b] for a, b in quote.fragments][1] == "It is not a problem."


def test_a_paragraph_ending_he_said_colon_introduces_the_next(extract):
    text = (
        "Donald Trump answered with the example of Chicago.\n\n"
        "He said:\n\n"
        '"We have a situation where our inner cities are in very bad shape."\n\n'
        "The bias shows in how the website rated this statement:\n\n"
        '"African-American youth is an example of what has gone wrong."'
    )
    result = extract(text)
    quote = next(q for q in result.quotes if "inner cities" in q.quote)
    assert (quote.type, quote.speaker, quote.cue) == ("direct", "Donald Trump", "said")
    assert not [q for q in result.quotes if "youth" in q.quote]


def test_a_headline_gives_a_speaker_a_colon_and_a_claim(extract):
    text = (
        "Pence: Gennifer Flowers Won't Be at Debate, Trump Was 'Mocking' Clinton Camp.\n\n"
        "Republican vice presidential nominee Mike Pence spoke to Fox News on Sunday morning"
        " about the first presidential debate and who would sit in the audience at Hofstra."
    )
    quote = only(extract(text))
    assert quote.quote == "Gennifer Flowers Won't Be at Debate, Trump Was 'Mocking' Clinton Camp"
    assert (quote.type, quote.cue, quote.speaker) == ("mixed", ":", "Mike Pence")
    assert mention(text, quote) == "Pence"
    text = (
        "Obama on Climate Change: The Trends Are Terrifying.\n\n"
        "President Obama spoke to the Times about the warming of the planet, the storms of"
        " the last summer and the agreement that the nations of the world reached in Paris."
    )
    quote = only(extract(text))
    assert (quote.quote, quote.type, mention(text, quote)) == (
        "The Trends Are Terrifying",
        "indirect",
        "Obama",
    )


def test_a_headline_label_or_sentence_before_a_colon_is_no_speaker(extract):
    for headline in (
        "The Latest: Trump delivers defense of New York values.",
        "Bill is back: Hillary's husband on campaign trail in New Hampshire.",
        "Ted Cruz: Constitutional conservative or another typical career politician?",
        "New Hampshire: Voters in three towns cast the first ballots of the primary.",
    ):
        text = headline + (
            "\n\nTed Cruz and Bill Clinton campaigned in New Hampshire on Monday, each of them"
            " in three towns, before the voters of the state go to the polls next week."
        )
        assert [q.quote for q in extract(text).quotes if q.cue == ":"] == [], headline


def test_a_headline_in_title_case_is_parsed_as_a_sentence(extract):
    text = (
        "Black Lawmakers Rip Donald Trump As A 'Disgusting Fraud.'\n\n"
        "Members of the Congressional Black Caucus on Friday criticized Donald Trump for his"
        " remarks about black Americans, which they said showed that he knows nothing of them."
    )
    result = extract(text)
    quote = next(q for q in result.quotes if "Fraud" in q.quote)
    assert quote.cue == "Rip" and mention(text, quote) == "Black Lawmakers"
    assert quote.quote.startswith("Donald Trump As A 'Disgusting Fraud")
    assert text[quote.start : quote.end] == quote.quote  # the headline's own words


def test_a_headline_speaker_is_a_name_the_article_uses_whole(extract):
    body = (
        "\n\nMichael Mukasey, who once led the Justice Department, spoke at the convention in"
        " Cleveland on Tuesday, a day after a columnist for The New York Times wrote about him."
    )
    text = "Mukasey At RNC: Clinton Should Be Charged Over Her Emails" + body
    quote = next(q for q in extract(text).quotes if q.cue == ":")
    assert (quote.quote, quote.speaker) == (
        "Clinton Should Be Charged Over Her Emails",
        "Michael Mukasey",
    )
    assert mention(text, quote) == "Mukasey"
    # "New" is a word of "The New York Times", but "New Rules" is no name of the article's.
    text = "New Rules: Delegates Must Vote For The Winner Of Their State" + body
    assert [q.quote for q in extract(text).quotes if q.cue == ":"] == []


def test_a_headline_claim_is_direct_only_when_one_quotation_is_all_of_it(extract):
    body = (
        "\n\nDonald Trump spoke for an hour at the rally in Ohio on Tuesday night, before a crowd"
        " of several thousand people who had waited in the cold since the afternoon."
    )
    text = "Donald Trump: 'We Will Win' And Other Claims From The Rally" + body
    quote = only(extract(text))
    assert quote.quote == "'We Will Win' And Other Claims From The Rally"
    assert quote.type == "mixed" and quote.speaker == "Donald Trump"
    text = "Donald Trump: 'We Will Win Ohio And We Will Win The White House.'" + body
    quote = only(extract(text))
    assert quote.quote == "We Will Win Ohio And We Will Win The White House."
    assert quote.type == "direct"
