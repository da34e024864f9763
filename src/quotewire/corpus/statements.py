"""Statements: the quotes of one person, across articles, that report the same words.

A statement gathers exact copies, near copies (punctuation, case, contractions, dropped
articles, "..." elisions), truncations, and a quote that is a part of a longer one; its
canonical wording is the fullest version. An indirect report that paraphrases it closely, in
an article that quotes it, is linked to it. Flags say what a reader should check: changed words, a cut that drops a
negation, the same words given to someone else, a paraphrase that claims more.

Grouping is greedy in quote order (ingest order), and each quote is compared only with the
statements that share a sampled word shingle with it, so the cost grows near-linearly.
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
_MAX_POSTINGS = 50  # a shingle shared by more statements than this says nothing
_CONTAINMENT = 0.8  # of the shorter quote's words found, in order, in the longer one
_MIN_WORDS = 3  # words two quotes must share to be one statement
# Shorter quotes ("rigged", "top secret", "Gang of Eight") are anyone's words: each stays a
# statement of its own.
_MIN_STATEMENT_WORDS = 4
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
    members: list[Occurrence] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

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
    covered = set(said[first:last])
    if (_NEGATIONS & covered) - set(reported):
        flags.append("negation-dropped")
    elif (_NEGATIONS & set(reported)) - covered:
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
    """Statements of the quotes, greedy in quote-id order, so that quotes added later never
    change what earlier ones were grouped into."""
    statements: list[Statement] = []
    entries: dict[int, _Entry] = {}  # quote id -> entry
    index: dict[int, list[int]] = defaultdict(list)  # sampled shingle -> statements having it
    by_person_words: dict[tuple[int | None, tuple[str, ...]], int] = {}  # exact wording -> stmt
    indirect: list[_Entry] = []
    others_with: dict[int, set[int]] = defaultdict(set)  # statement -> other people's stmts
    for quote in sorted(quotes, key=lambda q: q.id):
        words = words_of(quote.text)
        keys = _key_words(words)
        entry = _Entry(quote, words, keys, _shingles(keys))
        if not keys:
            continue
        entries[quote.id] = entry
        if quote.type == "indirect":
            indirect.append(entry)
            continue
        if len(keys) < _MIN_STATEMENT_WORDS:
            statements.append(
                Statement(quote.person, quote.id, [Occurrence(quote.id, "canonical")])
            )
            continue
        best, elsewhere = _best_statement(entry, statements, entries, index, by_person_words)
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
        by_person_words.setdefault((quote.person, tuple(keys)), number)
        for other in elsewhere:
            others_with[number].add(other)
            others_with[other].add(number)
        for shingle in _sampled(entry.shingles):
            postings = index[shingle]
            if len(postings) <= _MAX_POSTINGS and number not in postings:
                postings.append(number)
    for number, others in others_with.items():
        statements[number].flags.add("other-speakers")
        for other in others:
            statements[other].flags.add("other-speakers")
    _link_paraphrases(indirect, statements, entries, index)
    for statement in statements:
        _describe(statement, entries)
    return statements


def _best_statement(
    entry: _Entry,
    statements: list[Statement],
    entries: dict[int, _Entry],
    index: dict[int, list[int]],
    by_person_words: dict[tuple[int | None, tuple[str, ...]], int],
) -> tuple[tuple[int, str] | None, list[int]]:
    """The statement of the same person this quote reports, with its relation, and the
    statements of other people that have the same words."""
    person = entry.quote.person
    exact = by_person_words.get((person, tuple(entry.keys)))
    if exact is not None:
        canonical = entries[statements[exact].canonical]
        return (exact, "exact" if canonical.quote.text == entry.quote.text else "near"), []
    seen = Counter(n for t in _sampled(entry.shingles) for n in index.get(t, ()))
    best: tuple[float, int, str] | None = None
    elsewhere = []
    for number, _hits in seen.most_common(20):
        statement = statements[number]
        found = _relation(entry, entries[statement.canonical])
        if found is None:
            continue
        relation, score = found
        if statement.person != person:
            # The same words given to someone else: a flag, never a merge.
            canonical = entries[statement.canonical]
            faithful = relation != "longer" and not _variant_flags(canonical, entry)
            if faithful and None not in (person, statement.person):
                elsewhere.append(number)
            continue
        if best is None or score > best[0]:
            best = (score, number, relation)
    return (None if best is None else (best[1], best[2])), elsewhere


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
            if statement.person != entry.quote.person or entry.quote.person is None:
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
