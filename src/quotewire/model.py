"""The output contract of ../shared/DESIGN.md as types, with JSON in and out.

Offsets are code-point offsets into the article text exactly as given, end exclusive.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

QUOTE_TYPES = ("direct", "indirect", "mixed")


def encodable(value: Any) -> Any:
    """`value` with lone surrogates (from a JSON "\\udc00" escape, or a file name that is not
    UTF-8) written out as backslash escapes, in strings, lists and dicts: such a string cannot
    be written as UTF-8, so one bad field would otherwise stop a whole batch's output."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, list):
        return [encodable(item) for item in value]
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    return value


@dataclass
class Article:
    """One input article as a reader produced it; `extra` carries unknown JSONL fields."""

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None  # file (and line) it came from, for error messages
    text_is_extracted: bool = False  # True when `text` was extracted from HTML
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The text itself is checked by the readers (a surrogate there fails the article).
        for name in ("id", "url", "outlet", "published", "title", "source", "extra"):
            setattr(self, name, encodable(getattr(self, name)))


@dataclass
class ReadError:
    """An input record that could not be turned into an Article."""

    id: str
    source: str
    error: str

    def __post_init__(self) -> None:
        self.id, self.source, self.error = encodable([self.id, self.source, self.error])


@dataclass
class Quote:
    quote: str
    start: int
    end: int
    fragments: list[list[int]]
    type: str
    speaker: str | None = None
    speaker_id: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    confidence: float = 0.0
    repeat_of: int | None = None


@dataclass
class Speaker:
    id: int
    name: str
    kind: str  # person | organisation | group | unknown
    aliases: list[str] = field(default_factory=list)


@dataclass
class Result:
    """What extraction says of one article."""

    id: str
    error: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    boilerplate: list[list[int]] = field(default_factory=list)
    captions: list[list[int]] = field(default_factory=list)
    headline: list[int] | None = None
    text: str | None = None  # set when the offsets refer to extracted (not given) text
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "error": self.error,
            "quotes": [asdict(q) for q in self.quotes],
            "speakers": [asdict(s) for s in self.speakers],
            "boilerplate": self.boilerplate,
            "captions": self.captions,
            "headline": self.headline,
        }
        if self.text is not None:
            out["text"] = self.text
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        known = {"id", "error", "quotes", "speakers", "boilerplate", "captions", "headline", "text"}
        return cls(
            id=data["id"],
            error=data.get("error"),
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            speakers=[Speaker(**s) for s in data.get("speakers", [])],
            boilerplate=data.get("boilerplate", []),
            captions=data.get("captions", []),
            headline=data.get("headline"),
            text=data.get("text"),
            extra={k: v for k, v in data.items() if k not in known},
        )
