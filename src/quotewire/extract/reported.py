"""Reported speech without quotation marks: every clause a word of the article may be reporting.

For each word that could be a cue (a verb, a noun such as "claim", "according to") this finds
the clause it would report and the mention of who would be reporting it:
- after the cue:   Assad said [there was no direct cooperation]; he urged [Republicans to join]
- before the cue:  [third parties have been conveying messages], he confirmed
- around the cue:  [The museum, Mr. Bush said, celebrated his heroes]
- according to:    [the plan failed], according to the minister
- nominal cue:     his claim [that the vote was rigged]
- passive cue:     [the plan] was endorsed by the mayor
These are candidates, many more than there are reports: the attribution model decides which
are reports of speech or thought, and how sure it is (see `attribution_model`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from quotewire.extract.cues import ADDRESSEE_VERBS, is_speech_verb
from quotewire.extract.docs import Ranges, text_of

# Right-hand dependents of a cue that sit between it and what it reports ("told reporters
# on Tuesday that ..."): skipped when looking for the start of the reported clause.
_BEFORE_CONTENT = {"prt", "dative", "npadvmod", "advmod", "punct", "agent", "aux", "neg", "auxpass"}
# Dependents that can be what a cue reports.
_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "attr", "acomp", "oprd", "advcl", "acl"}
# Dependents that end the reported clause: another verb joined with "and", a second clause.
_AFTER_CONTENT = {"cc", "conj", "punct", "parataxis"}
_CUE_POS = {"VERB", "AUX", "NOUN"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_MAX_CHARS = 800  # a longer "clause" is a parse gone wrong
DASHES = frozenset({"\u2014", "\u2015", "\u2013", "-", "--"})
# Things that carry someone's words: "issued a statement saying ..." is the issuer's report.
_SPEECH_NOUNS = frozenset(
    """
    statement statements letter release tweet tweets email emails note memo message post
    video ad advertisement op-ed column filing motion brief lawsuit suit petition
    piece article story editorial essay report book
    """.split()
)


@dataclass
class Candidate:
    """A clause some cue may report, before the model has judged it."""

    start: int  # char offsets of the reported clause
    end: int
    cue: Token  # the head word of the cue
    # where the content lies from the cue: "right", "left", "around", "according",
    # "passive" (the subject of a passive cue) or "as" (what an "as" clause comments on)
    side: str
    content_head: Token  # the head of the reported clause
    source: Token | None  # the head of who reports it, if the parse gives one
    # which reading of the clause: "whole", its "first" complement, a passive's whole "clause"
    variant: str = "whole"

    @classmethod
    def between(
        cls,
        first: Token,
        last: Token,
        cue: Token,
        side: str,
        head: Token,
        source: Token | None,
        variant: str = "whole",
    ) -> Candidate:
        """The candidate whose clause runs from word `first` to word `last`, both included."""
        end = last.idx + len(last.text)
        return cls(first.idx, end, cue, side, head, source, variant)


def candidates(doc: Doc, allowed: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Every clause-reporting candidate in the document (in `allowed` char ranges, if given)."""
    found: list[Candidate] = []
    inside = Ranges(allowed) if allowed is not None else None
    for token in doc:
        if inside is not None and token.idx not in inside:
            continue
        if (
            token.lower_ == "according"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ == "to"
        ):
            readings = [_according(token)]
        elif token.pos_ in _CUE_POS:
            readings = _right(token)
            if all(cand.content_head.dep_ in ("prep", "advcl") for cand in readings):
                # "X, Mr. Obama said in his interview": a phrase or clause after the cue may be only
                # where or why it was said; the clause before it is read too.
                readings += _left(token)
            readings += _passive_subject(token) + _as_clause(token)
        else:
            readings = []
        for cand in readings:
            if cand is not None and 0 < cand.end - cand.start <= _MAX_CHARS:
                found.append(cand)
    return found


