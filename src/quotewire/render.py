"""The terminal view of one article's result: who said what, each speaker in a colour."""

from __future__ import annotations

import shutil
import textwrap

from quotewire.model import Result

_COLOURS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96]
_DIM = "\033[2m"
_BOLD = "\033[1m"
_RESET = "\033[0m"


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{_RESET}" if colour else text


def speaker_colour(speaker_id: int | None) -> str:
    """The ANSI colour of a speaker; unattributed quotes are dim."""
    if speaker_id is None:
        return _DIM
    return f"\033[{_COLOURS[speaker_id % len(_COLOURS)]}m"


def render_result(result: Result, colour: bool = True, width: int | None = None) -> str:
    """A table with one row per quote: speaker, type, cue, quote."""
    width = width or shutil.get_terminal_size((110, 20)).columns
    lines = [_paint(f"== {result.id}", _BOLD, colour)]
    if result.error:
        lines.append(f"   error: {result.error}")
        return "\n".join(lines)
    if not result.quotes:
        lines.append("   no quotations found")
        return "\n".join(lines)
    name_w = min(24, max(len(q.speaker or "(unknown)") for q in result.quotes))
    cue_w = min(20, max(len(q.cue or "-") for q in result.quotes))
    fixed = name_w + cue_w + 10 + 6
    quote_w = max(30, width - fixed)
    header = f"{'speaker':<{name_w}}  {'type':<10}{'cue':<{cue_w}}  quote"
    lines.append(_paint(header, _BOLD, colour))
    for index, quote in enumerate(result.quotes):
        name = (quote.speaker or "(unknown)")[:name_w]
        kind = quote.type if quote.repeat_of is None else "repeat"
        cue = (quote.cue or "-")[:cue_w]
        text = " ".join(quote.quote.split())
        if quote.repeat_of is not None:
            text = f"[repeats #{quote.repeat_of}] {text}"
        wrapped = textwrap.wrap(text, quote_w) or [""]
        first = f"{name:<{name_w}}  {kind:<10}{cue:<{cue_w}}  "
        paint = speaker_colour(quote.speaker_id)
        lines.append(
            _paint(f"{first}", paint, colour) + _paint(f"#{index} {wrapped[0]}", paint, colour)
        )
        pad = " " * len(first)
        lines.extend(pad + _paint(rest, paint, colour) for rest in wrapped[1:])
    if result.speakers:
        lines.append("")
        lines.append(_paint("speakers", _BOLD, colour))
        for speaker in result.speakers:
            aliases = f" (also: {', '.join(speaker.aliases)})" if speaker.aliases else ""
            entry = f"  {speaker.name} [{speaker.kind}]{aliases}"
            lines.append(_paint(entry, speaker_colour(speaker.id), colour))
    return "\n".join(lines)
