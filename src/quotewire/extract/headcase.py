"""A headline in Title Case, parsed as the sentence it stands for.

The tagger learned from running text, where a capital means a name: in "Black Lawmakers Rip
Donald Trump As A 'Disgusting Fraud'" it finds no verb, so no cue and no quote. For the parse
only, a Title Case headline is put in sentence case: its first word and the words the article
itself capitalises in mid-sentence (names: "Donald", "Trump") keep their capitals, every
other word is lowercased. The parse is then laid back on the headline's own words, so the
text and every offset stay as they were.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
# A capitalised word after a lowercase word, a digit or a comma is a name, not a sentence start.
_NAME_IN_RUNNING_TEXT = re.compile(r"(?<=[a-z0-9,;]\s)[A-Z][\w'\u2019-]*")
_TITLE_CASE_SHARE = 0.6  # of a headline's words capitalised, for it to be in Title Case


def is_title_case(headline: str) -> bool:
    words = _WORD.findall(headline)
    capitalised = [w for w in words if w[0].isupper()]
    return len(words) >= 3 and len(capitalised) >= _TITLE_CASE_SHARE * len(words)


def sentence_cased(headline: str, body: str) -> str:
    """The headline with every word lowercased but its first, acronyms ("CEO", "U.N.") and
    the names `body` writes with a capital in mid-sentence; the same length, word for word."""
    names = {_bare(word) for word in _NAME_IN_RUNNING_TEXT.findall(body)}
    first = True

    def case(match: re.Match[str]) -> str:
        nonlocal first
        word = match.group()
        keep = first or (len(word) > 1 and word.isupper()) or _bare(word) in names
        first = False
        return word if keep else word.lower()

    return _WORD.sub(case, headline)


def _bare(word: str) -> str:
    """'Trump's' and 'Trump' are one name."""
    return re.sub(r"['\u2019]s$", "", word)


def on_own_words(parsed: Doc, original: str) -> Doc:
    """The parse of the sentence-cased text, on the tokens of the `original` text."""
    words = [original[t.idx : t.idx + len(t.text)] for t in parsed]
    return Doc(
        parsed.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in parsed],
        tags=[t.tag_ for t in parsed],
        pos=[t.pos_ for t in parsed],
        morphs=[str(t.morph) for t in parsed],
        lemmas=[t.lemma_ for t in parsed],
        heads=[t.head.i for t in parsed],
        deps=[t.dep_ for t in parsed],
        ents=[t.ent_iob_ + ("-" + t.ent_type_ if t.ent_type_ else "") or "O" for t in parsed],
    )
