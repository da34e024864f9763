"""People across articles: who is "Assad", which Clinton, which Bush."""

from __future__ import annotations

import random

from quotewire.corpus.people import Mention, Person, link_people


def corpus(*articles):
    """Mentions from articles given as lists of speakers: a name, or (name, aliases), or
    (name, aliases, kind). Keys number the speakers in order, from 0."""
    mentions = []
    for article, speakers in enumerate(articles):
        for speaker in speakers:
            name, aliases, kind = (speaker, (), "person") if isinstance(speaker, str) else speaker
            mentions.append(Mention(len(mentions), article, name, kind, tuple(aliases)))
    return mentions


def p(name, *aliases, kind="person"):
    return (name, aliases, kind)


def person_of(people: list[Person], key: int) -> Person:
    found = [person for person in people if key in person.keys]
    assert len(found) == 1, (key, people)
    return found[0]


def named(people: list[Person], name: str) -> list[Person]:
    return [person for person in people if person.name == name]


def test_assad_variants_are_one_person_with_evidence():
    people = link_people(
        corpus(
            [p("Bashar al-Assad", "Assad", "President Assad")],  # 0
            [p("Assad", "President Assad", "Mr Assad"), "John Kerry"],  # 1, 2
            ["Bashar Assad"],  # 3
            ["al-Assad"],  # 4
            ["Syrian President Bashar al-Assad"],  # 5
        )
    )
    assad = person_of(people, 0)
    assert assad.name == "Bashar al-Assad"
    assert assad.kind == "person"
    assert assad.keys == [0, 1, 3, 4, 5]
    assert assad.evidence[0] == "full name"
    assert "surname" in assad.evidence[1] and "president" in assad.evidence[1]
    assert "given names agree" in assad.evidence[3]
    assert {"Assad", "President Assad", "Mr Assad", "Bashar Assad", "al-Assad"} <= set(
        assad.aliases
    )
    assert "Bashar al-Assad" not in assad.aliases
    assert person_of(people, 2).name == "John Kerry"
    assert len(people) == 2


CLINTONS = (
    [p("Hillary Clinton", "Mrs. Clinton", "Secretary Clinton"), "Donald Trump"],  # 0, 1
    [p("Bill Clinton", "former President Bill Clinton", "Mr. Clinton"), "Al Gore"],  # 2, 3
    ["Mrs. Clinton"],  # 4
    [p("Clinton", "Mr. Clinton")],  # 5
    ["former President Bill Clinton"],  # 6
    ["Hillary Rodham Clinton"],  # 7
    ["Clinton"],  # 8: no evidence at all
    ["Clinton", "Donald Trump"],  # 9, 10: quoted beside Trump, as Hillary is
    [p("Clinton", "Secretary Clinton")],  # 11: a title only Hillary carries
    ["Hillary Clinton", "Bill Clinton", "Clinton"],  # 12, 13, 14: a third Clinton
    ["Bill Clinton", "Clinton"],  # 15, 16: the article tells this one from Bill
)


def test_hillary_and_bill_clinton_stay_apart():
    people = link_people(corpus(*CLINTONS))
    hillary, bill = person_of(people, 0), person_of(people, 2)
    assert hillary.name == "Hillary Clinton"
    assert bill.name == "Bill Clinton"
    assert hillary is not bill
    assert 0 in hillary.keys and 7 in hillary.keys and 12 in hillary.keys
    assert 2 in bill.keys and 6 in bill.keys and 13 in bill.keys and 15 in bill.keys


def test_honorifics_and_titles_pick_the_clinton():
    people = link_people(corpus(*CLINTONS))
    hillary, bill = person_of(people, 0), person_of(people, 2)
    assert 4 in hillary.keys  # Mrs. Clinton cannot be Bill
    assert 5 in bill.keys  # Mr. Clinton cannot be Hillary
    assert 11 in hillary.keys
    assert "secretary" in hillary.evidence[11] and "Bill Clinton" in hillary.evidence[11]


def test_bare_clinton_resolved_by_who_else_is_quoted():
    people = link_people(corpus(*CLINTONS))
    hillary = person_of(people, 0)
    assert 9 in hillary.keys
    assert "co-mentions decide" in hillary.evidence[9]
    assert person_of(people, 10).name == "Donald Trump"


