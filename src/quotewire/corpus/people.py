"""People across articles: the speakers of many articles linked into persons.

Each article already resolved its own speakers ("Assad", "President Assad" and "he" are one
Bashar al-Assad there). Here "Bashar al-Assad" in one article and "President Assad" in
another become one person when the evidence supports it, and Hillary and Bill Clinton stay
two. Every merge carries a short reason, so `quotewire people show` can say why.

How it decides, in three passes, each blind to input order:

1. Full names (given names + surname), grouped by surname, fullest first: a name joins the
   person whose every name it agrees with (given names equal, a prefix, or initials that
   match; no gender conflict), starts a new person when none agrees, and is left for pass 2
   when several do ("George Bush" beside George W. and George H. W. Bush).
   Organisations and groups join on their normalised name ("the U.S." is "United States").
2. Surname-only names ("Assad", "Mrs. Clinton") and the ambiguous full names of pass 1 join
   the one person of that surname they agree with in gender, minus persons their own
   article quotes separately (the article already decided they differ); with several left, a
   title only one of them carries decides.
3. What is still open is decided by co-mentions: the persons its article quotes beside it,
   against those quoted beside each candidate elsewhere (as passes 1 and 2 left them), on a
   clear margin. Otherwise it stays apart: the open mentions of one name form and gender
   share a person named by that form ("Clinton"), whose evidence says, per mention, which
   candidates it was between. A surname never written in full anywhere is such a person.

Left out (no Person): names that are empty or only pronouns ("he", "they"), sources the
extractor could not name (kind unknown or unnamed: "a spokesman"), and organisations or
groups written without a capital letter ("officials"), which are descriptions, not names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

# Shared with in-article resolution on purpose, so that both passes read names the same way.
from quotewire.extract.speakers import (
    NAME_PARTICLES,
    NATIONALITY,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    ROLE_NOUNS,
    clean_name,
    country_of,
    gender_of,
    name_words,
)

_PRONOUNS = (
    frozenset(PRONOUN_GENDER)
    | PLURAL_PRONOUNS
    | frozenset("it its i me you who whom whose which that".split())
)
# "Syrian President Bashar al-Assad", "U.S. President Obama": the place is not a given name.
_PLACE_WORDS = frozenset(NATIONALITY) | frozenset(NATIONALITY.values())
_PARTICLES = frozenset(p.strip("-") for p in NAME_PARTICLES) - {""}
_NAME_KINDS = ("organisation", "group")
# Co-mentions decide only when the best candidate scores at least this many times the next.
_MARGIN = 2
# A bare surname is the person the corpus quotes in at least this many articles and this many
# times as many articles as everyone else of that surname together.
_DOMINANT_ARTICLES = 5
_DOMINANCE = 10


@dataclass(frozen=True)
class Mention:
    """One speaker of one article."""

    key: int  # the database row of this article-speaker
    article: int
    name: str  # the article's canonical name for it
    kind: str  # person | organisation | group | unknown
    aliases: tuple[str, ...] = ()


@dataclass
class Person:
    """Mentions across articles that are one person (or organisation, or group)."""

    name: str  # the fullest well-attested name
    kind: str
    keys: list[int] = field(default_factory=list)  # sorted
    aliases: list[str] = field(default_factory=list)  # every other name used, sorted
    evidence: dict[int, str] = field(default_factory=dict)  # mention key -> why it is here


@dataclass
class _Name:
    """A person mention read as a name."""

    mention: Mention
    display: str  # the name without titles or place: "Bashar al-Assad"
    surname: str
    given: tuple[str, ...]  # given names without particles: ("bashar",)
    gender: str | None
    titles: frozenset[str]  # roles used with it: {"president"}


@dataclass(eq=False)  # one person is one object: compared by identity, never field by field
class _Cluster:
    """A person being built from the full names of one surname."""

    forms: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    members: list[_Name] = field(default_factory=list)  # its full-name mentions
    joined: list[tuple[_Name, str]] = field(default_factory=list)  # others, with reasons
    genders: set[str] = field(default_factory=set)
    # Set once pass 1 is done, so that later passes read only what pass 1 decided.
    name: str = ""
    articles: frozenset[int] = frozenset()
    titles: frozenset[str] = frozenset()

    def agrees(self, given: tuple[str, ...], gender: str | None) -> bool:
        """May a name with these given names and gender be this person? It must agree with
        every name the person goes by, since agreement is not transitive: "George Bush"
        agrees with both "George W. Bush" and "George H. W. Bush"."""
        if gender is not None and self.genders - {gender}:
            return False
        return all(_given_agree(given, form) for form, _ in self.forms)


def link_people(mentions: Iterable[Mention]) -> list[Person]:
    """The persons the mentions are, sorted by name then smallest key; see the module doc.

    Passes 1 and 2 and the final decisions read one block of mentions at a time (a surname,
    or an organisation's name: `block_of`); only pass 3's co-mention counts read across
    blocks (`comention_scores`). The Spark job runs the blocks in parallel with this code."""
    mentions = sorted(mentions, key=lambda m: m.key)  # one order, whatever the input's
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        block = block_of(mention)
        if block is not None:
            blocks[block].append(mention)
    passes = [first_passes(block, blocks[block]) for block in sorted(blocks)]
    labels = {key: label for done in passes for key, label in done.labels.items()}
    open_names = {key: cands for done in passes for key, cands in done.open_candidates().items()}
    scores = comention_scores([(m.key, m.article) for m in mentions], labels, open_names)
    people = [person for done in passes for person in done.people(scores)]
    people.sort(key=lambda p: (p.name, p.keys[0]))
    return people


def block_of(mention: Mention) -> str | None:
    """The block a mention is decided in: a person's surname, an organisation's or group's
    normalised name (a one-word one shares the block of that surname: "Sanders" may be
    either); None for what is left out (see the module doc)."""
    if not name_words(mention.name) or _only_pronouns(mention.name):
        return None
    if mention.kind == "person":
        parts = _name_parts(mention.name)
        return None if parts is None else parts[1]
    if mention.kind in _NAME_KINDS and _is_proper(mention.name):
        return _org_key(mention.name)
    return None


@dataclass
class Block:
    """Passes 1 and 2 over the mentions of one block, and what pass 3 has left to decide."""

    name: str
    clusters: list[_Cluster]
    orgs: list[Mention]  # one organisation or group, when the block is one
    undecided: list[tuple[_Name, list[_Cluster], str]]
    labels: dict[int, str]  # mention key -> the person it is so far (for co-mentions)

    def label(self, cluster: _Cluster) -> str:
        return f"{self.name}#{self.clusters.index(cluster)}"

    def open_candidates(self) -> dict[int, list[str]]:
        """Mention key -> the labels of the persons an open name may be (two or more)."""
        return {
            name.mention.key: [self.label(c) for c in candidates]
            for name, candidates, _ in self.undecided
            if len(candidates) > 1
        }

    def people(self, scores: Mapping[int, Mapping[str, int]]) -> list[Person]:
        """Pass 3 from co-mention scores (mention key -> candidate label -> articles), then
        the block's people. Call once: it adds the decided names to their persons."""
        apart: list[tuple[_Name, str]] = []
        decided: list[tuple[_Cluster, _Name, str]] = []  # joined after: no decision sees another
        for name, candidates, note in self.undecided:
            counts = scores.get(name.mention.key, {})
            found = [(counts.get(self.label(c), 0), c) for c in candidates]
            chosen, why = _by_comentions(name, found, note)
            if chosen is not None:
                decided.append((chosen, name, why))
            else:
                apart.append((name, why))
        for chosen, name, why in decided:
            chosen.joined.append((name, why))
        people = [_org_person(self.orgs)] if self.orgs else []
        people += [_cluster_person(c) for c in self.clusters]
        return people + _apart_people(apart)


def first_passes(block: str, mentions: Iterable[Mention]) -> Block:
    """Passes 1 and 2 over one block's mentions (see `block_of`)."""
    names: list[_Name] = []
    orgs: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: m.key):
        if mention.kind == "person":
            name = _read_name(mention)
            if name is not None:
                names.append(name)
        else:
            orgs.append(mention)
    clusters, deferred = _cluster_full_names(names)
    for cluster in clusters:
        cluster.name = _canonical([n.display for n in cluster.members])
        cluster.articles = frozenset(n.mention.article for n in cluster.members)
        cluster.titles = frozenset().union(*(n.titles for n in cluster.members))
    # The recogniser calls a lone surname an organisation or a group now and then ("Sanders
    # said"); when the corpus has one dominant person of that surname, it is a person's name.
    if orgs and " " not in block and _dominant(clusters) is not None:
        for mention in orgs:
            name = _read_name(replace(mention, kind="person"))
            if name is not None:
                deferred.append(name)
        orgs = []
    done = Block(block, clusters, orgs, [], {m.key: f"org:{block}" for m in orgs})

    # Pass 2; each decision reads only pass 1.
    agreeing: dict[tuple[tuple[str, ...], str | None], list[_Cluster]] = {}
    for name in deferred:
        form = (name.given, name.gender)
        if form not in agreeing:  # once per form: a common surname has many mentions
            agreeing[form] = [c for c in clusters if c.agrees(name.given, name.gender)]
        candidates, reason = _candidates(name, agreeing[form])
        chosen, why = _by_surname_or_title(name, candidates, reason)
        if chosen is not None:
            chosen.joined.append((name, why))
        else:
            done.undecided.append((name, candidates, why))
    for cluster in clusters:
        label = done.label(cluster)
        done.labels.update((n.mention.key, label) for n in cluster.members)
        done.labels.update((n.mention.key, label) for n, _ in cluster.joined)
    return done


