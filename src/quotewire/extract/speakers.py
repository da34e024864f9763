"""Speakers inside one article: every mention of a source resolved to one canonical speaker.

"he", "Assad", "President Assad" and "Bashar al-Assad" are one man: names are grouped by
surname when the given names agree, the canonical name is the fullest one the article uses,
pronouns go to the nearest earlier person who agrees in gender and number (a subject or a
speaker of the sentence before rather than a name said in passing), role nouns ("the
president") to the nearest earlier person the article gave that title, a description ("the
South Carolina Republican") to the person just written about, and a name that only
qualifies its noun ("the Vermont senator", "Clinton aides") is not the speaker; "the
Clinton campaign" is an organisation of its own. No coreference model can be downloaded
here, so this is built from the parse and the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from quotewire.extract.attribution import mention_span
from quotewire.extract.docs import Ranges, span_at, text_of
from quotewire.extract.reported import DASHES, antecedent
from quotewire.model import Speaker

TITLES = frozenset(
    """
    mr mrs ms miss mx dr sir dame lord lady president vice prime minister secretary senator sen
    rep representative gov governor general gen chancellor king queen prince princess pope judge
    justice professor prof chief executive ceo coach manager spokesman spokeswoman spokesperson
    mayor former deputy foreign leader director officer captain colonel lt sgt st rev reverend
    jr sr chairman chairwoman chair speaker attorney ambassador commissioner sheriff candidate
    nominee democratic republican presidential hon mp mep sheikh ayatollah rabbi father bishop
    cardinal archbishop emir sultan lieutenant major sergeant admiral commander superintendent
    detective inspector councillor councilman councilwoman congressman congresswoman del ret
    """.split()
)
ROLE_NOUNS = TITLES - frozenset("mr mrs ms miss mx dr sir dame lord lady jr sr former hon".split())

_MALE_TITLES = frozenset("mr sir lord king prince father congressman councilman chairman".split())
_FEMALE_TITLES = frozenset(
    "mrs ms miss dame lady queen princess congresswoman councilwoman chairwoman".split()
)
_MALE_NAMES = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony donald mark paul steven andrew kenneth joshua kevin brian george edward
    ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory frank alexander raymond patrick jack dennis jerry
    tyler aaron jose henry adam douglas nathan peter zachary kyle walter harold jeremy ethan
    carl keith roger gerald christian terry sean arthur austin noah lawrence jesse joe bryan
    billy jordan albert dylan bruce willie gabriel alan juan logan wayne ralph roy eugene
    randy vincent russell louis philip bobby johnny bradley bill barack bernie ted marco jeb
    mitt newt mike tim rudy chris rand ben bashar vladimir boris nigel tony gordon david
    hassan recep benjamin emmanuel francois angela xi kim rex reince steve corey paul
    sean jared eric kellyanne lindsey orrin harry chuck mitch nancy rick jim tom dan
    vladimir bashar ali mohammed muhammad ahmed omar abdul hamid ibrahim khalid
    """.split()
)
_FEMALE_NAMES = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
    heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn
    judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara
    janice jean alice madison doris abigail julia judy grace denise amber marilyn beverly
    danielle theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla
    hillary chelsea melania ivanka kellyanne huma sarah nikki carly elizabeth michelle hope
    theresa angela marine nicola hope loretta susan condoleezza madeleine debbie donna
    """.split()
)
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_PRONOUNS = frozenset("they them their we us".split())
_SPEAKER_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "organisation",
    "NORP": "group",
}
# Common short forms of the countries news quotes as speakers.
_COUNTRY_ALIASES = {
    "united states": ("us", "u s", "usa", "u s a", "america", "the united states", "the us"),
    "united kingdom": ("uk", "u k", "britain", "great britain", "the uk"),
}
# Named things that speak as institutions: "Downing Street" (a FAC to the tagger) speaks for
# the British government.
_INSTITUTION_LABELS = frozenset("ORG GPE NORP FAC LOC".split())
# ... and the last words of names of institutions the tagger leaves untyped.
_INSTITUTION_WORDS = frozenset(
    """
    street house office ministry department council committee agency police party government
    court commission bureau board service union institute foundation university campaign
    administration parliament congress senate assembly bank fund corporation company
    network
    """.split()
)
# Nouns that stand for an organisation named before: "the organization", "the company".
_GENERIC_INSTITUTIONS = frozenset(
    "organization organisation company firm group agency newspaper paper network".split()
)
# One key for the ways news names a country's people and government.
NATIONALITY = {
    "us": "american",
    "u": "american",
    "usa": "american",
    "america": "american",
    "uk": "british",
    "britain": "british",
    "france": "french",
    "syria": "syrian",
    "russia": "russian",
    "china": "chinese",
    "germany": "german",
}
# Who speaks for an organisation: "a spokesman for the Foreign Office".
_SPOKESPEOPLE = frozenset(
    "spokesman spokeswoman spokesperson representative official source aide".split()
)
_GIVEN_NAMES = _MALE_NAMES | _FEMALE_NAMES
_GIVEN_AND_SURNAME = re.compile(
    r"\b[A-Z][a-z]+(?:[ \t]+(?:[A-Z]\.[ \t]+)?(?:(?:al|el|bin|de|van|von)[ \t-])?[A-Z][\w'\u2019-]+)+"
)
# Capitalised words that come before names but are not given names.
_NOT_GIVEN_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december state house democrat democrats
    republican republicans labour conservative late early then but and when while after
    """.split()
)
NAME_PARTICLES = frozenset("al el bin ibn de van von da di le la du - al-".split())
_COUNTRIES = frozenset(
    """
    syria iraq iran israel russia china france germany italy spain japan india pakistan
    afghanistan turkey egypt mexico canada brazil ukraine poland greece saudi arabia jordan
    lebanon libya yemen qatar korea north korea south korea cuba venezuela australia
    """.split()
)
_CAPITALISED_TITLES = frozenset(t.capitalize() for t in TITLES)
_ANTECEDENT_WINDOW = 1500  # characters searched back for a pronoun's antecedent


