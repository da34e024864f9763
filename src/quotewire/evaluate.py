"""Quote extraction and speaker attribution metrics, on in-memory articles.

This is the project's own implementation of the reference scorer ``../shared/tools/score.py``:
``score()`` returns the same dict, to the digit. It adds per-article error listing
(``article_errors``, summed by kind in ``error_kinds``) and a confidence sweep
(``precision_recall_at``) built on the same matching and speaker-judging functions, so there is
one implementation of each rule.

Rules (as in score.py):

- Only quotes whose ``type`` is in ``types`` are scored. A gold quote without a type counts as
  ``"direct"``; a predicted quote without a type counts as ``types[0]``. Predicted quotes whose
  ``start``/``end`` are not ints are ignored.
- A prediction matches a gold quote when their spans have IoU >= 0.5 (a gold quote with
  ``clause_start``/``clause_end`` may be matched by either span), one-to-one, best IoU first.
- Gold quotes with ``repeat_of`` set are optional: matching one earns nothing and costs nothing
  (the prediction is not counted); missing one is not an error.
- ``by="name"``: the predicted speaker name must be the gold person (alias or name-token subset
  that keeps the surname); ``by="mention"``: the predicted ``speaker_start``/``speaker_end`` must
  overlap a gold speaker span; ``by="either"``: one of the two.
- A matched gold quote without a speaker is an end-to-end hit when the prediction has no speaker
  either; it does not enter ``attribution_acc``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from quotewire.model import QUOTE_TYPES

__all__ = [
    "IOU_THRESHOLD",
    "QUOTE_TYPES",
    "SPEAKER_BY",
    "TITLES",
    "article_errors",
    "attribution_hit",
    "by_id",
    "error_kinds",
    "filter_by_confidence",
    "format_table",
    "gold_quotes",
    "iou",
    "load_jsonl",
    "match",
    "mention_ok",
    "name_tokens",
    "norm",
    "pred_quotes",
    "precision_recall_at",
    "prf",
    "score",
    "speaker_judged_ok",
    "speaker_name",
    "speaker_ok",
    "tally",
]

IOU_THRESHOLD = 0.5
SPEAKER_BY = ("name", "mention", "either")
SNIPPET_CHARS = 120

# Words dropped from a name before the token-subset comparison (identical to score.py).
# fmt: off
TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president", "prime",
        "minister", "secretary", "senator", "sen", "rep", "gov", "governor", "general", "gen",
        "chancellor", "king", "queen", "prince", "princess", "pope", "judge", "justice",
        "professor", "prof", "the", "chief", "executive", "ceo", "coach", "manager", "spokesman",
        "spokeswoman", "spokesperson", "mayor", "syrian", "us", "u.s.", "former", "deputy",
        "foreign", "leader", "director", "officer", "captain", "colonel", "lt", "sgt", "st", "rev",
        "reverend", "jr", "sr",
    }
)
# fmt: on

_POSSESSIVE = re.compile(r"[’'`]s\b")
_WORD = re.compile(r"[a-z0-9]+")


# --------------------------------------------------------------------------- scorer helpers


def norm(s: str | None) -> str:
    """ASCII-fold, lowercase, drop possessive 's and punctuation; tokens joined by one space."""
    s = unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()
    s = _POSSESSIVE.sub("", s)
    return " ".join(_WORD.findall(s))


def name_tokens(s: str | None) -> list[str]:
    """The normalised tokens of a name, titles and honorifics removed."""
    return [t for t in norm(s).split() if t not in TITLES]


def speaker_name(speaker: Any) -> str:
    """The name of a predicted speaker given as a string or as {"name"|"canonical": ...}."""
    if isinstance(speaker, dict):
        return speaker.get("name") or speaker.get("canonical") or ""
    return speaker or ""


