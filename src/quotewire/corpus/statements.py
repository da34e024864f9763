"""Statements: the quotes of one person, across articles, that report the same words.

A statement gathers exact copies, near copies (punctuation, case, contractions, dropped
articles, "..." elisions), truncations, and a quote that is a part of a longer one; its
canonical wording is the fullest version. An indirect report that paraphrases it closely, in
an article that quotes it, is linked to it. Flags say what a reader should check: changed
words, a cut that drops a negation, the same words given to someone else, a paraphrase that
claims more.

Each person's quotes are grouped apart from everyone else's, greedy in quote order (ingest
order), each quote compared only with the person's statements that share a sampled word
shingle with it, so the cost grows near-linearly and people can be grouped in parallel. Words
given to someone else are then found by the same shingles across people.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Contractions are spelled out before comparing: "there's" and "there is" are the same words.
_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
}
_SUFFIXES = {
    "n't": " not",
    "'re": " are",
    "'ve": " have",
    "'ll": " will",
    "'d": " would",
    "'m": " am",
}
_S_WORDS = {"it's", "that's", "there's", "here's", "what's", "he's", "she's", "who's", "where's"}
_ARTICLES = frozenset({"a", "an", "the"})
_NEGATIONS = frozenset({"not", "no", "never", "nothing", "none", "nobody", "neither", "nor"})
_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those there here he she they we you i me him her them us our your
    their his my do does did have has had will would can could should may might must shall not
    no so than then very just also about into over after before which who whom what when where
    why how all any some such only own same too more most other s said says say""".split()
)
_SHINGLE = 2  # words per indexed shingle
_SAMPLE = 2  # one shingle in this many is indexed (the same ones for every quote)
MAX_POSTINGS = 50  # a shingle shared by more statements than this says nothing
_CONTAINMENT = 0.8  # of the shorter quote's words found, in order, in the longer one
_MIN_WORDS = 3  # words two quotes must share to be one statement
# Shorter quotes ("rigged", "top secret", "Gang of Eight") are anyone's words: each stays a
# statement of its own.
_MIN_STATEMENT_WORDS = 4
# Statements of two people are compared word by word only when they share at least this
# share of the shorter one's sampled shingles.
_SHARED_SHINGLES = 0.5
_MIN_PART_WORDS = 6  # words of a longer quote a part (or truncation) must repeat
_MEAN_RUN = 3  # words per unbroken run they must average (scattered words are no quote)
# An indirect report paraphrases a statement closely when this share of its content words,
# and at least this many, are the statement's (set on PolNeAR train articles, judged by hand).
_PARAPHRASE = 0.65
_MIN_SHARED_CONTENT = 4


@dataclass(frozen=True)
class QuoteText:
    """One quote as statements see it."""

    id: int
    text: str
    type: str  # direct | mixed | indirect
    person: int | None
    article: int | None = None


@dataclass
class Occurrence:
    quote: int
    relation: str  # canonical | exact | near | truncation | part | longer | paraphrase
    diff: list[tuple[str, str]] = field(default_factory=list)  # (op, words) against canonical
    flags: list[str] = field(default_factory=list)


@dataclass
class Statement:
    person: int | None
    canonical: int  # the quote whose wording is the fullest
    members: list[Occurrence] = field(default_factory=list)  # the quote that began it first
    flags: set[str] = field(default_factory=set)
    wording: str = ""  # the canonical quote's words

    @property
    def quotes(self) -> list[int]:
        return [m.quote for m in self.members]


# Quoted words inside a mixed quote: “...”, "...", «...», and ‘...’ when it holds a space. A
# clause may end inside its quotation, before the closing mark.
_QUOTED = re.compile(
    r"\u201c([^\u201d]+)(?:\u201d|$)|\"([^\"]+)(?:\"|$)|\u00ab([^\u00bb]+)(?:\u00bb|$)"
    r"|\u2018([^\u2019]+ [^\u2019]+)\u2019"
)


def quoted_words(text: str) -> str:
    """The words a mixed quote puts in quotation marks, parts joined by an elision ("...");
    the whole text when it has none."""
    parts = [next(g for g in match.groups() if g) for match in _QUOTED.finditer(text)]
    return " ... ".join(p.strip(" ,.") for p in parts) if parts else text


def words_said(text: str, quote_type: str, fragments: list[list[int]], start: int) -> str:
    """What the speaker is reported to have said, word for word: the quoted parts of a mixed
    quote, the fragments of an interrupted one without the "he said" between them."""
    if quote_type == "mixed":
        return quoted_words(text)
    if len(fragments) > 1:
        return " ... ".join(text[a - start : b - start] for a, b in fragments)
    return text