def name_words(text: str) -> list[str]:
    """The words of a name without titles, lower-cased: 'President Bashar al-Assad' -> [bashar, al, assad]."""
    text = re.sub(r"[\u2019']s\b", "", text)
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    return [w for w in words if w not in TITLES and w not in ("the", "a", "an", "of")]


_COUNTRY_BY_NAME = {
    alias: name for name, aliases in _COUNTRY_ALIASES.items() for alias in (name, *aliases)
}


def country_of(words: list[str]) -> str | None:
    return _COUNTRY_BY_NAME.get(" ".join(words))


@dataclass
class Entity:
    id: int
    name: str
    kind: str
    words: list[str]
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    descriptors: set[str] = field(default_factory=set)  # every word used with the name
    gender: str | None = None
    human: bool = False  # a person unnamed ("a spokesman"), whom "he" or "she" may stand for

    @property
    def surname(self) -> str:
        return self.words[-1] if self.words else ""

    def compatible(self, words: list[str]) -> bool:
        """May a name with these words be this entity? Surname must agree, given names too."""
        if not words or not self.words:
            return False
        if self.kind != "person":
            return words == self.words or country_of(words) == country_of(self.words) is not None
        if words[-1] != self.surname:
            return len(words) == 1 and words[0] == self.words[0] and len(self.words) > 1
        return set(words[:-1]) <= set(self.words[:-1])

    def add_mention(self, text: str, span: tuple[int, int]) -> None:
        alias = " ".join(text.split())
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)
        self.mentions.append(span)
        for word in re.findall(r"[^\W\d_]+", text.lower()):
            self.descriptors.add(word)
            if word in TITLES:
                self.titles.add(title_key(word))
        self.gender = self.gender or gender_of(text)


# One form of a title however it is written: "Sen." is a senator, "Rep." a congressman.
_TITLE_FORMS = {
    "sen": "senator",
    "rep": "representative",
    "congressman": "representative",
    "congresswoman": "representative",
    "gov": "governor",
    "gen": "general",
    "prof": "professor",
    "rev": "reverend",
    "chair": "chairman",
    "chairwoman": "chairman",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
}


def title_key(word: str) -> str:
    return _TITLE_FORMS.get(word, word)


def _titles_in(text: str) -> frozenset[str]:
    """The roles a mention names: "President Obama" -> {president}."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return frozenset(title_key(w) for w in words if w in ROLE_NOUNS)


def clean_name(name: str) -> str:
    """A person's name without a possessive or leading titles: "President Assad's" -> "Assad"."""
    name = re.sub(r"[\u2019']s$", "", name.strip())
    parts = name.split()
    while parts and parts[0].lower().rstrip(".") in TITLES:
        parts = parts[1:]
    return " ".join(parts) or name


def _is_pronoun(head: Token) -> bool:
    """'he', 'they', 'it' — but not 'US', which the tagger sometimes takes for 'us'."""
    if len(head.text) > 1 and head.text.isupper():
        return False
    lower = head.lower_
    return head.pos_ == "PRON" or lower in PRONOUN_GENDER or lower in PLURAL_PRONOUNS


def gender_of(text: str) -> str | None:
    """ "m" or "f" from an honorific or a well-known given name, else None."""
    words = [w.lower().rstrip(".") for w in text.split()]
    for w in words:
        if w in _MALE_TITLES:
            return "m"
        if w in _FEMALE_TITLES:
            return "f"
    given = name_words(text)
    if len(given) >= 2:
        if given[0] in _FEMALE_NAMES and given[0] not in _MALE_NAMES:
            return "f"
        if given[0] in _MALE_NAMES and given[0] not in _FEMALE_NAMES:
            return "m"
    return None


def _fuller_names(surname: str) -> re.Pattern[str]:
    """Up to three capitalised given names (and a particle) written before a surname."""
    titles = "|".join(sorted(_CAPITALISED_TITLES))
    not_title = rf"(?!(?:[A-Z]{{2,}}|{titles})\b)"
    given = not_title + r"(?:[A-Z]\.|[A-Z][\w'\u2019]*)[ \t]+"  # "Bashar ", "George W. "
    particle = r"(?:(?:al|el|bin|ibn|de|van|von|da|di|le|la|du)[ \t-])?"
    return re.compile(rf"\b((?:{given}){{1,3}}{particle}{re.escape(surname)})\b")


_GIVEN_NAMES_REACH = 160  # characters before a surname that "(given ){1,3}particle" may take