def comention_scores(
    mentions: Iterable[tuple[int, int]],
    labels: Mapping[int, str],
    open_names: Mapping[int, list[str]],
) -> dict[int, dict[str, int]]:
    """Pass 3's evidence. Of (mention key, article) pairs, with each decided mention's person
    label: for each open mention and each person it may be, how many times the persons its
    own article quotes beside it appear beside that person's mentions elsewhere."""
    article_keys: dict[int, list[int]] = defaultdict(list)
    for key, article in mentions:
        article_keys[article].append(key)
    beside_of: dict[int, set[str]] = {}  # mention key -> persons its article quotes beside it
    for keys in article_keys.values():
        for key in keys:
            beside_of[key] = {labels[k] for k in keys if k != key and k in labels}
    wanted = {label for candidates in open_names.values() for label in candidates}
    beside: dict[str, Counter[str]] = defaultdict(Counter)  # person -> others beside it
    for key, label in labels.items():
        if label in wanted:
            beside[label].update(beside_of.get(key, set()) - {label})
    return {
        key: {c: sum(beside[c][g] for g in beside_of.get(key, set())) for c in candidates}
        for key, candidates in open_names.items()
    }


def _read_name(mention: Mention) -> _Name | None:
    parts = _name_parts(mention.name)
    if parts is None:
        return None
    display, surname, given = parts
    facts = [_text_facts(text) for text in (mention.name, *mention.aliases)]
    genders = {gender for gender, _ in facts if gender is not None}
    return _Name(
        mention=mention,
        display=display,
        surname=surname,
        given=given,
        gender=genders.pop() if len(genders) == 1 else None,  # both: the article is unsure
        titles=frozenset().union(*(titles for _, titles in facts)),
    )