def _right(cue: Token) -> list[Candidate]:
    """The clause after the cue, read two ways: its first complement alone ("urged [them]"),
    and from there to the end of its last one ("urged [them to join]")."""
    addressee = cue.lemma_.lower() in ADDRESSEE_VERBS
    rights = list(cue.rights)
    if cue.lemma_.lower() in ("quote", "cite") and any(
        c.lower_ == "as" and any(g.dep_ == "pcomp" for g in c.children) for c in rights
    ):
        return []  # "quoted Keller as saying X": the report is X, made by Keller
    first = None
    for index, child in enumerate(rights):
        if child.dep_ in _BEFORE_CONTENT or child.is_space or (addressee and child.dep_ == "dobj"):
            continue  # (a run of spaces in a scraped page is a token too: "said  he ...")
        if child.dep_ == "prep" and index + 1 < len(rights):
            # "said on Tuesday ...", "said during a rally in Ohio that ...": a phrase of when or
            # where, or any phrase before the clause the cue reports, is not what was said.
            if _is_time_or_place(child) or any(r.dep_ == "ccomp" for r in rights[index + 1 :]):
                continue
        if child.dep_ in _CONTENT_DEPS:
            first = index
        break
    if first is None:
        return []
    last = first
    for index in range(first + 1, len(rights)):
        if rights[index].dep_ in _AFTER_CONTENT or _is_circumstance(rights[index]):
            break
        last = index
    start_tok = rights[first].left_edge
    source = source_of(cue)
    readings = []
    for variant, end_child in (("whole", rights[last]), ("first", rights[first])):
        end_tok = trim_end(_before_aside(start_tok, end_child.right_edge), start_tok)
        if end_tok is not None:
            end_tok = _before_second_predicate(cue, start_tok, end_tok)
        if end_tok is None:
            continue
        reading = Candidate.between(
            start_tok, end_tok, cue, "right", rights[first], source, variant
        )
        if not readings or reading.end != readings[0].end:
            readings.append(reading)
    return readings


def _before_second_predicate(cue: Token, start: Token, end: Token) -> Token:
    """'Paul said [the plan would pay illegal immigrants], and called him ...': the parse hangs
    the cue's second verb on the verb of what it reports; the report ends before it."""
    doc = start.doc
    for token in doc[start.i + 1 : end.i + 1]:
        reporter = _reporter(token) if token.dep_ == "conj" and token.head.i != cue.i else None
        if reporter is not None and reporter.i == cue.i:
            edge = token.left_edge.i - 1
            while edge > start.i and (doc[edge].dep_ == "cc" or doc[edge].is_punct):
                edge -= 1
            return doc[edge]
    return end


def _auxiliaries(verb: Token) -> set[str]:
    return {c.lemma_.lower() for c in verb.children if c.dep_ == "aux"}


def _second_predicate_of(verb: Token, cue: Token) -> bool:
    """Is `verb`, joined by 'and' to a verb inside what `cue` reports, really the cue's second
    verb? It has no subject of its own, and it matches the cue (the same lemma, or the same
    tense where its head has another, or the same auxiliary where its head has none) — but
    'has criticized X and called Y' shares its head's auxiliary, so stays with it."""
    if verb.dep_ != "conj" or verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        return False
    head, own = verb.head, _auxiliaries(verb)
    if {"have", "be"} & _auxiliaries(head) and not own:
        return False
    if verb.lemma_ == cue.lemma_ or (verb.tag_ == cue.tag_ and verb.tag_ != head.tag_):
        return True
    return bool(own) and own == _auxiliaries(cue) and not _auxiliaries(head)


def _reporter(verb: Token) -> Token | None:
    """The reporting verb whose reported clause the parse wrongly put `verb` in, if any."""
    current = verb.head
    for _ in range(6):
        if current.dep_ == "ccomp" and current.head.pos_ in ("VERB", "AUX"):
            cue = current.head
            if is_speech_verb(cue) and _second_predicate_of(verb, cue):
                return cue
        if current.dep_ not in ("ccomp", "xcomp", "conj", "advcl"):
            break
        current = current.head
    return None