def _fuller_name_matches(text: str, surname: str) -> Iterator[re.Match[str]]:
    """The `_fuller_names` matches in `text`, looked for only just before each place the
    surname is written: the pattern tried at every word of a long article, once per
    surname, was quadratic in its size."""
    pattern = _fuller_names(surname)
    end = 0
    # The pattern ends at a word boundary; searched only up to the surname's end, it would
    # take the end of the search for one ("who" in "whom"), so the surname is found with it.
    for place in re.finditer(re.escape(surname) + r"\b", text):
        if place.start() < end:
            continue
        match = pattern.search(text, max(end, place.start() - _GIVEN_NAMES_REACH), place.end())
        if match is not None:
            end = match.end()
            yield match


def written_name(text: str, match: re.Match[str]) -> str | None:
    """The name a `_fuller_names` match really writes: 'Secretary of State John Kerry' is John
    Kerry, 'Yesterday Bashar al-Assad' is Bashar al-Assad, 'Late on Friday Assad' is none. A
    leading word is dropped while it is a date or party word, or opens a sentence without
    being a known given name."""
    words = match.group(1).split()
    before = text[: match.start()].rstrip(" \t\"\u201c\u2018'")
    opens_sentence = not before or (before[-1] in ".!?\n:" and not _ends_in_title(before))
    while len(words) > 1:
        first = words[0].lower()
        known = first in _MALE_NAMES or first in _FEMALE_NAMES
        if first in _NOT_GIVEN_NAMES or (opens_sentence and not known):
            words = words[1:]
            opens_sentence = False
            continue
        break
    return " ".join(words) if len(name_words(" ".join(words))) > 1 else None


def _ends_in_title(before: str) -> bool:
    """'Mr.' before a name: its full stop does not end a sentence."""
    last = before.split()[-1].rstrip(".").lower() if before.split() else ""
    return last in TITLES


def names_by_tags(doc: Doc) -> list[Span]:
    """Names as runs of proper nouns ("Bashar al-Assad", "Foreign Office"), labelled as the
    entity recogniser would: an organisation by its last word or an acronym, a country by
    its name, otherwise a person."""
    names: list[Span] = []
    start = None
    for token in [*doc, None]:
        joins = token is not None and (
            token.pos_ == "PROPN"
            or (start is not None and token.lower_ in NAME_PARTICLES and token.i + 1 < len(doc))
        )
        if joins:
            start = token.i if start is None else start
            continue
        if start is not None:
            end = token.i if token is not None else len(doc)
            while end > start and doc[end - 1].lower_ in NAME_PARTICLES:
                end -= 1
            words = name_words(doc[start:end].text)
            if words and not set(words) <= _NOT_GIVEN_NAMES:  # not "Monday", not "Democrats"
                names.append(Span(doc, start, end, label=_label_by_words(doc[start:end].text)))
            start = None
    return names


def _kind_of_name(name: Span) -> str:
    """Person, organisation or group, as the recogniser labelled the name; but "Team Clinton"
    is a campaign, not a person."""
    if name.label_ == "PERSON" and (
        (name[0].lower_ == "team" and len(name) > 1)
        or (name[-1].lower_ in _INSTITUTION_WORDS and name[0].lower_ not in _GIVEN_NAMES)
    ):
        return "organisation"  # "the USA TODAY NETWORK" is no person either
    return _SPEAKER_LABELS[name.label_]


def _label_by_words(text: str) -> str:
    words = name_words(text)
    if country_of(words) is not None or " ".join(words) in _COUNTRIES:
        return "GPE"
    last = text.split()[-1]
    if words[-1] in _INSTITUTION_WORDS or (len(last) > 1 and last.isupper()):
        return "ORG"
    return "PERSON"


def _apposed_name(head: Token) -> Token | None:
    """The name in apposition to a description: 'her husband, Bill Clinton', 'the other man,
    his cousin James York' (a description set beside a description set beside the name)."""
    dateline = head.pos_ == "PROPN" and _is_dateline(head)
    if head.pos_ == "PROPN" and not dateline:
        return None
    for child in head.rights:
        if child.dep_ == "appos" and dateline:
            if child.ent_type_ == "PERSON":  # not the agency: "CLEVELAND (UPI) -- Mukasey"
                return child
        elif child.dep_ == "appos":
            return child if child.pos_ == "PROPN" else _apposed_name(child)
        if child.dep_ == "conj" and child.ent_type_ == "PERSON" and _bare_title(head):
            return child  # "said lobbyist and GOP strategist Charlie Black"
    return None


def _bare_title(head: Token) -> bool:
    """A role written like a title, without an article: "lobbyist", "strategist"."""
    return head.pos_ == "NOUN" and not any(c.dep_ in ("det", "poss") for c in head.lefts)


def _is_dateline(head: Token) -> bool:
    """ "CLEVELAND, July 19 (UPI) -- Michael Mukasey told": the parser may make the place
    that opens the story the subject, with the speaker set beside it."""
    return head.i == head.sent.start and len(head.text) > 1 and head.text.isupper()


def _name_before_dash(head: Token) -> Token | None:
    """The name a description between dashes is set beside, when the parser made the
    description the subject: 'John Podesta — Bill Clinton's chief of staff — offered'."""
    if head.pos_ != "NOUN" or head.dep_ not in ("nsubj", "nsubjpass"):
        return None
    first = head.left_edge
    if first.i < 2 or first.nbor(-1).text not in DASHES:
        return None
    name = first.nbor(-2)
    if name.ent_type_ == "PERSON" and name.head.i == head.head.i and name.dep_ == "dep":
        return name
    return None


