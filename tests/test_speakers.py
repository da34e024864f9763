"""Hard speaker cases, on real parses: who is "Clinton", which "president", who speaks for whom."""

from __future__ import annotations


def speaker_of(result, words):
    """The speaker of the one quote whose text contains `words`."""
    found = [q for q in result.quotes if words in q.quote]
    assert len(found) == 1, [(q.quote, q.speaker) for q in result.quotes]
    return found[0].speaker


def test_two_people_with_one_surname(extract):
    text = (
        "Hillary Clinton said on Monday that the plan would create millions of jobs.\n\n"
        "Her husband, former President Bill Clinton, told a rally in Ohio that the economy "
        "was finally recovering.\n\n"
        '"We are not done yet, not by a long way," Mrs. Clinton said.\n\n'
        '"I have seen this kind of recovery before," Mr. Clinton said.\n\n'
        "Bill Clinton added that he would campaign in Iowa next week.\n\n"
        '"This election is about the future of our children," she said.'
    )
    result = extract(text)
    assert speaker_of(result, "create millions of jobs") == "Hillary Clinton"
    assert speaker_of(result, "economy was finally recovering") == "Bill Clinton"
    assert speaker_of(result, "not done yet") == "Hillary Clinton"
    assert speaker_of(result, "seen this kind of recovery") == "Bill Clinton"
    assert speaker_of(result, "campaign in Iowa") == "Bill Clinton"
    assert speaker_of(result, "future of our children") == "Hillary Clinton"
    names = {s.name for s in result.speakers}
    assert {"Hillary Clinton", "Bill Clinton"} <= names
    assert "Clinton" not in names


def test_the_president_when_two_presidents_appear(extract):
    text = (
        "US President Barack Obama met French President Francois Hollande in Paris on "
        "Tuesday.\n\n"
        "Obama told reporters that the alliance between the two countries was strong.\n\n"
        '"We will send more troops to the region," the French president said.\n\n'
        '"Our partnership has never been closer than it is today," the US president said.'
    )
    result = extract(text)
    assert speaker_of(result, "alliance between the two countries") == "Barack Obama"
    assert speaker_of(result, "send more troops") == "Francois Hollande"
    assert speaker_of(result, "never been closer") == "Barack Obama"


def test_the_president_is_the_last_president_named(extract):
    text = (
        "President Barack Obama met President Francois Hollande on Tuesday.\n\n"
        "Hollande said that France would stay in the coalition.\n\n"
        '"We have agreed on every point that matters to us," the president said.'
    )
    result = extract(text)
    assert speaker_of(result, "agreed on every point") == "Francois Hollande"


def test_a_spokesman_speaks_for_his_organisation(extract):
    text = (
        "A spokesman for the Foreign Office said that the embassy in Kabul would remain "
        "open.\n\n"
        '"Our staff are safe and we are monitoring the situation closely," the spokesman said.'
    )
    result = extract(text)
    assert speaker_of(result, "embassy in Kabul") == "Foreign Office"
    assert speaker_of(result, "monitoring the situation") == "Foreign Office"
    spoken = next(q for q in result.quotes if "embassy in Kabul" in q.quote)
    assert text[spoken.speaker_start : spoken.speaker_end] == "A spokesman"
    kinds = {s.name: s.kind for s in result.speakers}
    assert kinds["Foreign Office"] == "organisation"


def test_the_newspaper_that_reports_someone_elses_words(extract):
    text = (
        "The Washington Post interviewed the defence minister, Anna Keller, on Sunday.\n\n"
        "The newspaper quoted Keller as saying that the army would leave the city by March."
    )
    result = extract(text)
    assert speaker_of(result, "army would leave the city") == "Anna Keller"
    assert all(q.speaker != "Washington Post" for q in result.quotes if "army" in q.quote)


def test_organisations_governments_and_the_police_speak(extract):
    text = (
        "The White House said on Monday that the talks would resume in the spring.\n\n"
        "Downing Street said the prime minister had spoken to the president by phone.\n\n"
        "Police said that two men had been arrested near the station.\n\n"
        "The US government confirmed that it had sent a team to the region."
    )
    result = extract(text)
    assert speaker_of(result, "talks would resume") == "White House"
    assert speaker_of(result, "had spoken to the president") == "Downing Street"
    assert speaker_of(result, "two men had been arrested") == "Police"
    assert speaker_of(result, "sent a team") == "United States"
    kinds = {s.name: s.kind for s in result.speakers}
    assert kinds["White House"] == kinds["Downing Street"] == "organisation"
    assert kinds["United States"] == "organisation"
    assert kinds["Police"] == "group"


