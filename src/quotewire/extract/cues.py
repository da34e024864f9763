"""Reporting cues: the words that say someone said something (said, told, denied, according to).

The verb list is hand-made: the reporting verbs of news writing, checked against the cues
that PolNeAR's training split marks most often.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

SPEECH_VERBS = frozenset(
    """
    say tell add confirm deny insist warn claim state explain argue note write ask reply respond
    continue declare announce assert acknowledge admit suggest tweet post recall observe remark
    comment contend maintain predict promise vow report testify complain concede joke quip shout
    urge emphasize emphasise stress conclude agree reiterate recount mention boast lament muse
    wonder allege charge counter retort answer tout describe call brag scoff sneak snap yell
    scream cry whisper mutter murmur sigh laugh chant proclaim pledge demand threaten accuse
    blast slam praise criticize criticise caution advise recommend propose reckon estimate
    speculate guess believe think feel fear hope predict indicate show reveal disclose
    inform notify assure remind rule dismiss dispute reject question challenge affirm
    clarify elaborate specify interject interrupt begin open close finish end summarize summarise
    put offer opine pronounce preach lecture sing read recite exclaim apologize apologise
    email marvel grumble fume exhort gush rail thunder bellow plead implore
    """.split()
)

# Verbs that give a name or a description: the quote is the name ("called it a 'disaster'").
NAMING_VERBS = frozenset("call describe dub label brand term deem characterize".split())

# Verbs whose direct object is the person spoken to, not what was said ("told reporters").
ADDRESSEE_VERBS = frozenset("tell inform assure remind warn ask notify advise urge brief".split())


def is_speech_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma == "go":  # '"...," he went on'
        return any(c.dep_ == "prt" and c.lower_ == "on" for c in token.children)
    return lemma in SPEECH_VERBS


def cue_phrase(verb: Token) -> Span:
    """The cue as written: the verb with its auxiliaries and particle ('has said', 'pointed out')."""
    doc = verb.doc
    left = verb.i
    for child in verb.lefts:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i >= left - 3:
            left = min(left, child.i)
    right = verb.i
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == right + 1:
            right = child.i
    return doc[left : right + 1]


def according_to(tokens: Span) -> Token | None:
    """The 'to' of 'according to' in these tokens, if any."""
    for tok in tokens:
        if (
            tok.lower_ == "according"
            and tok.i + 1 < len(tok.doc)
            and tok.doc[tok.i + 1].lower_ == "to"
        ):
            return tok.doc[tok.i + 1]
    return None