def _before_aside(start: Token, end: Token) -> Token:
    """A clause that ends in an aside set off by a comma (", which ...", ", who ...") ends
    before it: the aside is the writer's, not the report. So does one that ends in a second
    report (", arguing that it was ..."); a participle that reports no clause goes with the
    report (", describing him as part of the problem")."""
    for token in start.doc[start.i + 1 : end.i + 1]:
        if token.dep_ == "relcl" or _reports_clause(token):
            if token.right_edge.i < end.i - 1:
                continue
            edge = token.left_edge
            if edge.i - 1 > start.i and edge.nbor(-1).text == ",":
                return edge.nbor(-1)
    dashes = [t for t in start.doc[start.i : end.i + 1] if t.text in DASHES]
    if len(dashes) == 1 and start.i + 1 < dashes[0].i < end.i and is_spaced_dash(dashes[0]):
        dash = dashes[0]
        # "in the primary - chatter that may simmer down": a trailing aside (measured on
        # PolNeAR dev, +0.007 F1), but not a dash inside quotation marks.
        said = text_of(start.doc)[start.idx : dash.idx]
        if said.count("\u201c") <= said.count("\u201d") and said.count('"') % 2 == 0:
            return dash.nbor(-1)
    return end


def _reports_clause(token: Token) -> bool:
    """Is `token` a participle with a clause of its own (', arguing that it was ...')?
    Measured on PolNeAR dev: quote F1 +0.001, indirect recall +0.003."""
    return (
        token.dep_ == "advcl"
        and token.tag_ == "VBG"
        and any(c.dep_ == "ccomp" for c in token.children)
    )


def is_spaced_dash(token: Token) -> bool:
    """A dash between words, not a hyphen: 'hurdle - a conviction', 'hurdle—a conviction'."""
    if token.text not in DASHES:
        return False
    # An em dash may stand unspaced; a hyphen or an en dash between words joins them
    # ("Dallas\u2013Fort Worth").
    unspaced_ok = token.text not in ("-", "\u2013")
    return unspaced_ok or bool(token.whitespace_ and token.i and token.nbor(-1).whitespace_)


def _left(cue: Token) -> list[Candidate]:
    """'..., he confirmed': a clause before the cue that the cue governs or that governs it."""
    if cue.pos_ == "NOUN":
        return []
    subject = source_of(cue)
    if subject is None:
        return []
    for child in cue.lefts:
        if child.dep_ == "ccomp" and child.i < subject.i:
            start_tok = _past_joiners(child.left_edge, child)  # "But third parties ...": no "But"
            end_tok = trim_end(child.right_edge, start_tok)
            if end_tok is None:
                return []
            return [Candidate.between(start_tok, end_tok, cue, "left", child, subject)]
    if cue.dep_ == "parataxis" and cue.head.i < cue.i:
        head = cue.head  # "The talks failed, he said": the parse hangs "said" on "failed"
        start_tok = head.left_edge
        end_tok = trim_end(cue.left_edge.nbor(-1) if cue.left_edge.i > 0 else cue, start_tok)
        if end_tok is None or end_tok.i >= cue.i:
            return []
        readings = [Candidate.between(start_tok, end_tok, cue, "left", head, subject)]
        last = cue.doc[max(head.right_edge.i, cue.right_edge.i)]
        closing = _closing_comma(cue)
        if closing is not None and last.i > closing:
            # "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt": the report
            # may run on past the cue; the model weighs both readings.
            readings += _through_cue(cue, head, subject, start_tok, last, cue.i)
        return readings
    if cue.dep_ == "parataxis" and _set_off(cue):
        return _around(cue, subject)
    return []