def test_the_fast_mode_still_finds_the_full_name():
    from quotewire.extract.pipeline import Extractor
    from quotewire.model import Article

    text = (
        "Syrian President Bashar al-Assad gave an interview to the BBC on Monday.\n\n"
        "Yesterday Assad travelled to Moscow.\n\n"
        '"We have not been asked to join the coalition," Assad said.'
    )
    result = Extractor(direct_only=True).extract(Article(id="t", text=text))
    assert [q.speaker for q in result.quotes] == ["Bashar al-Assad"]
    assert "Assad" in result.speakers[0].aliases


def test_the_fast_mode_finds_pronoun_antecedents_in_unparsed_text():
    from quotewire.extract.pipeline import Extractor
    from quotewire.model import Article

    text = (
        '"We will not negotiate under fire," Bashar al-Assad said on Monday.\n\n'
        "Secretary of State John Kerry arrived in Cairo a day later for talks.\n\n"
        '"The door to a political solution remains open," he said.'
    )
    for fast in (False, True):
        result = Extractor(direct_only=fast).extract(Article(id="t", text=text))
        speakers = [q.speaker for q in result.quotes]
        assert speakers == ["Bashar al-Assad", "John Kerry"], (fast, speakers)


def test_a_husband_is_not_a_name(extract):
    text = 'Her husband, Tomas Varga, said: "We are grateful to everyone who helped us."'
    assert [q.speaker for q in extract(text).quotes] == ["Tomas Varga"]


def test_who_is_the_noun_the_relative_pronoun_stands_for(extract):
    text = (
        "The panel heard from an architect who said the council had never paid him.\n\n"
        "Among the guests was George W. Bush, who said the museum was long overdue."
    )
    result = extract(text)
    assert speaker_of(result, "never paid him") == "an architect"
    assert speaker_of(result, "long overdue") == "George W. Bush"
    quote = next(q for q in result.quotes if "long overdue" in q.quote)
    assert text[quote.speaker_start : quote.speaker_end] == "who"  # the local mention
    assert not {"who", "which", "that"} & {s.name.lower() for s in result.speakers}


def test_a_name_that_only_qualifies_a_role_is_not_the_speaker(extract):
    text = (
        "Voters in Iowa heard both candidates on Saturday.\n\n"
        "The Vermont senator acknowledged that there were still some people who felt angry.\n\n"
        "A Pentagon spokesman said that the exercise would go ahead as planned."
    )
    result = extract(text)
    assert speaker_of(result, "still some people") == "The Vermont senator"
    assert speaker_of(result, "exercise would go ahead") == "Pentagon"


def test_whose_aides_and_whose_tweets(extract):
    text = (
        "Senator Bernie Sanders took to the airwaves this week.\n\n"
        "Mr. Sanders's aides said that he intended to spend nearly all his time in California.\n\n"
        "An Iowa voter asked whether the senator would ever appoint a Republican.\n\n"
        "A Quinnipiac University poll found that the race had tightened in Ohio."
    )
    result = extract(text)
    assert speaker_of(result, "spend nearly all his time") == "Mr. Sanders's aides"
    assert speaker_of(result, "appoint a Republican") == "An Iowa voter"
    assert speaker_of(result, "race had tightened") == "Quinnipiac University"


def test_he_is_the_speaker_not_a_name_in_passing(extract):
    text = (
        '"Impeaching Trump is one imperative," says David Axelrod, a longtime adviser to '
        "Barack Obama.\n\n"
        '"But projecting genuine warmth is another," he said.\n\n'
        "The other man, his cousin James York, cited Mr. Trump's fondness for President "
        'Vladimir Putin as a danger. "He\'s talking too much trash," he said.'
    )
    result = extract(text)
    assert speaker_of(result, "genuine warmth") == "David Axelrod"
    assert speaker_of(result, "too much trash") == "James York"


def test_a_surname_the_tagger_takes_for_a_plural_noun_is_still_the_person(extract):
    text = (
        "Senator Bernie Sanders said the story has moved on.\n\n"
        'Sanders responded, "People are hurting in this country and they want change."'
    )
    result = extract(text)
    assert speaker_of(result, "People are hurting") == "Bernie Sanders"
    assert [s.name for s in result.speakers] == ["Bernie Sanders"]


