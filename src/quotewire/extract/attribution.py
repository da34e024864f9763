"""Linking a quotation to its cue and to the mention of its source.

Direct quotes in news come in a handful of shapes, each handled here on the dependency parse
of the paragraph around the quote:
- trailing cue:   "...," he said.  /  "...," said Smith.  /  "...," Smith told reporters.
- leading cue:    Assad said: "..."  /  He added, "..."  /  According to Smith, "..."
- colon:          Sanders: "..."  /  pollster Daron Shaw: "..."
- interrupted:    "A," he said, "B"   -> one quote with two fragments
- floating:       a paragraph of quotation with no cue, or a quote after a linking word
                  (Instead, "..."), continues the previous speaker.
A quote that sits inside a reported clause ("Assad says Syria 'receives messages'") is mixed:
its span is the whole reported clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from quotewire.extract.cues import (
    ADDRESSEE_VERBS,
    NAMING_VERBS,
    according_to,
    cue_phrase,
    is_speech_verb,
)
from quotewire.extract.docs import Ranges, span_at, text_of
from quotewire.extract.layout import BODY, HEADLINE, Layout, Paragraph
from quotewire.extract.marks import QuoteSpan
from quotewire.extract.reported import DASHES, is_spaced_dash, source_of, trim_end

# How sure each shape is, by hand, for the rules alone (`--rules-only`). With the trained model
# each shape gets the precision it had on PolNeAR train instead (`pattern_confidence`).
CONFIDENCE = {
    "trailing": 0.93,
    "leading": 0.9,
    "according": 0.9,
    "colon": 0.85,
    "interrupted": 0.93,
    "mixed": 0.75,
    "floating": 0.7,
    "transcript": 0.85,
    "headline": 0.7,
}
# An interview transcript's turn: a speaker's name in capitals, a colon, what they said.
_TRANSCRIPT_TURN = re.compile(
    r"[\"\u201c\u201d]?(?P<name>(?:[A-Z][A-Z.'\-]+ ){0,2}[A-Z][A-Z'\-]{2,}):\s+(?P<said>\S)"
)
_MARK_CHARS = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb \t"
_MIN_STATEMENT_WORDS = 4  # shorter quoted phrases are scare quotes or part of a mixed quote
_SENTENCE_END = {".", "!", "?"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NAME_MODIFIERS = ("compound", "flat", "amod", "det", "poss", "nmod", "nummod", "case")


@dataclass
class Attribution:
    """One quote with what links it to a source, before speakers are resolved."""

    fragments: list[list[int]]
    type: str
    pattern: str
    cue: Span | None = None
    speaker_head: Token | None = None
    speaker_span: tuple[int, int] | None = None  # char offsets of the local mention
    inherits: Attribution | None = None  # a floating quote continues this quote's speaker
    confidence: float = 0.0
    cue_root: Token | None = None  # the cue verb itself, to join the pieces of "A," he said, "B"
    says_it_all: bool = False  # a quote that is all its sentence says: '"Technicals," Bob said.'

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


# Words that count the speakers rather than name them ("dozens of papers").
_QUANTITIES = frozenset(
    """dozens dozen hundreds thousands millions many some most all several few majority
    minority half number handful none each both one two three four five lot lots""".split()
)


def mention_span(head: Token) -> tuple[int, int]:
    """Char offsets of the noun phrase a speaker head stands in: 'Rep. Jim Clyburn', 'the minister'."""
    left = head
    for child in head.lefts:
        if child.dep_ in _NAME_MODIFIERS or child.pos_ == "PROPN":
            left = min(left, child.left_edge, key=lambda t: t.i)
    right = head
    for child in head.rights:
        if child.dep_ in ("flat", "compound") or (child.pos_ == "PROPN" and child.i == right.i + 1):
            right = child
    while right.i + 1 < len(head.doc) and head.doc[right.i + 1].pos_ == "PROPN":
        nxt = head.doc[right.i + 1]
        if nxt.head != right and nxt.head != head:
            break
        right = nxt
    if head.pos_ == "NUM" or head.lower_ in _QUANTITIES:
        # "Dozens of economists", "many of the senators": the people, not the number.
        of = [c for c in head.rights if c.lower_ == "of" and c.dep_ == "prep"]
        counted = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
        if counted:
            right = counted[0]  # its noun, not a clause after it ("papers that backed him")
    # "WASHINGTON — Sen. Chuck Grassley": a dateline is not part of the name.
    for tok in head.doc[left.i : head.i]:
        if tok.text in DASHES and all(
            t.text.isupper() for t in _words(list(head.doc[left.i : tok.i]))
        ):
            left = head.doc[tok.i + 1]
    return left.idx, right.idx + len(right.text)


def _inverted_subject(verb: Token, tokens: list[Token]) -> Token | None:
    """'said Smith': the first noun after the verb in the clause; but the person named in
    the words before the next comma ('said lobbyist and GOP strategist Charlie Black')."""
    after = [t for t in tokens if t.i > verb.i]
    for tok in after:
        if tok.is_punct:
            break
        last_of_name = tok.i + 1 == len(tok.doc) or tok.nbor(1).ent_iob_ != "I"
        owner = tok.dep_ == "poss"  # "Clinton's introducer" is not Clinton
        if tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN" and last_of_name and not owner:
            return tok  # the name's last word stands for the name
    for tok in after:
        if tok.pos_ in ("PROPN", "NOUN") and tok.dep_ not in ("npadvmod",):
            head = tok
            # "said Clinton's introducer": the introducer, not Clinton.
            while head.head.i != head.i and head.dep_ in ("compound", "flat", "amod", "poss"):
                head = head.head
            return head
    return None


class _Paragraph:
    """The tokens of one paragraph and its quotes, with the windows around each quote."""

    def __init__(self, doc: Doc, para: Paragraph, quotes: list[QuoteSpan]) -> None:
        self.doc = doc
        self.para = para
        self.quotes = quotes
        span = span_at(doc, para.start, para.end)
        self.tokens: list[Token] = list(span) if span is not None else []
        # Token offsets, for finding a window by bisection: a paragraph can hold thousands
        # of quotes, and scanning all its tokens for each was quadratic.
        self._offsets = [tok.idx for tok in self.tokens]
        self._in_quotes = Ranges([(q.open_pos, q.close_end) for q in quotes])

    def inside_quote(self, tok: Token) -> bool:
        return tok.idx in self._in_quotes

    def _between(self, start: int, end: int) -> list[Token]:
        """The tokens that start in [start, end), in order."""
        return self.tokens[bisect_left(self._offsets, start) : bisect_left(self._offsets, end)]

    def tail(self, index: int) -> list[Token]:
        """Tokens after quote `index` up to the next quote or the end of the clause."""
        quote = self.quotes[index]
        limit = self.quotes[index + 1].open_pos if index + 1 < len(self.quotes) else self.para.end
        out = []
        for tok in self._between(quote.close_end, limit):
            if tok.text in _SENTENCE_END or tok.text == ";":
                break
            out.append(tok)
        return out

    def head(self, index: int) -> list[Token]:
        """Tokens of the sentence before quote `index`, back to the previous quote."""
        quote = self.quotes[index]
        floor = self.quotes[index - 1].close_end if index > 0 else self.para.start
        out: list[Token] = []
        for tok in self._between(floor, quote.open_pos):
            if tok.text in _SENTENCE_END and not self.inside_quote(tok):
                out = []
                continue
            out.append(tok)
        return out


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not t.is_punct and not t.is_space]


def _is_name(doc: Doc, quote: QuoteSpan) -> bool:
    """'... the candidate said in an interview with Sirius XM's "Breitbart News Daily."': a
    title in marks after the cue, not the second half of the quote before it."""
    return is_title(" ".join(text_of(doc)[a:b] for a, b in quote.pieces))


def _only_connective(head: list[Token]) -> bool:
    """'Instead,' 'Now,' 'But': one or two linking words that open a sentence before a quote,
    and nothing else ('called it "a con" and "sick"' only goes on with a list)."""
    words = _words(head)
    return (
        0 < len(words) <= 2
        and words[0].text[:1].isupper()
        and all(t.pos_ in ("ADV", "CCONJ", "INTJ") for t in words)
    )


def _introduction(doc: Doc, para: Paragraph) -> list[Token]:
    """The last sentence of a paragraph when it ends in a colon ('He said:', 'The New York
    Times reports:'), introducing the quotation that opens the next paragraph."""
    tokens = span_at(doc, para.start, para.end)
    words = [t for t in tokens if not t.is_space] if tokens is not None else []
    if not words or words[-1].text != ":" or not words[-1].dep_:
        return []  # no colon, or a paragraph the fast mode left unparsed
    return [t for t in words if t.i >= words[-1].sent.start]


def _clause_between(head: list[Token], cue: Token, speaker: Token | None) -> bool:
    """Does another clause (a finite verb of its own, not one of the speaker's phrase: "said
    the mayor, who was smiling,"; a participle such as "referring to it" is no clause) stand
    between the cue and the next quote?"""
    phrase = {t.i for t in speaker.subtree} if speaker is not None else set()
    return any(t.tag_ in _FINITE and t.i > cue.i and t.i not in phrase for t in _words(head))


_FINITE = frozenset("VBD VBZ VBP MD".split())


def _runs_to_quote(verb: Token, words: list[Token]) -> bool:
    """Do all the words between the verb and the quote belong to the verb's clause?"""
    subtree = {t.i for t in verb.subtree}
    return all(t.i in subtree for t in words if t.i > verb.i)


def _person_subject(words: list[Token]) -> Token | None:
    """The named or pronoun subject of the sentence's top verb ("Trump went even further")."""
    inside = {t.i for t in words}
    tops = [
        t
        for t in words
        if t.pos_ in ("VERB", "AUX") and (t.head.i == t.i or t.head.i not in inside)
    ]
    for top in tops[:1]:
        for child in top.lefts:
            if child.dep_ == "nsubj" and (child.pos_ == "PROPN" or child.lower_ in ("he", "she")):
                return child
    return None


def _trailing_cue(tail: list[Token], continued: bool) -> tuple[Token | None, Token | None]:
    """(cue verb, speaker head) when the clause after a quote attributes it; `continued`: the
    quote ends in a comma ('"...," Sanders said, "..."'), so the sentence goes on after it."""
    words = _words(tail)
    if not words:
        return None, None
    to = according_to(tail[:4] if len(tail) >= 2 else tail)
    if to is not None:
        objs = [c for c in to.children if c.dep_ == "pobj"]
        return to.doc[to.i - 1], objs[0] if objs else _inverted_subject(to, tail)
    for tok in words[:40]:
        if not is_speech_verb(tok):
            continue
        subject = source_of(tok)
        if subject is not None and subject.i < tail[0].i:
            # '"... that adherence to the rules achieved," Ash wrote': the parser may give the
            # verb a second subject inside the quote; the one after the quote says it.
            after = [c for c in tok.lefts if c.dep_ in _SUBJECT_DEPS and c.i >= tail[0].i]
            subject = after[0] if after else subject
        # Everything between the quote and the verb must belong to the speaker's phrase
        # ("Trump lawyer Marc Kasowitz said") or be an adverb or auxiliary ("he later said").
        allowed = set()
        if subject is not None:
            allowed = {t.i for t in subject.subtree}
            # A name the parser splits into several subjects ("Bashar al - Assad"): all of
            # them, when they are one run of proper nouns.
            split_name = [c for c in tok.lefts if c.dep_ in _SUBJECT_DEPS]
            if len(split_name) > 1 and all(c.pos_ == "PROPN" for c in split_name):
                if split_name[-1].i - split_name[0].i == len(split_name) - 1:
                    allowed |= {t.i for c in split_name for t in c.subtree}
        before = [t for t in words if t.i < tok.i]
        if any(
            t.i not in allowed and t.dep_ not in ("advmod", "aux", "neg", "npadvmod")
            for t in before
        ):
            return None, None
        if _reports_something_else(tok, tail[-1].i, continued):
            return None, None
        if subject is None or subject.i < tail[0].i:
            subject = _inverted_subject(tok, tail)
        return tok, subject
    return _manner_of_saying(words) if continued else _dash_credit(tail)


def _manner_of_saying(words: list[Token]) -> tuple[Token | None, Token | None]:
    """'"We will never give up," Smith barked.': a quote, then only a subject and its verb,
    says how the words were said, whatever the verb (barked, retaliated, laughed)."""
    verbs = [t for t in words if t.pos_ == "VERB"]
    if len(verbs) != 1:
        return None, None
    verb = verbs[0]
    subjects = [c for c in verb.lefts if c.dep_ == "nsubj" and c.i >= words[0].i]
    if not subjects or any(c.dep_ not in ("advmod", "npadvmod", "punct") for c in verb.rights):
        return None, None
    allowed = {t.i for t in subjects[0].subtree} | {verb.i}
    allowed |= {c.i for c in verb.children if c.dep_ in ("advmod", "aux", "neg")}
    if any(t.i not in allowed for t in words):
        return None, None
    return verb, subjects[0]


def _reports_something_else(verb: Token, last: int, continued: bool) -> bool:
    """'..." She says it underscores that ...': the verb after a quote has its own content
    (before token `last`; a quote after it may be the second half of this one, and after a
    quote that ends in a comma, what the verb governs inside the next quote is that half)."""
    addressee = verb.lemma_.lower() in ADDRESSEE_VERBS
    for child in verb.rights:
        if child.left_edge.i > last:
            break
        if continued and child.i > last:
            continue  # its head word is in the quote after: the second half of this one
        if child.dep_ == "xcomp" and child.tag_ in ("VBN", "VBD"):
            continue  # '"...," McCain said, asked about it': the question, not a report
        if child.dep_ == "dobj" and _inverted(verb) and _names_someone(child):
            continue  # '"...," exhorted Clinton's introducer, Jamie Lee Curtis': the speaker
        if any(c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT") for c in child.lefts):
            continue  # '"...," he told the lawmakers, who could guess ...': a relative clause
        if child.dep_ in ("ccomp", "xcomp", "csubj") or (child.dep_ == "dobj" and not addressee):
            return True
    return False


def _inverted(verb: Token) -> bool:
    """Does the verb come before its speaker ('said Smith'), having no subject before it?"""
    return not any(c.dep_ in _SUBJECT_DEPS for c in verb.lefts)


def _names_someone(noun: Token) -> bool:
    """Is this a person's name, or a description set beside one ('his aide, Jo Smith')?"""
    return noun.ent_type_ == "PERSON" or any(
        c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in noun.rights
    )


def _dash_credit(tail: list[Token]) -> tuple[Token | None, Token | None]:
    """'"..." ― Pamela Padilla': a name after a dash credits the quote."""
    if not tail or tail[0].text not in DASHES:
        return None, None
    names = [t for t in tail[1:6] if t.pos_ == "PROPN"]
    if names and len(_words(tail)) <= 6:
        return None, names[-1]
    return None, None


def _leading_cue(
    head: list[Token], quote: QuoteSpan
) -> tuple[Token | None, Token | None, str, str]:
    """(cue verb, speaker head, type, pattern) when the clause before a quote attributes it."""
    words = _words(head)
    if not words:
        return None, None, "", ""
    last = head[-1]
    introduced = last.text in (":", ",", "\u2014", "-")
    to = according_to(head)
    if to is not None:
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if objs and introduced:
            return to.doc[to.i - 1], objs[0], "direct", "according"
    verbs = [t for t in words if is_speech_verb(t)]
    if not verbs:
        if last.text == ":" and len(words) <= 5 and all(t.pos_ == "PROPN" for t in words):
            return None, words[-1], "direct", "colon"  # 'Sanders: "..."'
        if last.text == ":" and words[-1].ent_type_ == "PERSON" and words[-1].pos_ == "PROPN":
            return None, words[-1], "direct", "colon"  # 'pollster Daron Shaw: "..."'
        subject = _person_subject(words) if last.text == ":" else None
        if subject is not None:
            return None, subject, "direct", "colon"  # 'Trump went even further: "..."'
        return None, None, "", ""
    # The last cue whose clause runs on to the quote: in 'saying that those who thought so
    # should "look ..."', "thought" does not hold the quote, "saying" does.
    holding = [v for v in reversed(verbs) if _runs_to_quote(v, words)]
    if not holding:
        return None, None, "", ""
    verb = holding[0]
    subject = source_of(verb)
    if subject is None:
        if verb.tag_ == "VBG" and verb.i == words[0].i:
            return verb, None, "direct", "leading"  # 'Adding, "..."': the speaker before's
        return None, None, "", ""
    if last.text == ":" or reported_clause_start(verb, quote.open_pos) >= quote.open_pos:
        # 'said the same thing at every rally: "..."': after a colon, the words are the quote.
        return verb, subject, "direct", "leading"
    if verb.lemma_.lower() == "put" and introduced and words[-1].lower_ == "it":
        return verb, subject, "direct", "leading"  # 'as Tom Ridge put it, "..."'
    if not _reports_a_clause(verb, quote):
        return None, None, "", ""
    return verb, subject, "mixed", "mixed"


def _reports_a_clause(verb: Token, quote: QuoteSpan) -> bool:
    """Is the quote inside what the verb reports? A clause with a verb ("says Syria 'receives
    messages'"), or the name given by a naming verb ("called the plan a 'disaster'") — not a
    verbless aside ("declaring them part of a 'caliphate'")."""
    if verb.lemma_.lower() in NAMING_VERBS:
        return True
    child = _right_child_holding(verb, quote)
    return child is not None and child.pos_ in ("VERB", "AUX")


def _reported_clause_end(verb: Token, quote: QuoteSpan) -> int:
    """Where the clause holding a mixed quote ends: the quote is often only part of what is
    reported ('called Trump a "pathological liar" who is "utterly amoral"')."""
    child = _right_child_holding(verb, quote)
    end = trim_end(child.right_edge, child.left_edge) if child is not None else None
    if end is not None:
        end = _before_writers_aside(verb.doc, quote.close_end, end)
    return quote.close_end if end is None else max(quote.close_end, end.idx + len(end.text))


def _before_writers_aside(doc: Doc, after: int, end: Token) -> Token | None:
    """'as being in the "suburbs of St. Petersburg" — a metaphor for ...', 'was only
    "partial," meaning it ...': past the quotation, a dash or a comma and a participle opens
    the writer's comment on it, not more of the report."""
    tail = span_at(doc, after, end.idx + len(end.text))
    if tail is None:
        return end
    for token in tail:
        before = doc[token.i - 1]
        # ('"partial," meaning': the comma may sit inside the closing mark.)
        comma = doc[token.i - 2] if before.text in _MARK_CHARS and token.i > 1 else before
        participle = token.tag_ == "VBG" and token.dep_ in ("advcl", "acl") and comma.text == ","
        if is_spaced_dash(token) or participle:
            return trim_end(before, tail[0]) if token.i > tail.start else None
    return end


def _right_child_holding(verb: Token, quote: QuoteSpan) -> Token | None:
    """The dependent after the verb whose words hold the quote's start, if one does."""
    for child in verb.rights:
        if child.left_edge.idx <= quote.start < child.right_edge.idx + len(child.right_edge):
            return child
    return None


def reported_clause_start(verb: Token, limit: int) -> int:
    """Start offset of the clause a cue verb reports: after the cue, its addressee ("told
    reporters"), and the time and place phrases ("said on Tuesday"); at most `limit`."""
    skip_deps = {"prt", "dative", "npadvmod", "prep", "advmod", "punct", "agent", "aux", "neg"}
    addressee = verb.lemma_.lower() in ADDRESSEE_VERBS
    for child in verb.rights:
        if child.left_edge.idx >= limit:
            break
        if child.dep_ in skip_deps or (addressee and child.dep_ == "dobj"):
            continue
        return child.left_edge.idx
    return limit


def _is_statement(content: str) -> bool:
    """Long enough to be something said, and not a title ('All Bets Are Off', 'Morning Joe')."""
    words = re.findall(r"[^\W_]+", content)
    if len(words) < _MIN_STATEMENT_WORDS or words[0][0].islower():
        return False  # a phrase, or a piece of a sentence: part of a mixed quote
    return not is_title(content)


_TITLE_SMALL_WORDS = frozenset("a an the of and or in on for to with at by".split())


def is_title(content: str) -> bool:
    """A name in title case ('Gang of Eight', 'Breitbart News Daily'), not words someone said."""
    words = re.findall(r"[^\W_]+", content)
    return 0 < len(words) <= 8 and all(
        w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS or w.isdigit() for w in words
    )


def is_transcript_turn(text: str, para: Paragraph) -> bool:
    """Does the paragraph open with a speaker's name in capitals and a colon?"""
    return _TRANSCRIPT_TURN.match(text, para.start, para.end) is not None


def transcript_turn(doc: Doc, para: Paragraph) -> Attribution | None:
    """'WALLACE: Let's start with ...': one speaker's turn in an interview transcript."""
    match = _TRANSCRIPT_TURN.match(text_of(doc), para.start, para.end)
    if match is None:
        return None
    start, end = without_marks(text_of(doc), match.start("said"), para.end)
    name = span_at(doc, match.start("name"), match.end("name"))
    if name is None or end <= start:
        return None
    turn = Attribution(
        fragments=[[start, end]],
        type="direct",
        pattern="transcript",
        speaker_head=name[-1],
        speaker_span=(match.start("name"), match.end("name")),
        confidence=CONFIDENCE["transcript"],
    )
    _type_by_marks(text_of(doc), turn)
    return turn


# "The Latest: ...", "Breaking: ...", "EXCLUSIVE – Roger Stone: ...": words that open a
# headline before a colon without being who speaks.
_HEADLINE_LABELS = frozenset(
    """
    the a an breaking exclusive watch revealed wow byline look bombshell boom update latest
    analysis opinion editorial live video photos just paid fact check
    """.split()
)
# Who may speak in a "Speaker: claim" headline without being a name: "Poll: Clinton leads".
_REPORT_WORDS = frozenset("poll polls report survey study newspaper".split())
# A place before a colon is the topic ("Ukraine: Russian troops pull back"), not a speaker.
_SPEAKER_LABELS = ("PERSON", "ORG")


def headline_claim(doc: Doc, para: Paragraph, quotes: list[QuoteSpan]) -> Attribution | None:
    """'Pence: Gennifer Flowers Won't Be at Debate', 'Obama on Climate Change: The Trends Are
    "Terrifying."': a headline that gives a speaker, a colon and what the speaker claims
    (`quotes`: the quotations in the headline)."""
    tokens = span_at(doc, para.start, para.end)
    colon = next((t for t in tokens or [] if t.text == ":"), None)
    if colon is None or colon.i == tokens.start:
        return None
    left = list(doc[tokens.start : colon.i])
    dashes = [t.i for t in left if is_spaced_dash(t)]  # not "Pro-Trump"
    if dashes:
        left = [t for t in left if t.i > dashes[-1]]  # "EXCLUSIVE – Roger Stone"
    # "Obama on Climate Change", "Former AG Mukasey at RNC": who, before what about.
    cut = next((k for k, t in enumerate(left) if k and t.pos_ == "ADP"), len(left))
    name = left[:cut]
    if not 1 <= len(name) <= 6 or name[0].lower_ in _HEADLINE_LABELS:
        return None
    if not all(t.text[:1].isupper() or t.is_punct for t in name):
        return None  # "Bill is back: ...": a sentence, not a name
    text, after = text_of(doc), colon.idx + 1
    # "Kasich: 'We Are Going To Go All The Way'": one quotation is the whole claim.
    whole_quote = next(
        (
            q
            for q in quotes
            if not text[after : q.open_pos].strip()
            and not text[q.close_end : para.end].strip(" .\n")
        ),
        None,
    )
    in_marks = whole_quote is not None
    if whole_quote is not None:
        start, end = without_marks(text, whole_quote.open_pos, whole_quote.close_end)
    else:
        start = after + len(text[after : para.end]) - len(text[after : para.end].lstrip())
        end = para.start + len(text[para.start : para.end].rstrip())
        end -= text[end - 1] == "."  # the headline's full stop (one inside a mark stays)
    said = text[start:end]
    if len(said.split()) < 3 or said.endswith("?"):
        return None
    speaker = _headline_speaker(name)
    if speaker is None:
        return None
    claim = Attribution(
        fragments=[[start, end]],
        type="indirect",
        pattern="headline",
        cue=doc[colon.i : colon.i + 1],
        speaker_head=speaker.root,
        speaker_span=(speaker.start_char, speaker.end_char),
        confidence=CONFIDENCE["headline"],
    )
    if in_marks:
        claim.type = "direct"
    elif any(start <= quote.open_pos < end for quote in quotes):
        claim.type = "mixed"  # "Trump Was 'Mocking' Clinton Camp"
    return claim


def _headline_speaker(name: list[Token]) -> Span | None:
    """The name in a headline's speaker part: a person, organisation or people the recogniser
    found, else a run of proper nouns when nothing was recognised, or "Poll"."""
    doc = name[0].doc
    whole = doc[name[0].i : name[-1].i + 1]
    words = {t.text for t in name}
    for ent in doc.ents:
        if ent.label_ not in _SPEAKER_LABELS:
            continue
        if ent.start >= whole.start and ent.end <= whole.end:
            return ent
        if words <= {t.text for t in ent}:
            # "Pence: ...": the recogniser missed him here, not as "Mike Pence" in the article
            # (but "New Rules" is not "The New York Times": every word must be the name's).
            return whole
    if len(name) == 1 and name[0].lower_ in _REPORT_WORDS:
        return whole
    if not doc.has_annotation("ENT_IOB") and all(t.pos_ == "PROPN" for t in name):
        return whole  # the fast mode parses without names
    return None


def without_marks(text: str, start: int, end: int) -> list[int]:
    """The span with the quotation marks (and spaces) at its ends left out."""
    while start < end and text[start] in _MARK_CHARS:
        start += 1
    while end > start and text[end - 1] in _MARK_CHARS:
        end -= 1
    return [start, end]


def _type_by_marks(text: str, att: Attribution) -> None:
    """Speech given without marks is direct, unless it quotes someone inside: then mixed."""
    inner = any(ch in text[a:b] for a, b in att.fragments for ch in '"\u201c\u201d\u2018\u00ab')
    att.type = "mixed" if inner else "direct"


def attribute_quotes(doc: Doc, layout: Layout, quotes: list[QuoteSpan]) -> list[Attribution]:
    """Every quotation that reports speech, with its cue and the mention of its source."""
    found: list[Attribution] = []
    previous_speaker: Attribution | None = None  # last attributed quote, for floating quotes
    current_turn: Attribution | None = None  # the transcript turn being read
    introduction: list[Token] = []  # a paragraph that ended 'He said:'
    for para in layout.paragraphs:
        if para.kind not in (BODY, HEADLINE):
            continue
        introduced_by, introduction = introduction, _introduction(doc, para)
        turn = transcript_turn(doc, para)
        if turn is None and current_turn is not None and len(para.text(text_of(doc))) > 40:
            # A turn runs on over the paragraphs that follow it, up to the next name.
            current_turn.fragments.append(without_marks(text_of(doc), para.start, para.end))
            _type_by_marks(text_of(doc), current_turn)
            continue
        current_turn = turn
        if turn is not None:
            found.append(turn)
            previous_speaker = turn
            continue
        in_para = [q for q in quotes if para.start <= q.open_pos < para.end]
        claim = headline_claim(doc, para, in_para) if para.kind == HEADLINE else None
        if claim is not None:
            found.append(claim)
            continue
        if not in_para:
            if para.kind == BODY:
                previous_speaker = None if len(para.text(text_of(doc))) > 40 else previous_speaker
            continue
        window = _Paragraph(doc, para, in_para)
        merged_into: Attribution | None = None
        for index, quote in enumerate(in_para):
            tail = window.tail(index)
            head = window.head(index)
            last_char = text_of(doc)[quote.end - 1 : quote.end]
            if last_char == "." and tail and tail[0].text[:1].isupper():
                # '"... uncharacteristic." He added, "..."': a new sentence, the next quote's.
                verb, speaker = None, None
            else:
                verb, speaker = _trailing_cue(tail, last_char == ",")
            trailing_verb = verb
            pattern = "trailing"
            # '..., "quote," he said': words before the quote make the report mixed.
            kind = "mixed" if _words(head) and head[-1].text not in (":", ",") else "direct"
            if verb is not None and verb.lower_ == "according" and _words(head):
                # '..., saying that they should "look for a psychiatrist," according to
                # Reuters': Reuters reports the saying; the one saying it is the speaker.
                leading = _leading_cue(head, quote)
                if leading[0] is not None:
                    verb, speaker, kind, pattern = leading
            if verb is None and speaker is None:
                verb, speaker, kind, pattern = _leading_cue(head, quote)
            opens_paragraph = not text_of(doc)[para.start : quote.open_pos].strip()
            if verb is None and speaker is None and introduced_by and opens_paragraph:
                # 'He said:' closing the paragraph before: this quote is what he said.
                introduced = _leading_cue(introduced_by, quote)
                named = introduced[1] is not None and (
                    introduced[1].pos_ in ("PROPN", "PRON") or introduced[1].ent_type_
                )
                if named:
                    verb, speaker, kind, pattern = introduced
            # "A," he said, "B": the second piece joins the first.
            own_cue = verb is not None or speaker is not None
            same_cue = merged_into is not None and verb is not None and verb == merged_into.cue_root
            if same_cue and _is_name(doc, quote):
                continue  # 'said on CNN's "State of the Union" Sunday. "..."': a title
            if same_cue and _clause_between(head, verb, speaker):
                # '"A," says Llamas, but he was shocked by the "gun show loophole"': words in
                # marks further on in the speaker's sentence are not the rest of the quote.
                merged_into = None
                continue
            if merged_into is not None and (same_cue or (not own_cue and not _words(head))):
                merged_into.fragments.extend(quote.pieces)
                merged_into.pattern = "interrupted"
                merged_into.confidence = CONFIDENCE["interrupted"]
                # A sentence after it that does not attribute it ('"B." The judge interrupted
                # me. "C"') ends the run of pieces.
                merged_into = merged_into if trailing_verb is None and not _words(tail) else None
                continue
            if verb is None and speaker is None:
                # 'Trump said. Instead, "he just acts ..."': after a word that only links it
                # to the sentence before, a quote goes on with that sentence's speaker.
                follows_on = (
                    previous_speaker is not None
                    and previous_speaker.start >= para.start
                    and _only_connective(head)
                )
                if (
                    (opens_paragraph or follows_on)
                    and previous_speaker is not None
                    and para.kind == BODY
                ):
                    att = Attribution(
                        fragments=[list(p) for p in quote.pieces],
                        type="direct",
                        pattern="floating",
                        inherits=previous_speaker,
                        confidence=CONFIDENCE["floating"],
                    )
                    if follows_on and text_of(doc)[quote.start : quote.start + 1].islower():
                        # 'Instead, "he just acts ..."': the sentence is the speaker's, mixed.
                        att.fragments = [[_words(head)[0].idx, quote.close_end]]
                        att.type = "mixed"
                    found.append(att)
                merged_into = None
                continue
            if speaker is not None and window.inside_quote(speaker):
                speaker = None  # 'Adding, "what they do ..."': nobody inside the quote says it
            if kind == "mixed" and pattern == "trailing":
                pieces = [[_words(head)[0].idx, quote.close_end]]
            elif kind == "mixed":
                start = reported_clause_start(verb, quote.open_pos)
                pieces = [[start, _reported_clause_end(verb, quote)]]
            else:
                pieces = [list(p) for p in quote.pieces]
            att = Attribution(
                fragments=pieces,
                type=kind,
                pattern="mixed" if kind == "mixed" else pattern,
                cue=cue_phrase(verb) if verb is not None and pattern != "according" else None,
                speaker_head=speaker,
                speaker_span=mention_span(speaker) if speaker is not None else None,
                confidence=CONFIDENCE["mixed" if kind == "mixed" else pattern],
            )
            if pattern == "according" and verb is not None:
                att.cue = doc[verb.i : verb.i + 2]
            if speaker is None and previous_speaker is not None:
                if previous_speaker.start >= para.start:
                    att.inherits = previous_speaker  # 'Maher stated ... Adding, "..."'
            att.says_it_all = pattern == "trailing" and not _words(head)
            found.append(att)
            previous_speaker = att if speaker is not None else previous_speaker
            att.cue_root = verb
            merged_into = att if pattern == "trailing" else None
    return [
        att
        for att in found
        if att.type != "direct"
        or att.says_it_all
        or _is_statement(" ".join(text_of(doc)[a:b] for a, b in att.fragments))
    ]
