"""Indirect and mixed speech: the reported clauses kept beside the quotes the rules found.

Each candidate clause (`reported.candidates`) is judged by the trained model when there is
one, or by a plain rule otherwise (a reporting verb with a subject, reporting a clause). A
clause that covers a quote already found from its quotation marks is left to that quote, and
of two candidates for the same clause the likelier wins.
"""

from __future__ import annotations

from spacy.tokens import Doc

from quotewire.evaluate import iou
from quotewire.extract.attribution import Attribution, is_title, mention_span, without_marks
from quotewire.extract.attribution_model import QUOTE_CHARS, AttributionModel, features
from quotewire.extract.cues import NAMING_VERBS, cue_phrase, is_speech_verb
from quotewire.extract.docs import Overlaps, Ranges, span_at, text_of
from quotewire.extract.headcase import is_title_case
from quotewire.extract.layout import BODY, HEADLINE, Layout
from quotewire.extract.reported import Candidate, candidates

_RULE_CONFIDENCE = 0.6  # rules alone have no measured probability: one middling value
_SAME_CLAUSE = 0.5  # two spans with this IoU would match the same quote
_MUCH_MORE = 1.5  # a report this many times longer than a mixed quote inside it holds more


def open_candidates(
    doc: Doc, layout: Layout, found: list[Attribution], quoted: list[tuple[int, int]]
) -> list[Candidate]:
    """The candidate clauses left to judge: in the body, not said inside quotation marks
    (`quoted`), and not standing for a quote the rules `found` already, nor reported by the
    cue of one ('"...," exhorted his introducer, Jo Smith' reports the quote, not Jo Smith)."""
    allowed = [(p.start, p.end) for p in layout.paragraphs if p.kind in (BODY, HEADLINE)]
    spans = Overlaps([(a.start, a.end) for a in found])
    # The rules' mixed quotes, by span, with where their cue starts.
    mixed = {
        (a.start, a.end): (a.cue.start_char if a.cue is not None else -1)
        for a in found
        if a.pattern == "mixed"
    }
    in_quotes = Ranges(quoted)
    cues_taken = {a.cue.root.i for a in found if a.cue is not None}
    return [
        cand
        for cand in candidates(doc, allowed)
        if cand.cue.idx not in in_quotes
        and cand.cue.i not in cues_taken
        and not any(
            covers(cand, span) and not (span in mixed and _holds_more(cand, span, mixed[span]))
            for span in spans.over(cand.start, cand.end)
        )
    ]


def _holds_more(cand: Candidate, span: tuple[int, int], mixed_cue: int) -> bool:
    """A report that holds a mixed quote the rules found inside it, and more: much more
    ('Clinton says [she appreciated ... what she calls a "war of words"]'), or the mixed
    quote's own cue, under a reporting verb ('Bob said [he began calling the groups to
    "help get eyes up"]': Bob's report, not the calling)."""
    start, end = span
    if not (cand.start <= start and end <= cand.end):
        return False
    much_more = (cand.end - cand.start) >= _MUCH_MORE * (end - start)
    return much_more or (is_speech_verb(cand.cue) and cand.start <= mixed_cue < cand.end)


def drop_inner_mixed(found: list[Attribution], reported: list[Attribution]) -> list[Attribution]:
    """The rules' mixed quotes, less those inside a report the model accepted."""
    return [
        att
        for att in found
        if att.pattern != "mixed"
        or not any(r.start <= att.start and att.end <= r.end for r in reported)
    ]


def reported_attributions(
    doc: Doc,
    layout: Layout,
    found: list[Attribution],
    quoted: list[tuple[int, int]],
    model: AttributionModel | None,
) -> list[Attribution]:
    """Attributions for the reported clauses of the article not already among `found`."""
    scored = []
    for cand in open_candidates(doc, layout, found, quoted):
        probability = _judge(cand, model)
        if probability is not None:
            scored.append((probability, cand))
    scored.sort(key=lambda pair: (-pair[0], pair[1].start))
    quotes = Overlaps(quoted)
    headline = layout.headline()
    # In a Title Case headline every quotation looks like a name in marks.
    title_case = headline if headline and is_title_case(text_of(doc)[slice(*headline)]) else None
    taken: dict[tuple[int, int], list[Candidate]] = {}  # the model's accepted ones, by span
    # The spans of every quote accepted so far, the rules' and the model's.
    accepted = Overlaps([(a.start, a.end) for a in found])
    cues_used: set[int] = set()
    out = []
    for probability, cand in scored:
        # Of two readings of one clause, or of one cue, the likelier; and one source's report
        # nested in another of its reports ("said X, describing him as Y") is counted once.
        if cand.cue.i in cues_used:
            continue
        if any(
            _same_report(cand, other)
            for span in accepted.over(cand.start, cand.end)
            for other in taken.get(span, ())
        ):
            continue
        if _nested_in(cand, accepted):
            continue
        span = (cand.start, cand.end)
        if span not in taken:
            taken[span] = []
            accepted.add(span)
        taken[span].append(cand)
        cues_used.add(cand.cue.i)
        names_in_marks = title_case is None or not title_case[0] <= cand.start < title_case[1]
        out.append(_to_attribution(doc, cand, probability, quotes, names_in_marks))
    return out


