"""HTML pieces of the web pages. Every piece of article text goes through `html.escape`:
articles are untrusted input, and nothing in them may become markup."""

from __future__ import annotations

import html
from collections import Counter
from datetime import date

from markupsafe import Markup

from quotewire.model import Result

# One colour per speaker, in the order speakers are listed; readable on white.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
NO_SPEAKER = "#999999"


def speaker_colours(result: Result) -> dict[int, str]:
    return {s.id: PALETTE[i % len(PALETTE)] for i, s in enumerate(result.speakers)}


def highlighted_article(text: str, result: Result) -> Markup:
    """The article with every quote in its speaker's colour, cues and speaker mentions
    underlined, and boilerplate and captions greyed out. The text is cut at every span
    boundary; each piece is one escaped <span> with the classes of the spans over it."""
    colours = speaker_colours(result)
    cuts = {0, len(text)}
    layers: list[tuple[int, int, str, int | None]] = []  # start, end, kind, quote index
    for index, quote in enumerate(result.quotes):
        for start, end in quote.fragments or [[quote.start, quote.end]]:
            layers.append((start, end, "quote", index))
        if quote.cue_start is not None and quote.cue_end is not None:
            layers.append((quote.cue_start, quote.cue_end, "cue", index))
        if quote.speaker_start is not None and quote.speaker_end is not None:
            layers.append((quote.speaker_start, quote.speaker_end, "mention", index))
    for start, end in result.boilerplate:
        layers.append((start, end, "boilerplate", None))
    for start, end in result.captions:
        layers.append((start, end, "caption", None))
    for start, end, _kind, _index in layers:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    points = sorted(cuts)
    pieces = []
    for start, end in zip(points, points[1:], strict=False):
        over = [layer for layer in layers if layer[0] <= start and end <= layer[1]]
        piece = html.escape(text[start:end])
        if not over:
            pieces.append(piece)
            continue
        classes = sorted({kind for _s, _e, kind, _i in over})
        attributes = f' class="{" ".join(classes)}"'
        quote = next((i for _s, _e, kind, i in over if kind == "quote"), None)
        if quote is None:  # a cue or mention outside its quote still belongs to it
            quote = next((i for _s, _e, _k, i in over if i is not None), None)
        if quote is not None:
            speaker = result.quotes[quote].speaker_id
            colour = colours.get(speaker, NO_SPEAKER) if speaker is not None else NO_SPEAKER
            attributes += f' data-quote="{quote}" style="--speaker: {colour}"'
        pieces.append(f"<span{attributes}>{piece}</span>")
    return Markup("".join(pieces))


def word_diff(diff: list[tuple[str, str]]) -> Markup:
    """A statement variant's diff: left-out words in <del>, added ones in <ins>."""
    parts = []
    for op, words in diff:
        if op == "=":
            parts.append(html.escape(words))
        elif op == "-":
            parts.append(f"<del>{html.escape(words)}</del>")
        elif op == "+":
            parts.append(f"<ins>{html.escape(words)}</ins>")
        else:
            old, _, new = words.partition(" -> ")
            parts.append(f"<del>{html.escape(old)}</del><ins>{html.escape(new)}</ins>")
    return Markup(" ".join(parts))


def weekly_counts(dates: list[str | None]) -> list[tuple[str, int]]:
    """Quotes per ISO week (Monday's date), every week from the first to the last."""
    weeks: Counter[date] = Counter()
    for value in dates:
        try:
            day = date.fromisoformat((value or "")[:10])
        except ValueError:
            continue
        weeks[date.fromordinal(day.toordinal() - day.weekday())] += 1
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    return [
        (date.fromordinal(d).isoformat(), weeks[date.fromordinal(d)])
        for d in range(first.toordinal(), last.toordinal() + 1, 7)
    ]


def timeline_svg(weeks: list[tuple[str, int]], width: int = 720, height: int = 140) -> Markup:
    """A bar chart of quotes per week, as inline SVG: one bar a week (at most 48 px wide),
    its count above it, the first and last week below."""
    if not weeks:
        return Markup('<p class="muted">No dated quotes.</p>')
    top = max(count for _week, count in weeks)
    bar = min(width / len(weeks), 48.0)
    plot = height - 34  # room for the counts above and the dates below
    bars = []
    for i, (week, count) in enumerate(weeks):
        h = plot * count / top
        x, y = i * bar, height - 16 - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}">'
            f"<title>week of {html.escape(week)}: {count}</title></rect>"
        )
        if count and bar >= 14:
            bars.append(
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle">{count}</text>'
            )
    end = len(weeks) * bar
    labels = f'<text x="0" y="{height - 2}">{html.escape(weeks[0][0])}</text>'
    if len(weeks) > 1:
        labels += (
            f'<text x="{end:.1f}" y="{height - 2}" text-anchor="end">'
            f"{html.escape(weeks[-1][0])}</text>"
        )
    return Markup(
        f'<svg class="timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="quotes per week">'
        f"{''.join(bars)}{labels}</svg>"
    )