def _past_joiners(start: Token, stop: Token) -> Token:
    """The first word from `start` (and before `stop`) that is not a joining word or a mark:
    a report does not start with the "But" or the comma that ties it to what came before."""
    while start.i < stop.i and start.dep_ in ("cc", "punct"):
        start = start.nbor()
    return start


def _passive_subject(cue: Token) -> list[Candidate]:
    """What a passive cue reports, and who (PolNeAR marks these as reports too):
    - "[The plan] was endorsed by the mayor": the subject, reported by the agent;
    - "[a record penalty] imposed by the bureau": the noun the participle describes;
    - "[He has been criticized for his policies]", no one named: the subject alone, or the
      whole clause (the model weighs both)."""
    agent = next((c for c in cue.children if c.dep_ == "agent"), None)
    source = None
    if agent is not None:
        source = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if source is None:
            return []
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
    if subject is not None:
        start_tok = subject.left_edge
        end_tok = trim_end(subject.right_edge, start_tok)
    elif agent is not None and cue.dep_ == "acl" and cue.head.i < cue.i:
        subject = cue.head
        start_tok = subject.left_edge
        end_tok = trim_end(cue.left_edge.nbor(-1), start_tok)
    else:
        return []
    readings = []
    if end_tok is not None:
        readings.append(Candidate.between(start_tok, end_tok, cue, "passive", subject, source))
    last = trim_end(_before_aside(start_tok, cue.right_edge), start_tok)
    if agent is None and last is not None and last.i > cue.i:
        readings.append(Candidate.between(start_tok, last, cue, "passive", cue, None, "clause"))
    return readings


def _as_clause(cue: Token) -> list[Candidate]:
    """'As Mr. Smith put it, [the plan is dead]', '[Patriot failed], as predicted': the clause
    that an "as" clause of the cue comments on."""
    head = cue.head
    if cue.dep_ != "advcl" or head.i == cue.i or head.pos_ not in ("VERB", "AUX"):
        return []
    if not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < cue.i for c in cue.children):
        return []
    head_end = trim_end(head.right_edge, head.left_edge) or head
    if cue.left_edge.i <= head.left_edge.i:  # "As Mr. Smith put it, [...]"
        start_tok, last = cue.right_edge.nbor(), head.right_edge
        while start_tok.i < last.i and start_tok.is_punct:
            start_tok = start_tok.nbor()
    elif cue.right_edge.i >= head_end.i:  # "[...], as predicted"
        start_tok, last = head.left_edge, cue.left_edge.nbor(-1)
    else:  # "[Hawaii, as his adviser noted, rarely gets hurricanes]"
        start_tok, last = head.left_edge, head.right_edge
    end_tok = trim_end(last, start_tok)
    if end_tok is None or end_tok.i <= start_tok.i:
        return []
    return [Candidate.between(start_tok, end_tok, cue, "as", head, source_of(cue))]


def _closing_comma(cue: Token) -> int | None:
    """', he said,': where the commas that set the cue off inside the sentence it reports
    close (the second comma's index), or None when the cue is not set off."""
    doc, left, right = cue.doc, _parenthesis_start(cue), cue.right_edge.i
    # The commas may hang on the cue or on the clause around it.
    before = left if doc[left].text == "," else left - 1
    after = right if doc[right].text == "," else right + 1
    if 0 < before and after < len(doc) and doc[before].text == doc[after].text == ",":
        return after
    return None


def _parenthesis_start(cue: Token) -> int:
    """Where ', he said,' starts: at the cue's subject, even when the parse hangs the clause
    before the parenthesis on the cue ("If it fails, Mr. Castañeda argues, there are ...")."""
    own = [c.left_edge.i for c in cue.lefts if c.dep_ not in ("advcl", "punct")]
    return min(own, default=cue.i)


def _set_off(cue: Token) -> bool:
    """', he said,': a cue between commas, inside the sentence it reports."""
    return _closing_comma(cue) is not None