def test_bare_clinton_without_evidence_stays_apart_and_says_why():
    people = link_people(corpus(*CLINTONS))
    alone = person_of(people, 8)
    assert alone.name == "Clinton"
    assert alone not in (person_of(people, 0), person_of(people, 2))
    assert "ambiguous between Bill Clinton and Hillary Clinton" in alone.evidence[8]
    assert "no evidence" in alone.evidence[8]


def test_a_clinton_quoted_beside_both_clintons_is_neither():
    people = link_people(corpus(*CLINTONS))
    third = person_of(people, 14)
    assert 0 not in third.keys and 2 not in third.keys
    assert "quotes Bill Clinton and Hillary Clinton separately" in third.evidence[14]


def test_a_clinton_quoted_beside_bill_is_the_other_one():
    people = link_people(corpus(*CLINTONS))
    hillary = person_of(people, 0)
    assert 16 in hillary.keys
    assert "not Bill Clinton" in hillary.evidence[16]


def test_mrs_clinton_is_not_the_only_clinton_when_he_is_a_man():
    people = link_people(corpus(["Bill Clinton"], ["Mrs. Clinton"], ["Clinton"]))
    bill = person_of(people, 0)
    assert bill.keys == [0, 2]  # a bare Clinton is the only Clinton
    mrs = person_of(people, 1)
    assert mrs.name == "Clinton" and mrs.keys == [1]
    assert "no full name" in mrs.evidence[1]


BUSHES = (
    ["George W. Bush", "Dick Cheney"],  # 0, 1
    ["George H. W. Bush", "Brent Scowcroft"],  # 2, 3
    ["Jeb Bush"],  # 4
    ["George Bush"],  # 5: either George
    ["Bush"],  # 6: any of them
    ["George Walker Bush"],  # 7
    ["George Bush", "Dick Cheney"],  # 8, 9: beside the son's vice president
    ["G. W. Bush"],  # 10
    ["Mr. Bush"],  # 11
    ["George W. Bush"],  # 12
    ["George W. Bush"],  # 13
)


def test_the_bushes_stay_apart():
    people = link_people(corpus(*BUSHES))
    son, father, jeb = person_of(people, 0), person_of(people, 2), person_of(people, 4)
    assert son.name == "George W. Bush" and son.keys == [0, 7, 8, 10, 12, 13]
    assert father.name == "George H. W. Bush" and father.keys == [2]
    assert jeb.name == "Jeb Bush" and jeb.keys == [4]
    assert "co-mentions decide" in son.evidence[8]


def test_an_ambiguous_george_bush_is_kept_apart():
    people = link_people(corpus(*BUSHES))
    george = person_of(people, 5)
    assert george.name == "George Bush" and george.keys == [5]
    assert "ambiguous between George H. W. Bush and George W. Bush;" in george.evidence[5]
    assert "Jeb" not in george.evidence[5]
    bush = person_of(people, 6)
    assert bush.name == "Bush" and bush.keys == [6, 11]
    assert "Jeb Bush" in bush.evidence[6]


def test_a_unique_surname_joins_its_only_full_name():
    people = link_people(
        corpus(["Angela Merkel"], [p("Merkel", "Chancellor Merkel")], ["Chancellor Angela Merkel"])
    )
    assert len(people) == 1
    merkel = people[0]
    assert merkel.name == "Angela Merkel" and merkel.keys == [0, 1, 2]
    assert "the only one" in merkel.evidence[1]


def test_a_surname_never_written_in_full_is_one_person():
    people = link_people(corpus(["Smith"], [p("Smith", "Mr Smith")], ["Mrs Jones"]))
    smith = person_of(people, 0)
    assert smith.name == "Smith" and smith.keys == [0, 1]
    assert person_of(people, 2).keys == [2]


def test_the_fullest_well_attested_name_is_canonical():
    people = link_people(
        corpus(
            ["Hillary Clinton"],
            ["Hillary Clinton"],
            ["Hillary Clinton"],
            ["Hillary Rodham Clinton"],
            ["Hillary Diane Rodham Clinton"],
        )
    )
    assert len(people) == 1
    assert people[0].name == "Hillary Clinton"
    assert people[0].aliases == ["Hillary Diane Rodham Clinton", "Hillary Rodham Clinton"]
    assert people[0].evidence[0] == "full name"