# Cached: a corpus writes the same few names hundreds of thousands of times.
@lru_cache(maxsize=1 << 16)
def _name_parts(name: str) -> tuple[str, str, tuple[str, ...]] | None:
    """A person's name as (display, surname, given names), or None for no name."""
    words = name_words(name)
    # Drop a leading place: "Syrian (President) Bashar al-Assad", "U.S. President Obama".
    while len(words) > 1:
        drop = 2 if country_of(words[:2]) else 1 if words[0] in _PLACE_WORDS else 0
        if not drop or drop >= len(words):
            break
        words = words[drop:]
    if not words:
        return None
    display = _display(name)
    # "anti-Clinton", "pro-Trump or tweet": a word in lower case that is no particle means
    # the recogniser took a phrase for a name.
    if any(w[:1].islower() and w.lower() not in _PARTICLES for w in re.split(r"[\s-]+", display)):
        return None
    return display, words[-1], _given_names(words[:-1], display)


@lru_cache(maxsize=1 << 16)
def _text_facts(text: str) -> tuple[str | None, frozenset[str]]:
    """The gender and the roles one way of writing a name states: "Mrs. Clinton" is f."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return gender_of(text), frozenset(words) & ROLE_NOUNS


def _given_names(words: list[str], display: str) -> tuple[str, ...]:
    """The given names without particles: "Bashar al-Assad" -> (bashar,). A name's first word
    is a particle only when written as one ("al-Assad", "de Gaulle"): "Al Gore" is Al."""
    first = display.split()[0] if display.split() else ""
    head = first.split("-")[0]
    particle = head.lower() in _PARTICLES and ("-" in first or head.islower())
    return tuple(w for i, w in enumerate(words) if w not in _PARTICLES or (i == 0 and not particle))


def _display(name: str) -> str:
    """The name as a person's name is shown: no titles, no leading place."""
    name = clean_name(name)  # private: drops titles and a possessive
    parts = name.split()
    while (
        len(parts) > 1
        and (words := name_words(parts[0]))
        and (country_of(words) or set(words) <= _PLACE_WORDS)
    ):
        parts = parts[1:]
    return clean_name(" ".join(parts))