def _employer(head: Token) -> Token | None:
    """The organisation a spokesperson speaks for: 'a spokesman for [the Foreign Office]'."""
    if head.lemma_.lower() not in _SPOKESPEOPLE:
        return None
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("for", "of", "at"):
            for obj in child.children:
                if obj.dep_ == "pobj" and (obj.pos_ == "PROPN" or obj.ent_type_):
                    return obj
    return None


# Who, named with an organisation, speaks for it: "a Pentagon spokesman", "a US official".
_SPEAK_FOR_THE_NAME = frozenset(
    "spokesman spokeswoman spokesperson representative official".split()
)


# People (and bodies of people) who speak for themselves, not for the name before them.
_PEOPLE_NOUNS = frozenset(
    """
    aide aides staff staffer staffers source sources wife husband son
    daughter mother brother sister family families relatives parents children friend friends
    ally allies team supporters voters members people citizens residents workers experts
    critics colleagues lawmakers allies veterans fans students employees opponents
    veteran surrogate surrogates associate associates operative operatives confidant
    confidante confidants man woman men women person persons guy actress businessman
    businesswoman businessmen billionaire mogul
    """.split()
)
_AGENT_SUFFIXES = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians")
_NOT_PEOPLE = frozenset("letter letters paper papers newspaper number order power twitter".split())
# What a person runs that speaks apart from them: "the Clinton campaign said".
_CAMPAIGN_NOUNS = frozenset("campaign camp administration".split())
# Descriptions that say whether the person described is a man or a woman.
_MALE_NOUNS = frozenset("man guy businessman congressman chairman councilman".split())
_FEMALE_NOUNS = frozenset(
    "woman actress businesswoman congresswoman chairwoman councilwoman".split()
)


def _names_people(head: Token) -> bool:
    """Does this common noun stand for people: a role, a relation, someone who does something?"""
    lower = head.lower_
    if lower in ROLE_NOUNS or lower in _PEOPLE_NOUNS:
        return True
    return lower.endswith(_AGENT_SUFFIXES) and lower not in _NOT_PEOPLE


def _only_qualified(head: Token) -> bool:
    """Is a name before this head word only a qualifier of it? Of a role or of people, yes:
    "the Vermont senator", "Clinton aides", "an Iowa voter" speak for themselves. But a
    spokesman or an official speaks for the name's owner, "the US government" is the US,
    and "Trump's tweets" or "a Reuters poll" are what the name says."""
    lower, lemma = head.lower_, head.lemma_.lower()
    if lemma in _SPEAK_FOR_THE_NAME or lower in _INSTITUTION_WORDS or head.pos_ != "NOUN":
        return lower in ROLE_NOUNS and lemma not in _SPEAK_FOR_THE_NAME
    return _names_people(head)


# Words news uses for a person it has just named, whatever office they hold.
_EPITHETS = frozenset(
    """
    person man woman guy republican democrat lawmaker politician
    """.split()
)
_PARTIES = frozenset("republican democrat democratic".split())


def _description_of_one(head: Token) -> str | None:
    """What "the" and a noun for one person say of them, with nothing after the noun that
    says which one: "office" ("the Vermont senator": someone the article gave that title),
    "epithet" ("the South Carolina Republican", "the person"), or None ("the man who shot
    him" is someone new; "the announcer" may be anyone)."""
    if head.tag_ not in ("NN", "NNP") or not any(c.lower_ == "the" for c in head.lefts):
        return None
    if any(c.dep_ in ("relcl", "acl", "appos") for c in head.rights):
        return None
    lower = head.lower_
    if lower in _EPITHETS:
        return "epithet"
    return "office" if lower in ROLE_NOUNS and lower not in _PARTIES else None


def _one_of_a_people(head: Token) -> bool:
    """ "a Democrat", "one Canadian": a nationality or party name for one of its people."""
    return head.tag_ == "NNP" and any(
        c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "one", "the", "another")
        for c in head.lefts
    )


def _gender_of_noun(head: Token) -> str | None:
    lower = head.lower_
    return "m" if lower in _MALE_NOUNS else "f" if lower in _FEMALE_NOUNS else None


# Capitalised words a headline runs on after a name ("Obama Speech", "Clinton Plan").
_HEADLINE_WORDS = frozenset(
    "says said say speech speeches plan plans rally ad ads campaign visit win wins".split()
)


def _trimmed(name: Span) -> Span:
    """A recognised name without what the recogniser ran on into: a verb before it ("Bashing
    Trump"), or a possessive and the common words after it ("Obama's 'pivot")."""
    first, end = name.start, name.end
    doc = name.doc
    while first < end - 1 and _is_verb_like(doc[first]):
        first += 1
    for token in doc[first:end]:
        if token.tag_ == "POS" and token.i > first:
            # ... but "Trump's RT" may be RT: only lower-case words are cut off.
            if not any(t.text[:1].isupper() for t in doc[token.i + 1 : end]):
                end = token.i
            break
    # "President Obama Speech", "Clinton Plan": a headline's word after the name.
    while end - 1 > first and doc[end - 1].lower_ in _HEADLINE_WORDS:
        end -= 1
    if (first, end) == (name.start, name.end):
        return name
    return Span(doc, first, end, label=name.label)


def _is_verb_like(token: Token) -> bool:
    lower = token.lower_
    if token.tag_ in ("VBG", "VB", "VBD", "VBN"):
        return True
    return lower.endswith("ing") and len(lower) > 4 and lower not in _GIVEN_NAMES