def test_organisations_join_on_their_normalised_name():
    org = "organisation"
    people = link_people(
        corpus(
            [p("the White House", kind=org), p("US", kind=org)],  # 0, 1
            [p("White House", kind=org), p("U.S.", kind=org)],  # 2, 3
            [p("the United States", kind=org), p("Democratic Party", kind=org)],  # 4, 5
            [p("United States", kind=org), p("Republican Party", kind=org)],  # 6, 7
            [p("Ford", kind=org), "Ford"],  # 8, 9: a company and a man
            [p("the Pentagon's", kind=org), p("Pentagon", kind=org)],  # 10, 11
        )
    )
    assert person_of(people, 0).keys == [0, 2]
    assert person_of(people, 0).name == "White House"
    us = person_of(people, 1)
    assert us.name == "United States" and us.keys == [1, 3, 4, 6]
    assert "another form of United States" in us.evidence[1]
    assert person_of(people, 5) is not person_of(people, 7)
    assert person_of(people, 8) is not person_of(people, 9)
    assert person_of(people, 8).kind == org and person_of(people, 9).kind == "person"
    assert person_of(people, 10).keys == [10, 11]


def test_pronouns_and_descriptions_have_no_person():
    people = link_people(
        corpus(
            ["he", p("they", kind="group"), p("a spokesman", kind="unnamed")],
            [p("officials", kind="group"), p("", kind="unknown"), "Boris Johnson"],
        )
    )
    assert [person.keys for person in people] == [[5]]


def test_same_output_in_any_order():
    mentions = corpus(*CLINTONS, *BUSHES, ["Bashar al-Assad"], ["Assad"], ["President Assad"])
    expected = link_people(mentions)
    for seed in range(5):
        shuffled = list(mentions)
        random.Random(seed).shuffle(shuffled)
        assert link_people(shuffled) == expected
    assert [(p.name, p.keys[0]) for p in expected] == sorted((p.name, p.keys[0]) for p in expected)


def test_co_mentions_decide_only_on_a_clear_margin():
    people = link_people(
        corpus(
            ["Hillary Clinton", "Tim Kaine"],  # 0, 1
            ["Bill Clinton", "Tim Kaine", "Al Gore"],  # 2, 3, 4
            ["Clinton", "Tim Kaine"],  # 5, 6: Kaine is beside both
            ["Clinton", "Al Gore"],  # 7, 8: Gore only beside Bill
            ["Hillary Clinton", "Donald Trump"],  # 9, 10
            ["Hillary Clinton", "Donald Trump"],  # 11, 12
            ["Bill Clinton", "Donald Trump"],  # 13, 14
            ["Clinton", "Donald Trump"],  # 15, 16: Trump beside Hillary twice, Bill once
        )
    )
    assert person_of(people, 5).keys == [5]
    assert "co-mentions do not decide" in person_of(people, 5).evidence[5]
    bill = person_of(people, 2)
    assert bill.keys == [2, 7, 13]
    assert "1 times beside Bill Clinton, 0 beside Hillary Clinton" in bill.evidence[7]
    assert person_of(people, 4).name == "Al Gore"  # "Al" is a given name, not a particle
    assert person_of(people, 4).evidence[4] == "full name"
    assert 15 in person_of(people, 0).keys
    assert (
        "2 times beside Hillary Clinton, 1 beside Bill Clinton" in person_of(people, 0).evidence[15]
    )


def test_a_bare_surname_is_the_person_the_corpus_quotes_by_far_the_most():
    # Donald Trump in 12 articles, Ivanka in one: a bare "Trump" is Donald, and so is a
    # "Trump" the recogniser called an organisation; with Ivanka in 2 of 12 it stays open.
    articles = [["Donald Trump"] for _ in range(12)] + [["Ivanka Trump"], ["Trump"]]
    articles.append([p("Trump", kind="organisation")])
    people = link_people(corpus(*articles))
    donald = person_of(people, 0)
    assert 13 in donald.keys and 14 in donald.keys
    assert "by far the most quoted" in donald.evidence[13]
    assert person_of(people, 12).name == "Ivanka Trump"

    closer = [["Donald Trump"] for _ in range(10)] + [["Ivanka Trump"], ["Ivanka Trump"], ["Trump"]]
    people = link_people(corpus(*closer))
    assert person_of(people, 12) is not person_of(people, 0)
    assert "ambiguous" in person_of(people, 12).evidence[12]


def test_phrases_the_recogniser_took_for_names_are_no_one():
    people = link_people(corpus(["anti-Clinton", "Hillary Clinton"], ["pro-Trump rally"]))
    assert [person.name for person in people] == ["Hillary Clinton"]