def _same_given(a: str, b: str) -> bool:
    """One given name: equal, or an initial of the other ("g" and "george")."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def _given_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """May two lists of given names be one person's? "Hillary" and "Hillary Rodham" (a
    prefix), "John F." and "John Fitzgerald" (an initial), "Hillary Rodham" and "Hillary Diane
    Rodham" (full middle names may be left out). Initials may not be: "George W." is not
    "George H. W." — news tells the Bushes apart by them."""
    short, long = sorted((a, b), key=len)
    if not short:
        return True
    if not _same_given(short[0], long[0]):
        return False
    middle, longer = short[1:], long[1:]
    if all(_same_given(x, y) for x, y in zip(middle, longer, strict=False)):
        return True
    if any(len(w) == 1 for w in middle):
        return False
    rest = iter(longer)
    return all(w in rest for w in middle)  # a subsequence: "in" consumes the iterator


def _cluster_full_names(names: list[_Name]) -> tuple[list[_Cluster], list[_Name]]:
    """Pass 1 for one surname: full names into persons, fullest first so that a short name
    meets all the long ones it might be. Returns the persons and the names left open."""
    forms: dict[tuple[tuple[str, ...], str | None], list[_Name]] = defaultdict(list)
    open_names = []
    for name in names:
        if name.given:
            forms[(name.given, name.gender)].append(name)
        else:
            open_names.append(name)
    clusters: list[_Cluster] = []
    order = sorted(
        forms,
        key=lambda f: (-len(f[0]), -sum(len(w) > 1 for w in f[0]), f[1] is None, f[0], f[1] or ""),
    )
    for given, gender in order:
        agreeing = [c for c in clusters if c.agrees(given, gender)]
        if len(agreeing) > 1:
            open_names += forms[(given, gender)]  # "George Bush": pass 2 decides per mention
            continue
        cluster = agreeing[0] if agreeing else _Cluster()
        if not agreeing:
            clusters.append(cluster)
        cluster.forms.append((given, gender))
        cluster.members += forms[(given, gender)]
        cluster.genders |= {gender} - {None}
    return clusters, open_names


def _candidates(name: _Name, agreeing: list[_Cluster]) -> tuple[list[_Cluster], str]:
    """The persons an open name may be, of those it agrees with, and why others are out. A
    person the mention's own article quotes separately is out: the article already decided
    they are two people."""
    if not agreeing:
        return [], f"no full name of {name.display} agrees in the corpus"
    here = [c for c in agreeing if name.mention.article in c.articles]
    left = [c for c in agreeing if c not in here]
    if here and not left:
        return [], f"the article quotes {_listed(here)} separately"
    note = f"not {_listed(here, 'or')} (quoted separately in its article); " if here else ""
    return left, note


def _listed(clusters: list[_Cluster], last: str = "and") -> str:
    """ "Bill Clinton", "Bill Clinton and Hillary Clinton", "A, B and C"."""
    names = sorted(c.name for c in clusters)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def _by_surname_or_title(
    name: _Name, candidates: list[_Cluster], note: str
) -> tuple[_Cluster | None, str]:
    """Pass 2: the only agreeing person, or the only one who carries the mention's titles."""
    kind = "name" if name.given else "surname"
    if len(candidates) == 1:
        chosen = candidates[0]
        why = f"{note}{kind} of {chosen.name}, the only one it agrees with"
        if name.gender is not None:
            why += " in gender"
        shared = sorted(name.titles & chosen.titles)
        if shared:
            why += f"; title {', '.join(shared)} also used for {chosen.name}"
        return chosen, why
    if len(candidates) > 1 and name.titles:
        titled = [c for c in candidates if name.titles <= c.titles]
        if len(titled) == 1:
            titles = ", ".join(sorted(name.titles))
            others = _listed([c for c in candidates if c is not titled[0]], "or")
            return titled[0], f"{note}title {titles} used for {titled[0].name}, not {others}"
    chosen = _dominant(candidates)
    if chosen is not None and not name.given:
        others = sum(len(c.articles) for c in candidates if c is not chosen)
        return chosen, (
            f"{note}surname of {chosen.name}, by far the most quoted of that name "
            f"({len(chosen.articles)} articles, {others} for all others)"
        )
    return None, note


