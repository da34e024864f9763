"""Layout: paragraphs, headline, photo captions with their credits, and boilerplate.

Everything is an annotation on the text as given: offsets never move. Scraped pages glue a
photo credit to its caption ("President Assad al-BassarREUTERS"), repeat the caption as alt
text on the next line, and end with newsletter and notification prompts; none of that is
reported speech, and names in it are not speakers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Paragraph kinds.
BODY = "body"
HEADLINE = "headline"
CAPTION = "caption"
BOILERPLATE = "boilerplate"
PULL_QUOTE = "pull_quote"
PULL_QUOTE_CREDIT = "pull_quote_credit"

_AGENCIES = (
    r"REUTERS|Reuters|GETTY(?: IMAGES)?|Getty Images?|AFP(?:/Getty Images)?|AP|PA|EPA|"
    r"Bloomberg|Alamy|Shutterstock|Rex Features|REX|Corbis|PA Wire|AP Photo|EPA-EFE"
)
# A credit glued to the caption text without a space: "...al-BassarREUTERS".
_GLUED_CREDIT = re.compile(rf"(?<=[a-z\.\)])(?:{_AGENCIES})\s*$")
_CAPTION_PREFIX = re.compile(
    r"^\s*(?:Photo|Picture|Image|Caption|Photograph|Pictured|Credit)s?\s*(?:caption)?\s*[:|]",
    re.IGNORECASE,
)
_CREDIT_SUFFIX = re.compile(
    rf"(?:\((?:Photo|Image|Picture)[^)]*\)|(?:Photo|Image|Picture)(?: by|:)[^.]*|\b(?:{_AGENCIES}))\s*$"
)
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        would\ you\ like\ to\ receive .*|
        (?:sign\ up|subscribe|register)\b.{0,120}(?:newsletter|updates|alerts|free|here|now|email).*|
        (?:get|receive)\ (?:our|the\ latest|breaking)\b.{0,80}(?:newsletter|alerts|notifications|inbox).*|
        read\ (?:more|the\ rest|the\ full\ (?:story|article)|next)\b.{0,80}|
        (?:click|tap)\ here\b.*|
        (?:share|tweet|email|print)\ (?:this|on)\b.{0,60}|
        follow\ (?:us|\w+(?:\ \w+)?)\ on\ (?:twitter|facebook|instagram).{0,60}|
        (?:related|more|see\ also|most\ read|trending|recommended)(?:\ (?:articles?|stories|news|links?))?\s*[:|].{0,200}|
        advertisement|sponsored(?:\ content)?|comments?(?:\ \(\d+\))?|
        (?:all\ )?rights\ reserved.*|copyright\ .{0,100}|©.{0,100}|
        this\ (?:article|story)\ (?:was|has\ been)\ (?:updated|corrected|amended).{0,200}|
        (?:we|you)\ (?:will|can)\ (?:use|unsubscribe)\b.{0,200}|
        enable\ javascript.{0,100}|
        (?:show|hide|view|load)\ (?:more|comments|all)\b.{0,40}
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s*$")


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str = BODY

    def text(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Layout:
    paragraphs: list[Paragraph]

    def spans(self, kind: str) -> list[list[int]]:
        return [[p.start, p.end] for p in self.paragraphs if p.kind == kind]

    def headline(self) -> list[int] | None:
        found = self.spans(HEADLINE)
        return found[0] if found else None

    def kind_at(self, offset: int) -> str:
        for para in self.paragraphs:
            if para.start <= offset < para.end:
                return para.kind
        return BODY

    def is_speech_paragraph(self, offset: int) -> bool:
        """May a quote or a speaker be found here? Not in captions or boilerplate."""
        return self.kind_at(offset) in (BODY, HEADLINE, PULL_QUOTE, PULL_QUOTE_CREDIT)


def split_paragraphs(text: str) -> list[Paragraph]:
    """Each non-blank line is a paragraph (scrapes put one paragraph per line)."""
    paragraphs = []
    for match in re.finditer(r"[^\n\r\u2028\u2029]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            paragraphs.append(Paragraph(start, end))
    return paragraphs


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s)


def _is_short_label(s: str, max_words: int = 14) -> bool:
    """A line too short, and unpunctuated, to be running prose."""
    return 0 < len(_words(s)) <= max_words and not _SENTENCE_END.search(s)


def is_caption(line: str) -> bool:
    """A photo caption: glued or trailing agency credit, or a 'Photo:' style prefix."""
    if _GLUED_CREDIT.search(line) and len(_words(line)) <= 25:
        return True
    if _CAPTION_PREFIX.match(line):
        return True
    return bool(_CREDIT_SUFFIX.search(line)) and _is_short_label(line, 25) and "(" in line


def is_boilerplate(line: str) -> bool:
    return len(line) < 300 and bool(_BOILERPLATE.match(line))


def _strip_credit(line: str) -> str:
    return _GLUED_CREDIT.sub("", line).strip()


def _looks_like_headline(line: str, following: list[str]) -> bool:
    if not following or len(line) > 250 or len(_words(line)) < 3:
        return False
    # A headline does not end like a sentence, or is much shorter than the body.
    return not _SENTENCE_END.search(line) or len(line) < 0.6 * max(len(p) for p in following)


def analyse(text: str) -> Layout:
    """Split the text into paragraphs and label headline, captions and boilerplate."""
    paragraphs = split_paragraphs(text)
    lines = [p.text(text) for p in paragraphs]
    captions: set[str] = set()
    for para, line in zip(paragraphs, lines, strict=True):
        if is_boilerplate(line):
            para.kind = BOILERPLATE
        elif is_caption(line):
            para.kind = CAPTION
            captions.add(_strip_credit(line).lower())
    # The caption again without its credit (alt text) is a caption too.
    for para, line in zip(paragraphs, lines, strict=True):
        if para.kind == BODY and line.strip().lower() in captions:
            para.kind = CAPTION
    body = [i for i, p in enumerate(paragraphs) if p.kind == BODY]
    if len(body) > 1 and body[0] == 0:
        rest = [lines[i] for i in body[1:6]]
        if _looks_like_headline(lines[0], rest):
            paragraphs[0].kind = HEADLINE
    return Layout(paragraphs)