def words_of(text: str) -> list[str]:
    """The words a statement compares: lower case, contractions spelled out, no punctuation."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    out: list[str] = []
    for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text):
        if word in _CONTRACTIONS:
            out += _CONTRACTIONS[word].split()
            continue
        if word in _S_WORDS:
            out += [word[:-2], "is"]
            continue
        for suffix, spelled in _SUFFIXES.items():
            if word.endswith(suffix) and len(word) > len(suffix):
                out += (word[: -len(suffix)] + spelled).split()
                break
        else:
            out.append(word.removesuffix("'s") if word.endswith("'s") else word)
    return out


def _key_words(words: list[str]) -> list[str]:
    """Words as grouping compares them: without articles ("convey a message" is "convey
    message") and without plural endings, so that a changed "parties"/"party" still finds
    its statement (the diff then shows the change)."""
    return [_stem(w) for w in words if w not in _ARTICLES]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _shingles(words: list[str]) -> set[int]:
    if len(words) < _SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode())
        for i in range(len(words) - _SHINGLE + 1)
    }


def _sampled(shingles: set[int]) -> set[int]:
    # The same shingles are sampled from every quote, so a part keeps its longer quote's.
    chosen = {t for t in shingles if t % _SAMPLE == 0}
    return chosen or set(sorted(shingles)[:1])


@dataclass
class _Entry:
    """What grouping keeps of each quote of a statement."""

    quote: QuoteText
    words: list[str]
    keys: list[str]
    shingles: set[int]


def _relation(new: _Entry, old: _Entry) -> tuple[str, float] | None:
    """How `new` reports the words of `old`, if it does, with the share of words aligned."""
    matcher = difflib.SequenceMatcher(a=old.keys, b=new.keys, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    shorter, longer = sorted((len(new.keys), len(old.keys)))
    if matched < min(_MIN_WORDS, shorter) or matched < _CONTAINMENT * shorter:
        return None
    if new.quote.text == old.quote.text:
        return "exact", 1.0
    if new.keys == old.keys:
        return "near", 1.0
    if matched >= _CONTAINMENT * longer:
        return "near", matched / longer
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    # A part of a longer quote repeats runs of its words, long enough together not to be a
    # stock phrase ("we have to do it").
    if matched < _MIN_PART_WORDS or matched / len(blocks) < _MEAN_RUN:
        return None
    if len(new.keys) > len(old.keys):
        return "longer", matched / shorter
    at_edge = blocks[0].a == 0 or blocks[-1].a + blocks[-1].size == len(old.keys)
    return ("truncation" if at_edge else "part"), matched / shorter


def _diff(canonical: list[str], variant: list[str]) -> list[tuple[str, str]]:
    """Word-level diff of a variant against the canonical wording: (op, words) runs with op
    one of = (same), - (left out), + (added), ~ (changed: "old -> new")."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=canonical, b=variant, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(canonical[a1:a2])))
        elif op == "delete":
            out.append(("-", " ".join(canonical[a1:a2])))
        elif op == "insert":
            out.append(("+", " ".join(variant[b1:b2])))
        else:
            out.append(("~", f"{' '.join(canonical[a1:a2])} -> {' '.join(variant[b1:b2])}"))
    return out


def _variant_flags(canonical: _Entry, variant: _Entry) -> list[str]:
    """What a reader should check in a variant (nothing for a faithful copy or cut)."""
    # Words as written (articles aside): "parties" for "party" is a changed word.
    said = [w for w in canonical.words if w not in _ARTICLES]
    reported = [w for w in variant.words if w not in _ARTICLES]
    matcher = difflib.SequenceMatcher(a=said, b=reported, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return ["changed-words"]
    # Only the stretch of the canonical wording the variant covers is compared: a truncation
    # leaves out the rest by design.
    first, last = blocks[0].a, blocks[-1].a + blocks[-1].size
    ops = [op for op in matcher.get_opcodes() if op[2] > first and op[1] < last]
    elided = "..." in variant.quote.text or "\u2026" in variant.quote.text
    flags = []
    if any(op[0] in ("replace", "insert") or (op[0] == "delete" and not elided) for op in ops):
        flags.append("changed-words")
    # Negations are counted, not named: "not anything" for "nothing" keeps the meaning.
    negations_said = sum(w in _NEGATIONS for w in said[first:last])
    negations_reported = sum(w in _NEGATIONS for w in reported)
    if negations_said > negations_reported:
        flags.append("negation-dropped")
    elif negations_reported > negations_said:
        flags.append("negation-added")
    return flags


def _content(words: Iterable[str]) -> set[str]:
    """The content words of a text, crudely stemmed ("conveying" is "convey"), for telling
    whether a paraphrase uses a statement's words."""
    return {_content_stem(w) for w in words if w not in _STOPWORDS and len(w) > 2}


def _content_stem(word: str) -> str:
    """ "receiving", "receives", "received" -> "receiv"."""
    for ending in ("ing", "ed", "es", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            word = word[: -len(ending)]
            break
    return word.removesuffix("e") if len(word) > 4 else word


def group_statements(quotes: Iterable[QuoteText]) -> list[Statement]:
    """Statements of the quotes: each person's quotes grouped on their own
    (`person_statements`), listed in the order of the quote that began each, then flagged
    where other people's statements have the same words (`other_speakers`). Each person is
    independent of the rest, so the Spark job groups people in parallel with this code."""
    by_person: dict[int | None, list[QuoteText]] = defaultdict(list)
    for quote in quotes:
        by_person[quote.person].append(quote)
    statements = [s for said in by_person.values() for s in person_statements(said)]
    statements.sort(key=lambda s: s.members[0].quote)
    for number in other_speakers([(n, s.person, s.wording) for n, s in enumerate(statements)]):
        statements[number].flags.add("other-speakers")
    return statements


def person_statements(quotes: Iterable[QuoteText]) -> list[Statement]:
    """The statements of one person's quotes (or of the quotes no person was found for),
    greedy in quote-id order, so that quotes added later never change what earlier ones were
    grouped into."""
    statements: list[Statement] = []
    entries: dict[int, _Entry] = {}  # quote id -> entry
    index: dict[int, list[int]] = defaultdict(list)  # sampled shingle -> statements having it
    by_words: dict[tuple[str, ...], int] = {}  # exact wording -> statement
    indirect: list[_Entry] = []
    for quote in sorted(quotes, key=lambda q: q.id):
        entry = _entry(quote)
        if not entry.keys:
            continue
        entries[quote.id] = entry
        if quote.type == "indirect":
            indirect.append(entry)
            continue
        if len(entry.keys) < _MIN_STATEMENT_WORDS:
            statements.append(
                Statement(quote.person, quote.id, [Occurrence(quote.id, "canonical")])
            )
            continue
        best = _best_statement(entry, statements, entries, index, by_words)
        if best is None:
            statements.append(
                Statement(quote.person, quote.id, [Occurrence(quote.id, "canonical")])
            )
            number = len(statements) - 1
        else:
            number, relation = best
            statement = statements[number]
            statement.members.append(Occurrence(quote.id, relation))
            if relation == "longer":  # the fullest version becomes the canonical wording
                statement.canonical = quote.id
        by_words.setdefault(tuple(entry.keys), number)
        for shingle in _sampled(entry.shingles):
            postings = index[shingle]
            if len(postings) <= MAX_POSTINGS and number not in postings:
                postings.append(number)
    _link_paraphrases(indirect, statements, entries, index)
    for statement in statements:
        statement.wording = entries[statement.canonical].quote.text
        _describe(statement, entries)
    return statements


def wording_shingles(wording: str) -> set[int]:
    """The sampled shingles of a statement's canonical wording, by which statements of
    different people that may share words are found (none for a wording too short to be
    anyone's own words)."""
    return _wording_shingles(_wording(wording))


def may_share_words(shared: int, shingles: int, other_shingles: int) -> bool:
    """Do two wordings that share this many sampled shingles deserve a word-by-word look?
    A copy or cut keeps most of the shorter one's (the cheap test before `same_words`)."""
    return shared >= _SHARED_SHINGLES * min(shingles, other_shingles)


def same_words(one: str, other: str) -> bool:
    """Is one wording a faithful copy, cut or part of the other (no changed words)?"""
    return _same_words(_wording(one), _wording(other))


def _same_words(a: _Entry, b: _Entry) -> bool:
    for reported, said in ((a, b), (b, a)):
        found = _relation(reported, said)
        if found is not None and found[0] != "longer" and not _variant_flags(said, reported):
            return True
    return False


def _entry(quote: QuoteText) -> _Entry:
    words = words_of(quote.text)
    keys = _key_words(words)
    return _Entry(quote, words, keys, _shingles(keys))


def _wording(text: str) -> _Entry:
    """A statement's wording, read as a quote is."""
    return _entry(QuoteText(0, text, "direct", None))


def _wording_shingles(entry: _Entry) -> set[int]:
    return _sampled(entry.shingles) if len(entry.keys) >= _MIN_STATEMENT_WORDS else set()


def other_speakers(wordings: Iterable[tuple[int, int | None, str]]) -> set[int]:
    """Of (key, person, canonical wording) of statements, the keys of those whose words a
    statement of another person also has: pairs that share sampled shingles (one shared by
    more than MAX_POSTINGS statements says nothing) enough for `may_share_words`, and pass
    `same_words`."""
    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    entries: dict[int, _Entry] = {}
    sizes: dict[int, int] = {}
    for key, person, wording in wordings:
        if person is None:  # no one to tell apart
            continue
        entry = _wording(wording)
        shingles = _wording_shingles(entry)
        if not shingles:  # no words of one's own
            continue
        entries[key], sizes[key] = entry, len(shingles)
        for shingle in shingles:
            postings[shingle].append((key, person))
    shared: Counter[tuple[int, int]] = Counter(
        (a, b)
        for found in postings.values()
        if len(found) <= MAX_POSTINGS
        for a, person_a in found
        for b, person_b in found
        if a < b and person_a != person_b
    )
    flagged: set[int] = set()
    for (a, b), count in sorted(shared.items()):
        if may_share_words(count, sizes[a], sizes[b]) and _same_words(entries[a], entries[b]):
            flagged |= {a, b}
    return flagged


def _best_statement(
    entry: _Entry,
    statements: list[Statement],
    entries: dict[int, _Entry],
    index: dict[int, list[int]],
    by_words: dict[tuple[str, ...], int],
) -> tuple[int, str] | None:
    """The statement (of the same person) this quote reports, with its relation."""
    exact = by_words.get(tuple(entry.keys))
    if exact is not None:
        canonical = entries[statements[exact].canonical]
        return exact, "exact" if canonical.quote.text == entry.quote.text else "near"
    seen = Counter(n for t in _sampled(entry.shingles) for n in index.get(t, ()))
    best: tuple[float, int, str] | None = None
    for number, _hits in seen.most_common(20):
        found = _relation(entry, entries[statements[number].canonical])
        if found is None:
            continue
        relation, score = found
        if best is None or score > best[0]:
            best = (score, number, relation)
    return None if best is None else (best[1], best[2])


def _link_paraphrases(
    indirect: list[_Entry],
    statements: list[Statement],
    entries: dict[int, _Entry],
    index: dict[int, list[int]],
) -> None:
    """An indirect report joins the statement of the same person whose words it mostly uses."""
    for entry in indirect:
        content = _content(entry.words)
        if len(content) < _MIN_SHARED_CONTENT:
            continue
        candidates = Counter(n for t in entry.shingles for n in index.get(t, ()))
        best: tuple[float, int] | None = None
        for number in candidates:
            statement = statements[number]
            if entry.quote.person is None:  # no one's words to paraphrase
                continue
            # Only beside the quote itself: across articles, shared topic words cannot tell one
            # occasion from another (7 of 8 such links were wrong in a sample read by hand).
            if not any(entries[q].quote.article == entry.quote.article for q in statement.quotes):
                continue
            theirs = _said_content(statement, entries)
            shared = content & theirs
            share = len(shared) / len(content)
            if len(shared) >= _MIN_SHARED_CONTENT and share >= _PARAPHRASE:
                if best is None or share > best[0]:
                    best = (share, number)
        if best is None:
            continue
        share, number = best
        statement = statements[number]
        occurrence = Occurrence(entry.quote.id, "paraphrase")
        extra = content - _said_content(statement, entries)
        if len(extra) >= 2 and share < 0.8:
            added = sorted({w for w in entry.words if (stems := _content({w})) and stems <= extra})
            occurrence.flags.append("paraphrase-claims-more: " + ", ".join(added[:8]))
        statement.members.append(occurrence)


def _said_content(statement: Statement, entries: dict[int, _Entry]) -> set[str]:
    """The content words of what the statement's quotes say (paraphrases do not count)."""
    said = (entries[m.quote].words for m in statement.members if m.relation != "paraphrase")
    return set().union(*(_content(words) for words in said))


def _describe(statement: Statement, entries: dict[int, _Entry]) -> None:
    """Diffs and flags of every variant against the canonical wording."""
    canonical = entries[statement.canonical]
    for member in statement.members:
        if member.quote == statement.canonical:
            member.relation = "canonical"
            continue
        variant = entries[member.quote]
        if member.relation == "paraphrase":
            statement.flags.update(f.split(":")[0] for f in member.flags)
            continue
        # Relations are restated against the final canonical wording (a fuller version may
        # have come after them).
        found = _relation(variant, canonical)
        member.relation = found[0] if found and found[0] != "longer" else "part"
        member.diff = _diff(canonical.words, variant.words)
        member.flags = _variant_flags(canonical, variant)
        statement.flags.update(member.flags)