def _dominant(candidates: list[_Cluster]) -> _Cluster | None:
    """The person of a surname that the corpus quotes so much more than the others that a
    reader takes the bare surname for them ("Trump" in election coverage)."""
    if not candidates:
        return None
    top = max(candidates, key=lambda c: (len(c.articles), c.name))
    others = sum(len(c.articles) for c in candidates if c is not top)
    if len(top.articles) >= _DOMINANT_ARTICLES and len(top.articles) >= _DOMINANCE * others:
        return top
    return None


def _by_comentions(
    name: _Name, scored: list[tuple[int, _Cluster]], note: str
) -> tuple[_Cluster | None, str]:
    """Pass 3: of the persons an open name may be, each with its co-mention score, the one
    that scores at least _MARGIN times the next."""
    if len(scored) < 2:
        return None, note or f"no full name of {name.display} agrees in the corpus"
    ranked = sorted(((n, c.name, c) for n, c in scored), key=lambda s: (-s[0], s[1]))
    (best, best_name, chosen), (second, second_name, _) = ranked[0], ranked[1]
    candidates = [c for _, c in scored]
    between = _listed(candidates)
    if best > 0 and best >= _MARGIN * second:
        return chosen, (
            f"{note}{_listed(candidates, 'or')} by name; co-mentions decide: the others its "
            f"article quotes appear {best} times beside {best_name}, {second} beside "
            f"{second_name}"
        )
    if best > 0:
        return None, f"{note}ambiguous between {between}; co-mentions do not decide"
    return None, f"{note}ambiguous between {between}; no evidence in the article"