def _nested_in(cand: Candidate, accepted: Overlaps) -> bool:
    """What a clause inside an accepted report does ("said [the museum celebrated his
    heroes]", "said [officials should reach out to learn how ...]") is part of that report,
    not a report of its own; only a speech verb with a subject of its own inside it reports
    again ("said [..., what the senators said was gerrymandering]"). Measured on PolNeAR
    dev: quote F1 +0.006 (dropping such a clause accepted before the report around it
    too: no better)."""
    cue = cand.cue
    if is_speech_verb(cue) and any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return False
    return any(_inside(cand, span) for span in accepted.over(cand.start, cand.end))


def _inside(cand: Candidate, span: tuple[int, int]) -> bool:
    start, end = span
    return start <= cand.start and cand.end <= end and (start, end) != (cand.start, cand.end)


def _same_report(cand: Candidate, other: Candidate) -> bool:
    if iou((cand.start, cand.end), (other.start, other.end)) >= _SAME_CLAUSE:
        return True
    nested = (other.start <= cand.start and cand.end <= other.end) or (
        cand.start <= other.start and other.end <= cand.end
    )
    same_source = cand.source is not None and other.source is not None
    return nested and same_source and cand.source.i == other.source.i


def _judge(cand: Candidate, model: AttributionModel | None) -> float | None:
    """The candidate's probability of being a quote, or None when it is rejected."""
    if _verbless_aside(cand):
        return None
    if model is None:
        rule = cand.source is not None and (cand.side == "according" or is_speech_verb(cand.cue))
        return _RULE_CONFIDENCE if rule and cand.content_head.pos_ in ("VERB", "AUX") else None
    probability = model.probability(features(cand))
    return probability if probability >= model.threshold else None


def _verbless_aside(cand: Candidate) -> bool:
    """'declaring them part of a "caliphate"': a quoted word in a phrase with no verb and no
    naming verb over it is a scare quote, not a report (as the rules judge mixed quotes)."""
    cue, doc = cand.cue, cand.cue.doc
    text = text_of(doc)[cand.start : cand.end]
    if not any(ch in text for ch in QUOTE_CHARS) or cue.lemma_.lower() in NAMING_VERBS:
        return False
    if cue.tag_ != "VBG" or cue.dep_ not in ("advcl", "acl"):
        return False  # only the participle tacked on to a sentence, as in the example
    span = span_at(doc, cand.start, cand.end)
    return span is not None and not any(t.pos_ in ("VERB", "AUX") for t in span)


def covers(cand: Candidate, span: tuple[int, int]) -> bool:
    """Does the candidate stand for the same quote as `span`: contain it, lie mostly in it,
    or cross its edge (a clause that starts inside a quotation and runs on out of it)?"""
    start, end = span
    inter = max(0, min(end, cand.end) - max(start, cand.start))
    crosses = start < cand.start < end < cand.end or cand.start < start < cand.end < end
    return inter >= (end - start) * 0.8 or inter >= (cand.end - cand.start) * 0.5 or crosses


def _to_attribution(
    doc: Doc, cand: Candidate, probability: float, quotes: Overlaps, names_in_marks: bool
) -> Attribution:
    whole = text_of(doc)
    text = whole[cand.start : cand.end]
    quoted = [
        whole[start:end]
        for start, end in (without_marks(whole, a, b) for a, b in quotes.over(cand.start, cand.end))
    ]
    if quotes.holds(cand.start, cand.end):
        # '"We will win," he said': words in marks, too short for the rules' direct quotes
        # (they pass over scare quotes), but the speaker's own words all the same.
        kind = "direct"
    elif names_in_marks and quoted and all(is_title(words) for words in quoted):
        kind = "indirect"  # 'a defense of the "Gang of Eight" bill': a name in marks
    elif quoted or any(ch in text for ch in QUOTE_CHARS):
        kind = "mixed"  # quoted words inside, in any marks (NYT's '' '' too)
    else:
        kind = "indirect"
    if cand.side == "according":
        cue = doc[cand.cue.i : cand.cue.i + 2]
    elif cand.cue.pos_ in ("VERB", "AUX"):
        cue = cue_phrase(cand.cue)
    else:
        cue = doc[cand.cue.i : cand.cue.i + 1]
    source = cand.source
    end = cand.end
    for open_pos, close_end in quotes.over(cand.start, cand.end):
        if cand.start <= open_pos and end < close_end <= end + 2:
            end = close_end  # 'as "hurtful and humiliating"': the closing mark too
    return Attribution(
        fragments=[[cand.start, end]],
        type=kind,
        pattern="reported-" + cand.side,
        cue=cue,
        speaker_head=source,
        speaker_span=mention_span(source) if source is not None else None,
        confidence=probability,
        cue_root=cand.cue,
    )
