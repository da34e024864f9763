"""Statements: one quote followed through every outlet that reported it, with its variants.

The corpus is the example article and rewritten versions of it, one per pattern: an exact
copy, a near copy (dropped articles, a contraction), a changed cut, a cut that drops the
"not", the same words given to another man, a paraphrase beside the quote that claims more,
and an unrelated quote of the same speaker that must stay apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotewire.cli import main
from quotewire.corpus import Corpus, queries
from quotewire.corpus.statements import QuoteText, group_statements, words_of

ASSAD = "Syrian President Bashar al-Assad"
TACTICAL = "Sometimes they convey a message, a general message, but there is nothing tactical"


def rewritten() -> list[dict]:
    return [
        {
            "id": "express",
            "outlet": "express.co.uk",
            "published": "2015-02-10",
            "url": "https://www.express.co.uk/news/world/557000",
            "text": f"Assad says Syria gets messages on air strikes\n\n{ASSAD} has confirmed that "
            f'his government receives messages about the air campaign.\n\n"{TACTICAL}," Assad '
            "told the BBC.\n",
        },
        {
            "id": "ap",
            "outlet": "apnews.com",
            "published": "2015-02-11",
            "url": "https://apnews.com/syria-assad-1",
            "text": f"Assad: no direct coordination with US\n\n{ASSAD} said in an interview that "
            'there was no direct coordination with the coalition.\n\n"Sometimes they convey '
            "message, general message, but there's nothing tactical,\" Assad said.\n",
        },
        {
            "id": "week",
            "outlet": "theweek.co.uk",
            "published": "2015-02-12",
            "url": "https://www.theweek.co.uk/62001/assad",
            "text": f'Assad admits indirect contacts\n\n{ASSAD} said: "Through a third party – more '
            'than one party – Iraq and other countries."\n',
        },
        {
            "id": "mirror",
            "outlet": "mirror.co.uk",
            "published": "2015-02-12",
            "url": "https://www.mirror.co.uk/news/assad-alliance",
            "text": f'Assad rules out joining coalition\n\n{ASSAD} said on Tuesday: "Definitely we '
            "can and we have the will, for one simple reason - because we can be in an alliance "
            'with countries which support terrorism."\n\nHe also said: "We will never hand '
            'power to terrorists in Damascus, whatever happens in the coming months."\n',
        },
        {
            "id": "daily",
            "outlet": "dailypost.com",
            "published": "2015-02-13",
            "url": "https://dailypost.com/syria-muallem",
            "text": "Syria plays down contacts\n\nSyrian Foreign Minister Walid Muallem said on "
            f'Friday: "{TACTICAL}."\n',
        },
        {
            "id": "wire",
            "outlet": "wire.com",
            "published": "2015-02-13",
            "url": "https://wire.com/assad-iraq",
            "text": f'Iraq passes messages to Syria\n\n{ASSAD} said: "{TACTICAL}."\n\nHe said third '
            "parties, more than one party, including Iraq, convey general messages and military "
            "plans.\n",
        },
    ]


def build_corpus(folder: Path, example_text: str) -> str:
    """A SQLite corpus of the example article as the BBC published it and its rewritten
    reports (the web tests browse it too)."""
    original = {
        "id": "bbc",
        "text": example_text,
        "outlet": "bbc.co.uk",
        "published": "2015-02-10",
        "url": "https://www.bbc.co.uk/news/world-middle-east-31327153",
    }
    dump = folder / "batch1.jsonl"
    dump.write_text("\n".join(json.dumps(a) for a in [original, *rewritten()]) + "\n")
    db = str(folder / "quotes.db")
    with Corpus(db) as corpus:
        summary = corpus.ingest([str(dump)], workers=1)
    assert summary.failed == 0 and summary.statements
    return db


@pytest.fixture
def corpus_db(tmp_path: Path, example_text: str) -> str:
    return build_corpus(tmp_path, example_text)


def _statement_with(corpus: Corpus, article: str, words: str) -> dict:
    """The whole statement holding the quote of `article` that says `words`."""
    for row in queries.statements(corpus.store, limit=None):
        full = queries.statement(corpus.store, row["id"])
        for occurrence in full["occurrences"]:
            if occurrence["article"] == article and words.lower() in occurrence["said"].lower():
                return full
    raise AssertionError(f"no statement with {words!r} from {article}")


def _by_article(statement: dict) -> dict[str, dict]:
    return {o["article"]: o for o in statement["occurrences"] if o["relation"] != "paraphrase"}


def test_one_statement_through_every_outlet_with_its_variants(corpus_db: str):
    with Corpus(corpus_db) as corpus:
        tactical = _statement_with(corpus, "express", "nothing tactical")
    assert tactical["speaker"] == "Bashar al-Assad"
    assert tactical["canonical"].startswith("That's true, through third parties")  # the fullest
    assert tactical["first_seen"]["outlet"] == "bbc.co.uk"
    assert tactical["first_seen"]["published"] == "2015-02-10"
    seen = _by_article(tactical)
    assert seen["bbc"]["relation"] == "canonical"
    # A faithful cut, and a near copy with articles dropped and a contraction: no flag.
    assert seen["express"]["relation"] == "truncation" and seen["express"]["flags"] == []
    assert seen["ap"]["relation"] == "truncation" and seen["ap"]["flags"] == []
    # "a third party" for "third parties": a changed word, shown in the diff.
    assert seen["week"]["flags"] == ["changed-words"]
    assert ("~", "parties -> party") in seen["week"]["diff"]
    # The paraphrase beside the quote adds what Assad never said.
    wire = [o for o in tactical["occurrences"] if o["article"] == "wire"]
    assert [o["relation"] for o in wire] == ["truncation", "paraphrase"]
    claims = wire[1]["flags"][0]
    assert claims.startswith("paraphrase-claims-more") and "military" in claims
    # The same words given to the foreign minister by another outlet: flagged, not merged.
    assert "daily" not in seen
    assert {"changed-words", "other-speakers", "paraphrase-claims-more"} <= set(tactical["flags"])


def test_a_cut_that_drops_the_not_is_flagged(corpus_db: str):
    with Corpus(corpus_db) as corpus:
        alliance = _statement_with(corpus, "mirror", "alliance")
    assert alliance["canonical"].startswith("No, definitely we cannot")
    mirror = _by_article(alliance)["mirror"]
    assert "negation-dropped" in mirror["flags"] and "changed-words" in mirror["flags"]
    assert ("-", "not") in mirror["diff"]
    assert "negation-dropped" in alliance["flags"]


def test_other_words_of_the_same_speaker_stay_apart(corpus_db: str):
    with Corpus(corpus_db) as corpus:
        never = _statement_with(corpus, "mirror", "never hand power")
        dialogue = _statement_with(corpus, "bbc", "There is no dialogue")
        muallem = _statement_with(corpus, "daily", "nothing tactical")
    assert [o["article"] for o in never["occurrences"]] == ["mirror"]
    assert [o["article"] for o in dialogue["occurrences"]] == ["bbc"]
    assert muallem["speaker"] == "Walid Muallem" and muallem["flags"] == ["other-speakers"]


def test_ids_stay_when_tomorrows_news_arrives(corpus_db: str, tmp_path: Path):
    with Corpus(corpus_db) as corpus:
        before = {r["id"]: r["canonical"] for r in queries.statements(corpus.store, limit=None)}
        tactical_id = _statement_with(corpus, "express", "nothing tactical")["id"]
    later = {
        "id": "guardian",
        "outlet": "theguardian.com",
        "published": "2015-02-14",
        "text": f'Assad speaks to the BBC\n\n{ASSAD} said: "{TACTICAL}."\n\nHe added: "The '
        'sanctions have hurt ordinary Syrians far more than the government in Damascus."\n',
    }
    dump = tmp_path / "batch2.jsonl"
    dump.write_text(json.dumps(later) + "\n")
    with Corpus(corpus_db) as corpus:
        corpus.ingest([str(dump)], workers=1)
        after = {r["id"]: r["canonical"] for r in queries.statements(corpus.store, limit=None)}
        tactical = _statement_with(corpus, "guardian", "nothing tactical")
    assert tactical["id"] == tactical_id  # the new copy joined today's statement
    assert {k: after[k] for k in before} == before  # nothing renumbered or reworded
    assert len(after) == len(before) + 1  # the new quote is a new statement


def test_statement_command_shows_diffs(corpus_db: str, capsys):
    with Corpus(corpus_db) as corpus:
        tactical = _statement_with(corpus, "week", "third party")["id"]
    assert main(["statement", str(tactical), "--db", corpus_db, "--colour", "never"]) == 0
    shown = capsys.readouterr().out
    assert "first seen 2015-02-10 in bbc.co.uk" in shown
    assert "[-parties-]{+party+}" in shown
    main(["statement", str(tactical), "--db", corpus_db, "--colour", "always"])
    assert "\x1b[9m" in capsys.readouterr().out  # struck-through words in a terminal
    main(["statements", "--speaker", "Assad", "--flag", "negation-dropped", "--db", corpus_db])
    listed = capsys.readouterr().out.splitlines()[1:]
    assert len(listed) == 1 and "definitely we cannot" in listed[0]


def test_export_statements_as_jsonl(corpus_db: str, tmp_path: Path):
    out = tmp_path / "statements.jsonl"
    assert main(["statements", "--format", "jsonl", "-o", str(out), "--db", corpus_db]) == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert exported and all(s["occurrences"] and s["canonical"] for s in exported)
    with Corpus(corpus_db) as corpus:
        assert len(exported) == corpus.counts()["statements"]


def test_words_compare_without_punctuation_contractions_or_case():
    assert words_of("There's nothing, we can't!") == ["there", "is", "nothing", "we", "can", "not"]
    assert words_of("They don’t") == ["they", "do", "not"]


def test_grouping_is_greedy_in_quote_order_and_needs_shared_words():
    quotes = [
        QuoteText(1, "We have bombs, missiles and bullets. There is no barrel bombs", "direct", 7),
        QuoteText(2, "We have bombs... There is no barrel bombs", "direct", 7),
        QuoteText(3, "We have to do it", "direct", 7),
        QuoteText(4, "we have bombs missiles and bullets", "direct", 8),
    ]
    statements = group_statements(quotes)
    assert [s.quotes for s in statements] == [[1, 2], [3], [4]]
    elided = statements[0].members[1]
    assert elided.relation == "truncation" and elided.flags == []  # a marked elision
    # Grouping the first two alone gives the same first statement: later quotes never
    # change what earlier ones were grouped into.
    assert [s.quotes for s in group_statements(quotes[:2])] == [[1, 2]]


def test_negations_are_counted_not_named():
    # "not anything" for "nothing" keeps the meaning: a changed word, no flipped negation.
    said = "There is nothing tactical about the messages we receive from the coalition"
    reworded = "There is not anything tactical about the messages we receive from the coalition"
    # One of two "not"s cut out flips the meaning, though "not" is still there.
    double = "We did not say that we would not talk to the coalition about the strikes"
    halved = "We did not say that we would talk to the coalition about the strikes"
    quotes = [
        QuoteText(1, said, "direct", 7),
        QuoteText(2, reworded, "direct", 7),
        QuoteText(3, double, "direct", 8),
        QuoteText(4, halved, "direct", 8),
    ]
    swapped, cut = (s.members[1] for s in group_statements(quotes))
    assert swapped.quote == 2 and swapped.flags == ["changed-words"]
    assert cut.quote == 4 and cut.flags == ["changed-words", "negation-dropped"]


def test_statements_limit_and_output_apply_to_every_format(corpus_db: str, tmp_path: Path):
    table = tmp_path / "statements.txt"
    assert main(["statements", "--limit", "2", "-o", str(table), "--db", corpus_db]) == 0
    lines = table.read_text().splitlines()
    assert lines[0].split()[:3] == ["id", "seen", "outlets"] and len(lines) == 3
    one = tmp_path / "one.jsonl"
    main(["statements", "--format", "jsonl", "--limit", "1", "-o", str(one), "--db", corpus_db])
    assert len(one.read_text().splitlines()) == 1