def test_we_outside_quotation_marks_is_the_writer_not_the_last_organisation(extract):
    text = (
        "Officials at the Democratic National Committee met in Brooklyn.\n\n"
        "Yes, we know that the party has said the primary was fair."
    )
    result = extract(text)
    [quote] = [q for q in result.quotes if q.cue == "know"]
    assert text[quote.speaker_start : quote.speaker_end] == "we" and quote.speaker is None


def test_names_the_recogniser_ran_on_into_are_cut_back(extract):
    text = (
        "Barack Obama said the arms ban would be lifted.\n\n"
        "Many fear Trump will unravel Obama's 'pivot' to the Asia-Pacific.\n\n"
        '"Usually, eventually the voters make good decisions," replied Obama.\n\n'
        "Donald Trump said he would win.\n\n"
        "Bashing Trump may be job one. Trump has said he does not plan a mock debate."
    )
    result = extract(text)
    assert speaker_of(result, "voters make good decisions") == "Barack Obama"
    assert speaker_of(result, "mock debate") == "Donald Trump"
    assert {s.name for s in result.speakers} == {"Barack Obama", "Donald Trump"}


def test_a_participle_that_opens_a_sentence_goes_on_with_its_speaker(extract):
    text = (
        "Bill Maher stated that the report \u201cwasn\u2019t good.\u201d Adding, \u201cNow, like with "
        "all Clinton scandals, what they actually do is never that bad.\u201d"
    )
    quote = next(q for q in extract(text).quotes if "never that bad" in q.quote)
    assert quote.speaker == "Bill Maher"


def test_the_organization_is_the_one_named_before(extract):
    text = (
        "The Heritage Foundation notes that the minimum wage is usually paid to new workers.\n\n"
        "The organization also points out that most of them are under 25."
    )
    result = extract(text)
    assert speaker_of(result, "under 25") == "Heritage Foundation"


def test_a_description_is_the_person_just_written_about(extract):
    text = (
        '"There is only one reason why these facts are now available," said Rep. Trey Gowdy.\n\n'
        "The South Carolina Republican admitted that the email server was never central to "
        "the investigation.\n\n"
        "Sen. Bernie Sanders spent Wednesday meeting with the Rev. Al Sharpton in Harlem.\n\n"
        "The Vermont senator has a simple message. Now he says he is in this race for the "
        "long haul.\n\n"
        '"We have a ton of work to do," said a longtime adviser to the campaign.\n\n'
        '"Being candid is the last big hurdle for her," the person added.'
    )
    result = extract(text)
    assert speaker_of(result, "never central") == "Trey Gowdy"
    assert speaker_of(result, "for the long haul") == "Bernie Sanders"
    assert speaker_of(result, "last big hurdle") == "a longtime adviser"


def test_a_description_needs_the_title_it_uses(extract):
    text = (
        "Donald Trump said on Tuesday that the debate had been rigged.\n\n"
        "The Indiana governor said that the ticket would win Ohio."
    )
    result = extract(text)
    assert speaker_of(result, "debate had been rigged") == "Donald Trump"
    assert speaker_of(result, "would win Ohio") == "The Indiana governor"


def test_names_set_beside_a_description(extract):
    text = (
        "The other man, his cousin James York, said that the rally had been peaceful.\n\n"
        "And Clinton campaign Chairman John Podesta \u2014 Bill Clinton\u2019s former White House "
        "chief of staff \u2014 said the campaign would fight for every vote.\n\n"
        "\"It's about time that we had a woman running this country,\" exhorted Clinton's "
        "introducer, actress Jamie Lee Curtis."
    )
    result = extract(text)
    assert speaker_of(result, "rally had been peaceful") == "James York"
    assert speaker_of(result, "fight for every vote") == "John Podesta"
    assert speaker_of(result, "woman running this country") == "Jamie Lee Curtis"
    assert [q.type for q in result.quotes if q.cue == "exhorted"] == ["direct"]