def _canonical(names: list[str]) -> str:
    """The fullest well-attested name. Well attested: used at least twice and at least half
    as often as the commonest (any name, when each is used once), so that a lone "Hillary
    Diane Rodham Clinton" does not rename Hillary Clinton. Fullest: most words, then most
    words spelled out ("George Walker" over "George W.")."""
    counts = Counter(names)
    top = max(counts.values())
    attested = [n for n, c in counts.items() if c >= max(2, top / 2)] or list(counts)

    def fullness(name: str) -> tuple[int, int, int, str]:
        words = name_words(name)
        return (-len(words), -sum(len(w) > 1 for w in words), -counts[name], name)

    return min(attested, key=fullness)


def _cluster_person(cluster: _Cluster) -> Person:
    evidence = {}
    for name in cluster.members:
        if name.display == cluster.name:
            evidence[name.mention.key] = "full name"
        else:
            evidence[name.mention.key] = f"full name {name.display}; given names agree"
    for name, why in cluster.joined:
        evidence[name.mention.key] = why
    mentions = [n.mention for n in cluster.members] + [n.mention for n, _ in cluster.joined]
    return _person(cluster.name, "person", mentions, evidence)


def _apart_people(apart: list[tuple[_Name, str]]) -> list[Person]:
    """Names no full name took: one person per name form and gender. An ungendered "Assad"
    joins a "Mr Assad" when that is the only gendered form; with both a Mr and a Mrs it
    stays on its own."""
    groups: dict[tuple[str, tuple[str, ...], str | None], list[tuple[_Name, str]]]
    groups = defaultdict(list)
    for name, why in apart:
        groups[(name.surname, name.given, name.gender)].append((name, why))
    genders: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for surname, given, gender in groups:
        if gender is not None:
            genders[(surname, given)].append(gender)
    for surname, given, gender in list(groups):
        only = genders.get((surname, given), [])
        if gender is None and len(only) == 1:
            groups[(surname, given, only[0])] += groups.pop((surname, given, None))
    people = []
    for members in groups.values():
        name = _canonical([n.display for n, _ in members])
        evidence = {n.mention.key: why for n, why in members}
        people.append(_person(name, "person", [n.mention for n, _ in members], evidence))
    return people


def _only_pronouns(name: str) -> bool:
    """ "he", "they"; but "US" is a country, not "us"."""
    words = re.findall(r"[^\W\d_]+", name)
    return all(w.lower() in _PRONOUNS and not (len(w) > 1 and w.isupper()) for w in words)


def _is_proper(name: str) -> bool:
    """A name, not a description: some word is capitalised ("the Foreign Office", "US";
    not "officials")."""
    return any(w[0].isupper() for w in re.findall(r"[^\W\d_]+", name) if w.lower() != "the")


def _org_key(name: str) -> str:
    """One key for the ways an organisation is written: case, "the", a possessive and
    punctuation aside, and one key per country ("US", "U.S.", "the United States")."""
    text = re.sub(r"[\u2019']s\b", "", name.lower())
    words = re.findall(r"[^\W_]+", text)
    if words[:1] == ["the"]:
        words = words[1:]
    return country_of(words) or " ".join(words)


def _org_person(mentions: list[Mention]) -> Person:
    displays = [re.sub(r"^the\s+", "", " ".join(m.name.split()), flags=re.I) for m in mentions]
    name = _canonical(displays)
    kinds = Counter(m.kind for m in mentions)
    kind = max(kinds, key=lambda k: (kinds[k], k == "organisation"))
    evidence = {
        m.key: "name" if shown == name else f"{shown} is another form of {name}"
        for m, shown in zip(mentions, displays, strict=True)
    }
    return _person(name, kind, mentions, evidence)


def _person(name: str, kind: str, mentions: list[Mention], evidence: dict[int, str]) -> Person:
    used = {" ".join(t.split()) for m in mentions for t in (m.name, *m.aliases)}
    return Person(
        name=name,
        kind=kind,
        keys=sorted(m.key for m in mentions),
        aliases=sorted(used - {name, ""}),
        evidence={k: evidence[k] for k in sorted(evidence)},
    )