def mention_ok(pred_q: Mapping[str, Any], gold_q: Mapping[str, Any]) -> bool:
    """The predicted local mention of the speaker overlaps a gold speaker span."""
    s, e = pred_q.get("speaker_start"), pred_q.get("speaker_end")
    if not isinstance(s, int) or not isinstance(e, int):
        return False
    spans = gold_q.get("speaker_spans") or (
        [[gold_q["speaker_start"], gold_q["speaker_end"]]]
        if isinstance(gold_q.get("speaker_start"), int)
        else []
    )
    return any(min(e, b) > max(s, a) for a, b in spans)


def speaker_ok(pred: Any, gold_q: Mapping[str, Any]) -> bool:
    """The predicted speaker name (str or dict) names the gold speaker or one of its aliases."""
    name = speaker_name(pred)
    if not name or not gold_q.get("speaker"):
        return False
    golds = [gold_q["speaker"], *(gold_q.get("speaker_aliases") or [])]
    p = norm(name)
    if any(p == norm(g) for g in golds):
        return True
    pt = set(name_tokens(name))
    full = name_tokens(gold_q["speaker"])
    if pt and full and pt <= set(full) and full[-1] in pt:
        return True
    return bool(pt) and any(set(name_tokens(g)) == pt for g in golds)


def iou(a: Sequence[int], b: Sequence[int]) -> float:
    """Intersection over union of two [start, end) spans; 0.0 when both are empty."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def match(
    golds: Sequence[Mapping[str, Any]],
    preds: Sequence[Mapping[str, Any]],
    thr: float = IOU_THRESHOLD,
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs with IoU >= thr, greedily best IoU first.

    Ties are broken as score.py breaks them: candidates (iou, i, j) sorted in descending
    order, so among equal IoUs the higher gold index, then the higher pred index, goes first.
    """
    cand: list[tuple[float, int, int]] = []
    for i, g in enumerate(golds):
        spans = [(g["start"], g["end"])]
        if isinstance(g.get("clause_start"), int):  # a mixed quote: fragment or whole clause
            spans.append((g["clause_start"], g["clause_end"]))
        for j, p in enumerate(preds):
            v = max(iou(sp, (p["start"], p["end"])) for sp in spans)
            if v >= thr:
                cand.append((v, i, j))
    cand.sort(reverse=True)
    gi: set[int] = set()
    pj: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in cand:
        if i in gi or j in pj:
            continue
        gi.add(i)
        pj.add(j)
        pairs.append((i, j))
    return pairs


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0.0 where undefined)."""
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# --------------------------------------------------------------------------- shared rules


def _check_by(by: str) -> None:
    if by not in SPEAKER_BY:
        raise ValueError(f"by must be one of {SPEAKER_BY}, not {by!r}")


def gold_quotes(gold_article: Mapping[str, Any], types: Sequence[str]) -> list[dict]:
    """The gold quotes scored under `types` (a gold quote without a type is "direct")."""
    return [q for q in gold_article["quotes"] if q.get("type", "direct") in types]


def pred_quotes(pred_article: Mapping[str, Any] | None, types: Sequence[str]) -> list[dict]:
    """The predicted quotes scored under `types`: int spans, type (default types[0]) in types."""
    quotes = (pred_article or {}).get("quotes") or []
    return [
        q
        for q in quotes
        if isinstance(q.get("start"), int)
        and isinstance(q.get("end"), int)
        and q.get("type", types[0]) in types
    ]


def speaker_judged_ok(pred_q: Mapping[str, Any], gold_q: Mapping[str, Any], by: str) -> bool:
    """Is the predicted speaker right for an attributed gold quote, under `by`?"""
    ok = speaker_ok(pred_q.get("speaker"), gold_q) if by in ("name", "either") else False
    return ok or (by in ("mention", "either") and mention_ok(pred_q, gold_q))


def attribution_hit(pred_q: Mapping[str, Any], gold_q: Mapping[str, Any], by: str) -> bool:
    """Does a matched pair count as an end-to-end (who said what) hit?

    For an attributed gold quote: the speaker is judged right under `by`. For a gold quote with
    no speaker: the prediction has no speaker either.
    """
    if gold_q.get("speaker"):
        return speaker_judged_ok(pred_q, gold_q, by)
    return not pred_q.get("speaker")


def _is_repeat(q: Mapping[str, Any]) -> bool:
    return q.get("repeat_of") is not None


def by_id(articles: Iterable[Mapping[str, Any]]) -> dict[str, dict]:
    """Index articles by "id"; a later duplicate replaces an earlier one (as score.py does)."""
    return {a["id"]: dict(a) for a in articles}


def tally(
    gold: Iterable[Mapping[str, Any]],
    pred: Mapping[str, Mapping[str, Any] | None],
    types: Sequence[str] = QUOTE_TYPES,
    by: str = "name",
) -> dict[str, int]:
    """The raw counts behind score(): tp, tp_<type>, gold, gold_<type>, pred, attr_n, attr_ok,
    e2e_tp, unattributed_gold, plus articles and missing_articles."""
    _check_by(by)
    types = tuple(types)
    golds = by_id(gold)
    c: defaultdict[str, int] = defaultdict(int)
    c["articles"] = len(golds)
    c["missing_articles"] = sum(1 for k in golds if k not in pred)
    for k, g in golds.items():
        gq = gold_quotes(g, types)
        pq = pred_quotes(pred.get(k), types)
        pairs = match(gq, pq)
        for i, j in pairs:
            gqi = gq[i]
            if _is_repeat(gqi):
                continue
            c["tp"] += 1
            c["tp_" + gqi.get("type", "direct")] += 1
            if gqi.get("speaker"):
                c["attr_n"] += 1
                if attribution_hit(pq[j], gqi, by):
                    c["attr_ok"] += 1
                    c["e2e_tp"] += 1
            else:
                c["unattributed_gold"] += 1
                if attribution_hit(pq[j], gqi, by):
                    c["e2e_tp"] += 1
        for q in gq:
            if not _is_repeat(q):
                c["gold"] += 1
                c["gold_" + q.get("type", "direct")] += 1
        c["pred"] += len(pq) - sum(1 for i, _ in pairs if _is_repeat(gq[i]))
    return dict(c)


# --------------------------------------------------------------------------- public API


def score(
    gold: list[dict],
    pred: dict[str, dict],
    types: tuple[str, ...] = QUOTE_TYPES,
    by: str = "name",
) -> dict[str, float | int]:
    """score.py's metrics for gold articles against predictions keyed by article id.

    Keys, order and rounding (3 decimals) are those of score.py's output; ``recall_<type>`` is
    present only for types with gold quotes.
    """
    types = tuple(types)
    c = defaultdict(int, tally(gold, pred, types, by))
    p, r, f = prf(c["tp"], c["pred"], c["gold"])
    ep, er, ef = prf(c["e2e_tp"], c["pred"], c["gold"])
    out: dict[str, float | int] = {
        "articles": c["articles"],
        "missing_articles": c["missing_articles"],
        "gold_quotes": c["gold"],
        "pred_quotes": c["pred"],
        "quote_P": round(p, 3),
        "quote_R": round(r, 3),
        "quote_F1": round(f, 3),
        "attribution_acc": round(c["attr_ok"] / c["attr_n"], 3) if c["attr_n"] else 0.0,
        "who_said_what_P": round(ep, 3),
        "who_said_what_R": round(er, 3),
        "who_said_what_F1": round(ef, 3),
    }
    for t in types:
        if c["gold_" + t]:
            out["recall_" + t] = round(c["tp_" + t] / c["gold_" + t], 3)
    return out


def _snippet(text: str | None, start: int, end: int, fallback: str | None = None) -> str:
    if isinstance(text, str):
        return text[start:end][:SNIPPET_CHARS]
    return (fallback or "")[:SNIPPET_CHARS]


def _mention_text(text: str | None, q: Mapping[str, Any]) -> str | None:
    s, e = q.get("speaker_start"), q.get("speaker_end")
    if isinstance(text, str) and isinstance(s, int) and isinstance(e, int):
        return text[s:e]
    return None


def article_errors(
    gold_article: dict,
    pred_article: dict | None,
    types: tuple[str, ...] = QUOTE_TYPES,
    by: str = "name",
) -> dict[str, Any]:
    """The errors score() counts in one article, for error analysis.

    Returns {"id", "missed", "false_hits", "wrong_speaker"}:

    - ``missed``: gold quotes with no matching prediction (optional repeats excluded);
      each {"start", "end", "type", "text", "gold_speaker"}.
    - ``false_hits``: predictions matching no gold quote (a prediction matched to an optional
      repeat is neither); each {"start", "end", "type", "text", "pred_speaker", "pred_mention"}.
    - ``wrong_speaker``: matched pairs that are not an end-to-end hit under `by` (wrong or
      missing speaker for an attributed gold quote, or a speaker predicted where gold has none);
      each {"gold_start", "gold_end", "pred_start", "pred_end", "type", "text", "gold_speaker",
      "pred_speaker", "pred_mention"}.

    Each missed and false hit also says how near it came (``near``), the split that tells a
    span-boundary problem from a detection problem:

    - ``"boundary"``: it overlaps an unmatched counterpart (a prediction for a missed gold
      quote, a gold quote for a false hit): the quote was found, its span was wrong (IoU < 0.5);
    - ``"duplicate"`` (false hits only): it overlaps only gold quotes already matched;
    - ``"none"``: nothing on the other side overlaps it: a quote not found, or one invented.

    Summed over articles: len(missed) = gold - tp, len(false_hits) = pred - tp and
    len(wrong_speaker) = tp - e2e_tp in tally()'s counts. ``text`` is the first 120 characters
    of the span, taken from the gold article's "text" when present (else the quote's "quote").
    """
    _check_by(by)
    types = tuple(types)
    text = gold_article.get("text")
    gq = gold_quotes(gold_article, types)
    pq = pred_quotes(pred_article, types)
    pairs = match(gq, pq)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}

    open_gold = [q for i, q in enumerate(gq) if i not in matched_g and not _is_repeat(q)]
    open_pred = [q for j, q in enumerate(pq) if j not in matched_p]
    taken_gold = [q for i, q in enumerate(gq) if i in matched_g]
    missed = [
        {
            "start": q["start"],
            "end": q["end"],
            "type": q.get("type", "direct"),
            "text": _snippet(text, q["start"], q["end"], q.get("quote")),
            "gold_speaker": q.get("speaker"),
            "near": _nearness(q, open_pred, []),
        }
        for q in open_gold
    ]
    false_hits = [
        {
            "start": q["start"],
            "end": q["end"],
            "type": q.get("type", types[0]),
            "text": _snippet(text, q["start"], q["end"], q.get("quote")),
            "pred_speaker": speaker_name(q.get("speaker")) or None,
            "pred_mention": _mention_text(text, q),
            "near": _nearness(q, open_gold, taken_gold),
        }
        for q in open_pred
    ]
    wrong_speaker = []
    for i, j in sorted(pairs):
        g, p = gq[i], pq[j]
        if _is_repeat(g) or attribution_hit(p, g, by):
            continue
        wrong_speaker.append(
            {
                "gold_start": g["start"],
                "gold_end": g["end"],
                "pred_start": p["start"],
                "pred_end": p["end"],
                "type": g.get("type", "direct"),
                "text": _snippet(text, g["start"], g["end"], g.get("quote")),
                "gold_speaker": g.get("speaker"),
                "pred_speaker": speaker_name(p.get("speaker")) or None,
                "pred_mention": _mention_text(text, p),
            }
        )
    return {
        "id": gold_article.get("id"),
        "missed": missed,
        "false_hits": false_hits,
        "wrong_speaker": wrong_speaker,
    }


def _overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return min(a["end"], b["end"]) > max(a["start"], b["start"])


def _nearness(
    q: Mapping[str, Any], unmatched: Sequence[Mapping[str, Any]], matched: Sequence[Mapping]
) -> str:
    """How near an unmatched quote came to the other side: see article_errors."""
    if any(_overlaps(q, other) for other in unmatched):
        return "boundary"
    if any(_overlaps(q, other) for other in matched):
        return "duplicate"
    return "none"


def error_kinds(
    gold: Iterable[Mapping[str, Any]],
    pred: Mapping[str, Mapping[str, Any] | None],
    types: Sequence[str] = QUOTE_TYPES,
    by: str = "name",
) -> dict[str, int]:
    """article_errors summed over articles, by kind: ``missed_<near>``, ``false_<near>`` and
    ``wrong_speaker``. Fixing a boundary error turns one missed and one false hit into a hit."""
    counts: dict[str, int] = {
        "missed_boundary": 0,
        "missed_none": 0,
        "false_boundary": 0,
        "false_duplicate": 0,
        "false_none": 0,
        "wrong_speaker": 0,
    }
    for article in by_id(gold).values():
        report = article_errors(article, pred.get(article["id"]), tuple(types), by)
        for item in report["missed"]:
            counts["missed_" + item["near"]] += 1
        for item in report["false_hits"]:
            counts["false_" + item["near"]] += 1
        counts["wrong_speaker"] += len(report["wrong_speaker"])
    return counts


def _confidence(q: Mapping[str, Any]) -> float:
    c = q.get("confidence")
    return 1.0 if c is None else float(c)


def filter_by_confidence(
    pred: Mapping[str, Mapping[str, Any]], threshold: float
) -> dict[str, dict]:
    """Copies of the predicted articles keeping only quotes with confidence >= threshold
    (a quote without a confidence counts as 1.0)."""
    out: dict[str, dict] = {}
    for k, art in pred.items():
        art = dict(art or {})
        art["quotes"] = [q for q in art.get("quotes") or [] if _confidence(q) >= threshold]
        out[k] = art
    return out


def precision_recall_at(
    gold: list[dict],
    pred: dict[str, dict],
    thresholds: list[float],
    types: tuple[str, ...] = QUOTE_TYPES,
    by: str = "name",
) -> list[dict[str, float]]:
    """score() at each confidence threshold: rows {"threshold", "quote_P", "quote_R",
    "quote_F1", "attribution_acc"}, in the order of `thresholds`."""
    rows: list[dict[str, float]] = []
    for t in thresholds:
        m = score(gold, filter_by_confidence(pred, t), types, by)
        rows.append(
            {
                "threshold": t,
                "quote_P": m["quote_P"],
                "quote_R": m["quote_R"],
                "quote_F1": m["quote_F1"],
                "attribution_acc": m["attribution_acc"],
            }
        )
    return rows


def load_jsonl(path: str | Path) -> list[dict]:
    """The JSON objects of a JSONL file, one per non-blank line (UTF-8)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def format_table(metrics: Mapping[str, float | int]) -> str:
    """A two-column plain-text table of a score() result (floats with 3 decimals)."""
    if not metrics:
        return ""
    cells = [(k, f"{v:.3f}" if isinstance(v, float) else str(v)) for k, v in metrics.items()]
    kw = max(len("metric"), *(len(k) for k, _ in cells))
    vw = max(len("value"), *(len(v) for _, v in cells))
    lines = [f"{'metric':<{kw}}  {'value':>{vw}}", f"{'-' * kw}  {'-' * vw}"]
    lines += [f"{k:<{kw}}  {v:>{vw}}" for k, v in cells]
    return "\n".join(lines)