def test_one_of_a_people_and_a_campaign_are_not_the_person(extract):
    text = (
        "Now, one kind-hearted Canadian wants to help Americans keep that promise.\n\n"
        '"She didn\'t like that," said a 2008 Clinton veteran.\n\n'
        "Mike Pence said that Team Clinton's contention is nothing but an excuse.\n\n"
        "Hillary Clinton said that she would raise the minimum wage."
    )
    result = extract(text)
    kinds = {s.name: s.kind for s in result.speakers}
    assert kinds.get("one kind-hearted Canadian") == "unnamed" and "Canadian" not in kinds
    assert speaker_of(result, "didn't like that") == "a 2008 Clinton veteran"
    assert speaker_of(result, "minimum wage") == "Hillary Clinton"
    assert "Team Clinton" not in kinds


def test_who_said_it_in_a_relative_clause(extract):
    text = (
        'The campaign relied on top Obama aide David Plouffe, who called Trump "a psychopath" '
        "over the weekend.\n\n"
        'The Washington Post recently ran a piece that noted his "health care plan would '
        'benefit affluent households more than it would poorer ones."'
    )
    result = extract(text)
    assert speaker_of(result, "psychopath") == "David Plouffe"
    assert speaker_of(result, "affluent households") == "Washington Post"


def test_a_shared_surname_is_the_one_just_written_about(extract):
    text = (
        "Actor Clint Howard endorsed Ted Cruz in November. Howard is the younger brother of "
        "Hollywood legend Ron Howard.\n\n"
        '"I would like to see the country turn towards a conservative direction," Howard said.'
    )
    assert speaker_of(extract(text), "conservative direction") == "Clint Howard"


def test_a_campaign_speaks_apart_from_its_candidate(extract):
    text = (
        "Sen. Bernie Sanders apologized on Saturday. His campaign said the party's move would "
        "cost the campaign $600,000 a day.\n\n"
        "The Clinton campaign said that the attack was the mark of a desperate candidate."
    )
    result = extract(text)
    assert speaker_of(result, "$600,000 a day") == "Sanders campaign"
    assert speaker_of(result, "desperate candidate") == "Clinton campaign"
    assert {s.name: s.kind for s in result.speakers}["Clinton campaign"] == "organisation"


def test_who_said_it_in_a_statement_a_dateline_and_a_title_run(extract):
    text = (
        "CLEVELAND, July 19 (UPI) -- Former Attorney General Michael Mukasey told delegates "
        "that Hillary Clinton should be disqualified.\n\n"
        "Zoe Lofgren said in a statement that the announcements were important steps.\n\n"
        "The firm lobbied on behalf of the Trump Organization, said lobbyist and GOP "
        "strategist Charlie Black."
    )
    result = extract(text)
    assert speaker_of(result, "should be disqualified") == "Michael Mukasey"
    assert speaker_of(result, "important steps") == "Zoe Lofgren"
    assert speaker_of(result, "Trump Organization") == "Charlie Black"


def test_the_one_criticized_is_not_the_critic(extract):
    text = "Mr. Sanders has been criticized for offering vague answers on the subject."
    quotes = extract(text).quotes
    assert quotes and all(q.speaker is None for q in quotes)


def test_words_a_headline_runs_on_after_a_name_are_not_the_name(extract):
    text = (
        "Obama Says Museum Will Tell an American Story.\n\n"
        "President Barack Obama said on Saturday that the museum would help the country.\n\n"
        "I have been covering the senator for years for the USA TODAY NETWORK. He says he "
        "will do everything he can to help her."
    )
    names = {s.name for s in extract(text).speakers}
    assert "Obama Says" not in names and "NETWORK" not in names


def test_he_is_the_sentences_own_subject_not_one_inside_it_nor_a_place(extract):
    text = (
        "David Stockman has been quietly pushing for Mr. Trump to own the issue. "
        '"Trump could instantly leap to the left of Hillary," he wrote in June on his '
        "website.\n\n"
        "Luay Sami came to Clarkston from Iraq in 2011. He got a car and a job at the center, "
        'and Clarkston became his home. "The stereotyping is still strong here," he said.'
    )
    result = extract(text)
    assert speaker_of(result, "leap to the left") == "David Stockman"
    assert speaker_of(result, "stereotyping") == "Luay Sami"


def test_president_obama_is_not_the_only_obama_named_before_him(extract):
    text = (
        "First lady Michelle Obama spoke at the dinner on Friday.\n\n"
        'President Obama said that "it\'s about me" this time.\n\n'
        '"My name may not be on the ballot," Mr. Obama said on Saturday night.'
    )
    result = extract(text)
    assert speaker_of(result, "about me") == speaker_of(result, "on the ballot")
    assert speaker_of(result, "about me") != "Michelle Obama"
