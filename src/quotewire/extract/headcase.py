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
_BODY_WORD = re.compile(r"\S+")
_TITLE_CASE_SHARE = 0.6  # of a headline's words capitalised, for it to be in Title Case


def is_title_case(headline: str) -> bool:
    """Are most of the headline's words (at least three) capitalised?"""
    words = _WORD.findall(headline)
    capitalised = [w for w in words if w[0].isupper()]
    return len(words) >= 3 and len(capitalised) >= _TITLE_CASE_SHARE * len(words)


def sentence_cased(headline: str, body: str) -> str:
    """The headline with every word lowercased but its first, acronyms ("CEO", "U.N.") and
    the names `body` writes with a capital in mid-sentence; the same length, letter for letter."""
    names = _names_in_running_text(body)
    first = True

    def case(match: re.Match[str]) -> str:
        nonlocal first
        word = match.group()
        initial = len(word) == 1 and match.string[match.end() : match.end() + 1] == "."
        acronym = (len(word) > 1 and word.isupper()) or initial  # "CEO", "U.N."
        keep = first or acronym or _bare(word) in names
        first = False
        # One letter at a time: "\u0130".lower() is two characters, and the length must hold.
        return word if keep else "".join(_lower(ch) for ch in word)

    return _WORD.sub(case, headline)


def _lower(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def _names_in_running_text(body: str) -> set[str]:
    """Capitalised words after a lowercase word, a number or a comma ('said Donald'), and the
    capitalised words that run on from such a one ('Donald Trump'): names, not sentence
    starts. A line in Title Case (a caption) has no lowercase word to start a run."""
    names: set[str] = set()
    in_name = False
    previous = ""
    for match in _BODY_WORD.finditer(body):
        word = match.group()
        capitalised = word[:1].isupper()
        after_running_text = (
            previous[:1].islower() or previous[:1].isdigit() or previous[-1:] in (",", ";")
        )
        in_name = capitalised and (after_running_text or in_name) and not previous.endswith(".")
        if in_name:
            names.add(_bare(word.strip(".,;:!?\"'\u201c\u201d()")))
        previous = word
    return names


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
        # Without the recogniser (the fast mode) the Doc must say it has no names at all.
        ents=[t.ent_iob_ + ("-" + t.ent_type_ if t.ent_type_ else "") or "O" for t in parsed]
        if parsed.has_annotation("ENT_IOB")
        else None,
    )