def _phrase_span(head: Token) -> tuple[int, int]:
    """The noun phrase under a head word, without its determiner: 'the [Foreign Office]'."""
    words = [t for t in head.subtree if t.dep_ not in ("det", "punct", "prep") and t.i <= head.i]
    first = words[0] if words else head
    return first.idx, head.idx + len(head.text)


class SpeakerResolver:
    """Builds the article's entities from its names, then resolves each speaker mention."""

    def __init__(self, doc: Doc, allowed: list[tuple[int, int]], quoted: list[tuple[int, int]]):
        self.doc = doc
        self.entities: list[Entity] = []
        self._in_quotes = Ranges(quoted)
        self._speaker_spans: set[tuple[int, int]] = set()  # mentions of those who spoke
        in_allowed = Ranges(allowed)
        # Name mentions outside captions and boilerplate, and outside quotations.
        self._mentions: list[tuple[int, int, Entity]] = []
        # Without the entity recogniser (the fast mode), names are read off the tagger, and
        # off the unparsed text.
        recognised = doc.has_annotation("ENT_IOB")
        named = doc.ents if recognised else names_by_tags(doc)
        # (start, end, name, name as written with its titles, kind)
        named_places = [e for e in named if e.label_ in ("GPE", "LOC", "FAC") and len(e) == 1]
        names = [
            (e.start_char, e.end_char, e.text, self._with_title(e), _kind_of_name(e))
            for e in map(_trimmed, named)
            if e.label_ in _SPEAKER_LABELS
            and e.start_char in in_allowed
            and not self._in_quote(e.start_char)
        ]
        if not recognised:
            names += self._names_in_unparsed_text(in_allowed, [(n[0], n[1]) for n in names])
        # A lone word the recogniser calls a place as often as a person, and that no full
        # name ends with, is that place ("Luay Sami came to Clarkston. ... Clarkston became
        # his home. '...,' he said").
        as_place = Counter(place.text for place in named_places)
        as_person = Counter(n[2] for n in names if n[4] == "person")
        full_names_end = {name_words(n[2])[-1] for n in names if len(name_words(n[2])) > 1}
        places = {
            word
            for word, count in as_place.items()
            if count >= as_person[word] and word.lower() not in full_names_end
        }
        names = [
            (*n[:4], "organisation") if n[4] == "person" and n[2] in places else n for n in names
        ]
        # The recogniser often calls a lone surname an organisation ("Trump said"); when the
        # article names a person with it, it is that person.
        surnames = {name_words(n[2])[-1] for n in names if n[4] == "person" and name_words(n[2])}
        names = [
            (*n[:4], "person")
            if n[4] != "person" and len(words := name_words(n[2])) == 1 and words[0] in surnames
            else n
            for n in names
        ]
        # Fullest names first, so that short forms join the full name; of the short forms,
        # those that say man or woman ("Mr. Obama") first, so that "President Obama" need not
        # join the only Obama known so far (Michelle).
        for start, end, name, written, kind in sorted(
            names, key=lambda n: (-len(name_words(n[2])), gender_of(n[3]) is None, n[0])
        ):
            words = name_words(name)
            if not words:
                continue
            entity = self._entity_for(
                words, start, kind, name, gender_of(written), _titles_in(written)
            )
            self._add(entity, written, (start, end))
        self._learn_gender_from_pronouns()

    def _names_in_unparsed_text(
        self, allowed: Ranges, known: list[tuple[int, int]]
    ) -> list[tuple[int, int, str, str, str]]:
        """People named in text the fast mode did not parse, so that a later "he" can still
        find them: a known given name and a capitalised surname ("John Kerry")."""
        text = text_of(self.doc)
        found = []
        for match in _GIVEN_AND_SURNAME.finditer(text):
            # "State John Kerry": the name starts at the first known given name.
            words = match.group().split()
            given = next((i for i, w in enumerate(words[:-1]) if w.lower() in _GIVEN_NAMES), None)
            if given is None:
                continue
            start, end = match.start() + match.group().index(words[given]), match.end()
            if self._in_quote(start) or start not in allowed:
                continue
            if any(s < end and start < e for s, e in known):
                continue
            found.append((start, end, text[start:end], text[start:end], "person"))
        return found

    def _in_quote(self, offset: int) -> bool:
        return offset in self._in_quotes

    def _with_title(self, ent: Span) -> str:
        """The mention with the titles written just before it: 'President Assad'."""
        start = ent.start
        while start > 0 and self.doc[start - 1].lower_.rstrip(".") in TITLES:
            start -= 1
        # ... and the nationality that qualifies the title: "French President".
        if start < ent.start and start > 0 and self.doc[start - 1].ent_type_ in ("NORP", "GPE"):
            start -= 1
        return self.doc[start : ent.end].text

    def _add(self, entity: Entity, text: str, span: tuple[int, int]) -> None:
        entity.add_mention(text, span)
        insort(self._mentions, (span[0], span[1], entity), key=_start)

    def _before(self, position: int) -> list[tuple[int, int, Entity]]:
        """The mentions that start before `position`, nearest last (the list is sorted)."""
        return self._mentions[: bisect_left(self._mentions, position, key=_start)]

    def _recent(self, position: int) -> Iterator[tuple[int, int, Entity]]:
        """The mentions an antecedent may be for a word at `position`, nearest first."""
        for mention in reversed(self._before(position)):
            if position - mention[0] > _ANTECEDENT_WINDOW:
                return
            yield mention

    def _entity_for(
        self,
        words: list[str],
        position: int,
        kind: str,
        text: str,
        gender: str | None = None,
        titles: frozenset[str] = frozenset(),
    ) -> Entity:
        """The entity these name words belong to ("Mrs. Clinton" is not Bill), or a new one."""
        known = self._known(words, position, kind, gender, titles)
        if known is not None:
            return known
        country = country_of(words) if kind != "person" else None
        name = country.title().replace("Of", "of") if country else " ".join(text.split())
        name = re.sub(r"^(?:the|The)\s+", "", name) if kind != "person" else clean_name(name)
        entity = Entity(len(self.entities), name, kind, words)
        self.entities.append(entity)
        return entity

    def _known(
        self,
        words: list[str],
        position: int,
        kind: str,
        gender: str | None = None,
        titles: frozenset[str] = frozenset(),
    ) -> Entity | None:
        """The entity already known by these name words, if any (the latest mentioned)."""
        # A lone word tagged as an organisation may still be a person's surname.
        kinds = {kind, "person"} if len(words) == 1 else {kind}
        candidates = [
            e
            for e in self.entities
            if e.kind in kinds and e.compatible(words) and gender in (None, e.gender or gender)
        ]
        by_surname = [e for e in candidates if e.kind != "person" or e.surname == words[-1]]
        candidates = by_surname or candidates  # "Clinton" is a Clinton before a "Clinton Plan"
        if len(candidates) > 1:
            # Of two Obamas or two Howards: the one the title fits ("President Obama"), then
            # the one already called by this surname alone ("Mr. Obama"), then the one last
            # written about as a subject ("Clint Howard endorsed Cruz. Howard is the brother of
            # Ron Howard. '...,' Howard said"), then the one named last.
            candidates.sort(
                key=lambda e: (
                    e.kind == kind,
                    bool(titles) and titles <= e.titles,
                    any(name_words(alias) == words for alias in e.aliases),
                    *self._last_mention_before(e, position),
                ),
                reverse=True,
            )
        return candidates[0] if candidates else None

    def _name_after_title(self, head: Token) -> Entity | None:
        """The person named right after a title that the parser took for the subject's head:
        in "Syrian President Bashar al-Assad said" it may split the name off the title."""
        if head.lower_ not in ROLE_NOUNS or head.i + 1 >= len(self.doc):
            return None
        following = self.doc[head.i + 1].idx
        for start, _end, entity in self._mentions[
            bisect_left(self._mentions, following, key=_start) :
        ]:
            if start != following:
                break
            if entity.kind == "person":
                return entity
        return None

    def _last_mention_before(self, entity: Entity, position: int) -> tuple[bool, int]:
        """Whether the entity's last mention before `position` is a recent subject, and where
        it is."""
        before = [mention for mention in entity.mentions if mention[0] <= position]
        if not before:
            return False, -1
        last = max(before)
        recent = position - last[0] <= _ANTECEDENT_WINDOW
        return recent and self._is_subject(*last), last[0]

    def _learn_gender_from_pronouns(self) -> None:
        """The article's own pronoun use: 'Assad said ... he added' makes Assad a he."""
        votes: dict[int, dict[str, int]] = {}
        for start, _end, entity in self._mentions:
            if entity.kind != "person":
                continue
            span = span_at(self.doc, start, start + 1)
            if span is None:
                continue
            for tok in self.doc[span.end : min(len(self.doc), span.end + 25)]:
                if tok.ent_type_ == "PERSON" or self._in_quote(tok.idx):
                    break
                gender = PRONOUN_GENDER.get(tok.lower_)
                if gender:
                    counts = votes.setdefault(entity.id, {})
                    counts[gender] = counts.get(gender, 0) + 1
                    break
        for entity in self.entities:
            counts = votes.get(entity.id)
            if entity.gender is None and counts:
                entity.gender = max(counts, key=lambda g: counts[g])

    def resolve(self, head: Token, span: tuple[int, int]) -> Entity | None:
        """The entity a speaker mention refers to; new entities are made for new names."""
        text = text_of(self.doc)[span[0] : span[1]]
        # The mention may be the word that says who ("who"), the speaker what it stands for.
        head = antecedent(head)
        lower = head.lower_
        if _is_pronoun(head):
            return self._resolve_pronoun(lower, span[0])
        if not span[0] <= head.idx < span[1]:
            # "an architect who said": the mention is the relative pronoun, and the words
            # before its antecedent say who that is (not "who").
            return self.resolve(head, (head.left_edge.idx, head.idx + len(head.text)))
        named = _apposed_name(head) or _name_before_dash(head)
        if named is not None:  # "Her husband, former President Bill Clinton, said"
            head, span = named, (named.idx, named.idx + len(named.text))
            text = named.text
        campaign = self._campaign_of(head, span[0])
        if campaign is not None:  # "the Clinton campaign", "his campaign"
            self._add(campaign, text, span)
            return campaign
        employer = _employer(head)
        if employer is not None:  # "a spokesman for the Foreign Office"
            entity = self.resolve(employer, _phrase_span(employer))
            if entity is not None:
                entity.add_mention(text, span)
            return entity
        titled = self._name_after_title(head)
        if titled is not None:  # "Syrian President | Bashar al-Assad said", parsed apart
            self._add(titled, text, span)
            return titled
        # A name the article already knows: the one under the head word first, so that
        # "SYRIAN President Bashar al-Assad" is Assad and not the adjective before him.
        overlapping = [m for m in self._before(span[1]) if span[0] < m[1]]
        overlapping.sort(key=lambda m: not (m[0] <= head.idx < m[1]))
        under_head = overlapping and overlapping[0][0] <= head.idx < overlapping[0][1]
        # "the French president" is a president first, only then something French.
        role = None if under_head else self._resolve_role(head, span[0])
        if role is not None:
            self._add(role, text, span)
            return role
        if overlapping and not under_head and _only_qualified(head):
            # "the Vermont senator", "Trump's aides", "an Iowa voter": the name only says
            # which senator, whose aides, what voter.
            return self._nominal(head, text, span)
        if under_head and overlapping[0][2].kind == "group" and _one_of_a_people(head):
            # "one kind-hearted Canadian", "a senior Democrat": a person, not the Canadians.
            return self._nominal(head, text, span)
        for start, end, entity in overlapping[:1]:
            if (start, end) != span:
                self._add(entity, text, span)
            return entity
        words = name_words(text)
        if head.pos_ == "PROPN" and words:
            institution = head.lower_ in _INSTITUTION_WORDS
            kind = (
                "organisation" if institution or head.ent_type_ in _INSTITUTION_LABELS else "person"
            )
            entity = self._entity_for(words, span[0], kind, text, titles=_titles_in(text))
            self._add(entity, text, span)
            return entity
        if head.text[:1].isupper() and len(words) == 1:
            # "Sanders responded": the tagger took the surname for a plural noun.
            known = self._known(words, span[0], "person")
            if known is not None:
                self._add(known, text, span)
                return known
        role = self._resolve_role(head, span[0]) or self._resolve_institution(head, span[0])
        if role is not None:
            self._add(role, text, span)
            return role
        return self._nominal(head, text, span)

    def _resolve_pronoun(self, pronoun: str, position: int) -> Entity | None:
        """The nearest earlier entity the pronoun agrees with; but when that one is only
        named in passing ("an adviser to Barack Obama"), a subject or a speaker of this
        sentence or the one before is likelier ("says David Axelrod, an adviser to Barack
        Obama. '...,' he said" is Axelrod)."""
        if pronoun in ("we", "us"):
            return None  # outside quotation marks, the writer ("we know that ...")
        gender = PRONOUN_GENDER.get(pronoun)
        plural = pronoun in PLURAL_PRONOUNS
        nearest: Entity | None = None
        embedded: Entity | None = None  # a subject of a clause inside a sentence
        unnamed: Entity | None = None  # "a spokesman": when no one named agrees
        near = since = self._previous_sentence_start(position)
        for start, end, entity in self._recent(position):
            if nearest is not None and start < since:
                break
            if gender is not None:
                agrees = entity.kind == "person" and entity.gender in (None, gender)
                if not agrees and entity.human and entity.gender in (None, gender):
                    unnamed = unnamed or entity
            elif plural:
                agrees = entity.kind in ("organisation", "group")
            else:
                agrees = pronoun == "it" and entity.kind == "organisation"
            if not agrees:
                continue
            if (start, end) in self._speaker_spans or self._is_subject(start, end, main=True):
                return entity
            if embedded is None and start >= near and self._is_subject(start, end):
                # "Stockman pushed for Mr. Trump to own the issue. '...,' he wrote": the
                # sentence's own subject before the subject of a clause inside it.
                embedded = entity
            if nearest is None:
                nearest = entity
                # "Sanders met the Rev. Al Sharpton. The Vermont senator has a message. Now
                # he's ...": the main subject of the sentence naming the nearest one still wins.
                since = min(since, self._sentence_start(start))
        return embedded or nearest or unnamed

    def _sentence_start(self, position: int) -> int:
        tokens = span_at(self.doc, position, position + 1)
        if tokens is None or not tokens[0].dep_:
            return position  # the fast mode's unparsed paragraph has no sentences
        return tokens[0].sent.start_char

    def _previous_sentence_start(self, position: int) -> int:
        tokens = span_at(self.doc, position, position + 1)
        if tokens is None or tokens[0].sent.start == 0:
            return 0
        before = self.doc[tokens[0].sent.start - 1]
        if before.is_space and before.i > 0:
            before = self.doc[before.i - 1]
        # A paragraph the fast mode left unparsed is one token, with no sentences of its own.
        return before.sent.start_char if before.dep_ else before.idx

    def _is_subject(self, start: int, end: int, main: bool = False) -> bool:
        """Is the mention a subject (of its sentence's main verb, if `main`), or a name set
        beside one ("The other man, his cousin James York, cited ...")?"""
        tokens = span_at(self.doc, start, end)
        if tokens is None:
            return False
        root = tokens.root
        while root.dep_ == "appos" and root.head.i != root.i:
            root = root.head
        if main and root.head.dep_ != "ROOT":
            return False
        return root.dep_ in ("nsubj", "nsubjpass")

    def _resolve_role(self, head: Token, position: int) -> Entity | None:
        """'the president', 'the Syrian president': the nearest earlier person with that title."""
        if head.lemma_.lower() not in ROLE_NOUNS:
            return None
        if not any(c.lower_ == "the" for c in head.lefts):
            return None
        # "the French president": the words before the role must have been used with the name.
        qualifiers = {
            NATIONALITY.get(w, w)
            for c in head.lefts
            if c.dep_ in ("amod", "compound", "nmod")
            for w in name_words(c.text)
        }
        for _start, _end, entity in reversed(self._before(position)):
            if title_key(head.lemma_.lower()) not in entity.titles:
                continue
            described = {NATIONALITY.get(w, w) for w in entity.descriptors}
            if qualifiers <= described:
                return entity
        return None

    def _campaign_of(self, head: Token, position: int) -> Entity | None:
        """ "The Clinton campaign", "Clinton's campaign" and "her campaign" are one
        organisation, the Clinton campaign, which is not Hillary Clinton herself."""
        if head.lower_ not in _CAMPAIGN_NOUNS:
            return None
        owners = [
            c
            for c in head.lefts
            if c.dep_ == "poss" or (c.dep_ == "compound" and c.ent_type_ == "PERSON")
        ]
        if not owners:
            return None
        owner = owners[0]
        if _is_pronoun(owner):
            person = self._resolve_pronoun(owner.lower_, owner.idx)
        else:
            person = self.resolve(owner, mention_span(owner))
        if person is None or person.kind != "person":
            return None
        name = f"{person.name.split()[-1]} {head.lower_}"
        return self._entity_for(name_words(name), position, "organisation", name)

    def _described_person(self, head: Token, position: int) -> Entity | None:
        """The person a description such as "the Vermont senator" or "the person" stands for:
        a subject or a speaker of this sentence or the one before, as for "he" or "she". A
        description is no pronoun, so a name said there only in passing is not taken."""
        described = _description_of_one(head)
        if described is None:
            return None
        office = title_key(head.lemma_.lower()) if described == "office" else None
        gender = _gender_of_noun(head)
        since = self._previous_sentence_start(position)
        for start, end, entity in self._recent(position):
            if start < since:
                return None
            if entity.kind not in ("person", "unnamed"):
                continue
            if gender is not None and entity.gender not in (None, gender):
                continue  # "the woman" is not a man
            if office is not None and office not in entity.titles:
                continue  # "the Indiana governor" is not the one the article calls a senator
            if (start, end) in self._speaker_spans or self._is_subject(start, end):
                return entity
        return None

    def _resolve_institution(self, head: Token, position: int) -> Entity | None:
        """'The organization also points out ...': the nearest earlier organisation, when the
        noun has nothing but "the" to say which."""
        if head.lemma_.lower() not in _GENERIC_INSTITUTIONS:
            return None
        if [c.lower_ for c in head.lefts] != ["the"]:
            return None
        for _start, _end, entity in self._recent(position):
            if entity.kind == "organisation":
                return entity
        return None

    def _nominal(self, head: Token, text: str, span: tuple[int, int]) -> Entity:
        """Unnamed sources ('a spokesman', 'officials') are speakers under the words used; but
        "the South Carolina Republican" is the one the article has just been writing about."""
        described = self._described_person(head, span[0])
        if described is not None:
            self._add(described, text, span)
            return described
        name = " ".join(text.split())
        key = name.lower()
        for entity in self.entities:
            if entity.kind in ("unnamed", "group") and entity.name.lower() == key:
                self._add(entity, text, span)
                return entity
        kind = "group" if head.tag_ in ("NNS", "NNPS") else "unnamed"
        entity = Entity(len(self.entities), name, kind, name_words(text))
        entity.human = kind == "unnamed" and _names_people(head) and head.lower_ != "family"
        entity.gender = _gender_of_noun(head)
        self.entities.append(entity)
        self._add(entity, text, span)
        return entity

    def note_speaker(self, entity: Entity, span: tuple[int, int]) -> None:
        """A resolved speaker mention is a candidate antecedent for later pronouns."""
        insort(self._mentions, (span[0], span[1], entity), key=_start)
        self._speaker_spans.add(span)

    def complete_names(self) -> None:
        """A person known by one word ("Assad") takes the full name the article writes with
        that word ("Bashar al-Assad"), when it writes exactly one that agrees in gender and no
        other speaker has. Names the tagger never saw (the fast mode leaves paragraphs without
        quotes unparsed) are found so."""
        text = text_of(self.doc)
        taken = {e.name for e in self.entities}
        for entity in self.entities:
            if entity.kind != "person" or len(entity.name.split()) != 1:
                continue
            fuller = {
                name
                for match in _fuller_name_matches(text, entity.name)
                if (name := written_name(text, match)) is not None
                and gender_of(name) in (None, entity.gender or gender_of(name))
            }
            if len(fuller) != 1:
                continue
            full = clean_name(fuller.pop())
            if full in taken:
                continue  # "Mr. Clinton" does not become Hillary Clinton
            if entity.name not in entity.aliases:
                entity.aliases.append(entity.name)
            entity.name, entity.words = full, name_words(full)
            taken.add(full)

    def speakers(self, used: set[int]) -> list[Speaker]:
        """The article's speakers list: entities that said something, renumbered from 0."""
        out = []
        for entity in self.entities:
            if entity.id in used:
                out.append(Speaker(entity.id, entity.name, entity.kind, list(entity.aliases)))
        return out


def _start(mention: tuple[int, int, Entity]) -> int:
    return mention[0]