def _around(cue: Token, subject: Token) -> list[Candidate]:
    """'The museum, Mr. Bush said, celebrated his heroes': the clause the cue interrupts,
    parenthesis and all, as the reported span runs on through it."""
    head = cue.head
    start_tok = _past_joiners(head.left_edge, cue)  # "But to prevent problems, he said, ..."
    parenthesis = _parenthesis_start(cue)
    if start_tok.i >= parenthesis - 1:
        # "But, he said, it is a risky strategy", "Sometimes, they say, it means ...": one
        # word before the parenthesis; the report is the whole sentence around it.
        start_tok = head.left_edge
        if start_tok.i >= parenthesis:
            return []  # nothing before the parenthesis
    return _through_cue(cue, head, subject, start_tok, head.right_edge, cue.right_edge.i)


def _through_cue(
    cue: Token, head: Token, subject: Token, start_tok: Token, last: Token, past: int
) -> list[Candidate]:
    """The 'around' reading from `start_tok` to `last` (less a trailing aside), when it still
    ends after token `past`."""
    end_tok = trim_end(_before_aside(start_tok, last), start_tok)
    if end_tok is None or end_tok.i <= past:
        return []
    return [Candidate.between(start_tok, end_tok, cue, "around", head, subject)]


def _according(according: Token) -> Candidate | None:
    """'The plan failed, according to the minister': the clause the phrase hangs on."""
    to = according.doc[according.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    phrase = according if according.dep_ == "prep" else to
    clause = phrase.head
    if clause.i == phrase.i:
        return None
    inside = {t.i for t in phrase.subtree} | {according.i, to.i}
    tokens = [t for t in clause.subtree if t.i not in inside]
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)  # "According to X, [the plan failed]": not the comma
    if not tokens:
        return None
    start_tok = tokens[0]
    end_tok = trim_end(tokens[-1], start_tok)
    while end_tok is not None and end_tok.i in inside:
        end_tok = trim_end(end_tok.nbor(-1), start_tok) if end_tok.i > start_tok.i else None
    if end_tok is None:
        return None
    source = objects[0] if objects else None
    return Candidate.between(start_tok, end_tok, according, "according", clause, source)


def trim_end(end: Token, start: Token) -> Token | None:
    """The last word of a span, leaving out closing punctuation and spaces."""
    while end.i > start.i and (end.is_punct or end.is_space) and end.text not in ('"', "\u201d"):
        end = end.nbor(-1)
    if end.is_space or (end.is_punct and end.i == start.i):
        return None
    return end


# Where or how something was said: "in a statement", "during a rally", "at a news conference".
_SETTING_PREPS = frozenset("during at before after since while amid".split())
_SETTING_NOUNS = frozenset(
    "statement interview ruling letter tweet tweets speech email post op-ed remarks conference"
    " rally hearing debate appearance briefing memo filing report video broadcast".split()
)


# Conjunctions of a clause that says why or when, not what: "said X [because ...]".
_CIRCUMSTANCE_MARKS = frozenset(
    "as because while so although though since after before when until whereas".split()
)


def _is_circumstance(child: Token) -> bool:
    """A phrase after what a cue reports that says when, where or how it was said."""
    if child.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in _CIRCUMSTANCE_MARKS for c in child.children)
    if child.dep_ != "prep":
        return False
    objects = [c for c in child.children if c.dep_ == "pobj"]
    setting = bool(objects) and objects[0].lemma_.lower() in _SETTING_NOUNS
    return child.lower_ in _SETTING_PREPS or setting or _is_time_or_place(child)


def _is_time_or_place(prep: Token) -> bool:
    """'said on Tuesday', 'told reporters in Moscow': a phrase that is not what was said."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and objects[0].ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC")


def source_of(cue: Token) -> Token | None:
    """Who reports: the subject of a cue verb (through infinitives and conjuncts), the agent of
    a passive, the owner of a nominal cue ("his claim")."""
    if cue.dep_ == "conj" and not any(c.dep_ in _SUBJECT_DEPS for c in cue.children):
        reporter = _reporter(cue)
        if reporter is not None:
            return source_of(reporter)  # "Paul said [...] and called him": Paul
    current = cue
    for _ in range(4):
        for child in current.children:
            if child.dep_ in _SUBJECT_DEPS:
                # "It had been assumed that ...": an expletive "it" is nobody; and "Sanders
                # was asked" or "has been criticized" says nothing of who asked or criticized.
                if _expletive(child) or (child.dep_ == "nsubjpass" and current is cue):
                    return None
                noun = antecedent(child)
                if noun is not child and noun.lower_ in _SPEECH_NOUNS:
                    # "The Post ran a piece that noted ...": the piece's author.
                    return _author_of(noun) or child
                return child
        for child in current.children:
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return objects[0]
        if current.pos_ == "NOUN":
            owner = _author_of(current)
            if owner is not None:
                return owner
        if current.dep_ == "pcomp" and current.head.lower_ == "as":
            # "The newspaper quoted Keller as saying ...": the one quoted is the source.
            reporter = current.head.head
            objects = [c for c in reporter.children if c.dep_ in ("dobj", "nsubjpass")]
            return objects[0] if objects else None
        if current.tag_ == "VBN" and current.dep_ == "advcl":
            return None  # "Asked about it, Assad said": the asker is not the one answering
        if current.pos_ == "ADP" and current.dep_ == "prep":
            current = current.head  # "began by saying ...": the one who began
            continue
        if current.dep_ in ("xcomp", "advcl", "conj", "ccomp", "acl", "relcl", "pcomp"):
            if current.dep_ in ("acl", "relcl") and current.head.pos_ in ("NOUN", "PROPN"):
                noun = current.head
                if current.dep_ == "acl" and noun.lower_ in _SPEECH_NOUNS:
                    # "McConnell issued a statement saying ...": the statement's author.
                    author = _author_of(noun)
                    if author is not None:
                        return author
                return noun  # "officials who said ...", "a statement saying ..."
            if (
                current.dep_ == "advcl"
                and current.tag_ == "VBG"
                and current.head.dep_ == "ccomp"
                and current.head.head.i < current.i
            ):
                # "The US said [Assad cannot be a partner, describing him as ...]": the
                # participle goes with the one reporting, wherever the parse hangs it (a
                # reporting verb before it; one after is in what it reports).
                current = current.head
            current = current.head
            continue
        break
    return None


def _author_of(noun: Token) -> Token | None:
    """Whose claim or statement: its owner ("his claim", "a claim by Trump"), or the subject
    of the verb that has it ("Trump made charges that ...", "McConnell issued a statement")."""
    owner = _owner_of(noun)
    if owner is None and noun.dep_ == "dobj":
        owner = _subject_of(noun.head)
    if owner is None and noun.dep_ == "pobj" and noun.head.lower_ == "in":
        # "Zoe Lofgren said in a statement that ...": the one who said it.
        verb = noun.head.head
        owner = _subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    return owner


def _subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and not _expletive(c)]
    return subjects[0] if subjects else None


def _expletive(subject: Token) -> bool:
    """'It' that only announces a clause: 'it was reported that', 'it is said that'."""
    if subject.lower_ != "it":
        return False
    verb = subject.head
    return subject.dep_ == "nsubjpass" or any(c.dep_ == "ccomp" for c in verb.rights)


def _owner_of(noun: Token) -> Token | None:
    """Whose claim: "his claim", "Trump's charge", "the Trump claim", "a claim by Trump"."""
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ == "compound" and child.pos_ == "PROPN"):
            return child
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def antecedent(source: Token) -> Token:
    """The noun a relative pronoun stands for ("officials [who] said"); else the source itself."""
    if source.tag_ in ("WP", "WDT") and source.head.dep_ == "relcl":
        return source.head.head
    return source
