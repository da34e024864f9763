"""quotewire.evaluate against the reference scorer ../shared/tools/score.py, on PolNeAR dev.

Predictions are PolNeAR dev gold perturbed deterministically; the gold subset and the predictions
are written to tmp_path and scored by the reference scorer in a subprocess. Our score() must
print the very same JSON.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from quotewire.evaluate import (
    article_errors,
    error_kinds,
    filter_by_confidence,
    format_table,
    load_jsonl,
    precision_recall_at,
    score,
    tally,
)
from quotewire.model import QUOTE_TYPES

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR = SHARED / "data" / "polnear"
DEV = POLNEAR / "dev.jsonl"
SCORER = SHARED / "tools" / "score.py"

TYPE_SETS = [
    ("direct", "indirect", "mixed"),
    ("direct",),
    ("indirect", "mixed"),
    ("mixed", "direct"),  # order matters: an untyped prediction counts as types[0]
]
BYS = ["name", "mention", "either"]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def dev_gold() -> list[dict]:
    if not DEV.is_file():
        pytest.skip(f"PolNeAR dev gold not found at {DEV} (expected ../shared next to the repo)")
    return load_jsonl(DEV)


@pytest.fixture(scope="module")
def reference():
    """The reference scorer module itself, for in-process comparisons of its helpers."""
    if not SCORER.is_file():
        pytest.skip(f"reference scorer not found at {SCORER}")
    spec = importlib.util.spec_from_file_location("reference_score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _surname_variant(speaker: str) -> str:
    toks = speaker.split()
    return toks[-1] if len(toks) > 1 else speaker


def perturb(gold: list[dict]) -> dict[str, dict]:
    """Deterministic, varied predictions from gold: every kind of error score() can see."""
    pred: dict[str, dict] = {}
    n = 0
    for a_idx, art in enumerate(gold):
        if a_idx % 10 == 9:
            continue  # a missing article
        quotes = []
        others = [q.get("speaker") for q in art["quotes"] if q.get("speaker")]
        for q in art["quotes"]:
            n += 1
            if n % 3 == 0:
                continue  # dropped: a miss
            p = {
                k: q[k]
                for k in ("start", "end", "type", "speaker", "speaker_start", "speaker_end")
                if k in q
            }
            length = max(1, q["end"] - q["start"])
            if n % 7 == 1:  # shifted so far that IoU < 0.5: a miss plus a false hit
                p["start"], p["end"] = q["start"] + (length * 2) // 3, q["end"] + (length * 2) // 3
            elif n % 7 == 2:  # shifted a little: still a match (IoU about 0.8)
                p["start"], p["end"] = q["start"] + length // 10, q["end"] + length // 10
            elif n % 7 == 4:  # shrunk to half: IoU exactly 0.5 still matches
                p["end"] = q["start"] + length // 2 if length % 2 == 0 else q["end"]
            speaker = q.get("speaker")
            if n % 5 == 1:  # blank speaker and no mention
                p["speaker"] = ""
                p.pop("speaker_start", None)
                p.pop("speaker_end", None)
            elif n % 5 == 2 and isinstance(q.get("speaker_end"), int):  # mention moved away
                p["speaker_start"] = q["speaker_end"] + 3
                p["speaker_end"] = q["speaker_end"] + 9
            elif n % 5 == 3 and others:  # someone else in the article
                p["speaker"] = others[n % len(others)]
            elif n % 5 == 4 and speaker:  # name forms: dict, title, surname only, case
                form = (n // 5) % 4
                if form == 0:
                    p["speaker"] = {"name": "Mr. " + speaker}
                elif form == 1:
                    p["speaker"] = {"canonical": _surname_variant(speaker)}
                elif form == 2:
                    p["speaker"] = speaker.upper() + "'s"
                else:  # equals an alias once titles are dropped
                    p["speaker"] = "Secretary Hillary Clinton"
            if n % 11 == 3:  # wrong type
                t = p.get("type", "direct")
                p["type"] = QUOTE_TYPES[(QUOTE_TYPES.index(t) + 1) % len(QUOTE_TYPES)]
            elif n % 13 == 5:  # untyped: counts as types[0]
                p.pop("type", None)
            if n % 17 == 6:  # not an int span: ignored by the scorer
                p["start"] = str(p["start"])
            if n % 19 == 7:  # a duplicate: only one of the two can match
                quotes.append(dict(p))
            p["confidence"] = round((n * 0.37) % 1.0, 2)
            if n % 4 == 0:
                del p["confidence"]
            quotes.append(p)
        # a false hit over the headline, and a zero-length one
        quotes.append({"start": 0, "end": 40, "type": "direct", "speaker": "Nobody"})
        quotes.append({"start": 5, "end": 5, "type": "indirect", "speaker": ""})
        out = {"id": art["id"], "quotes": quotes}
        if a_idx % 10 == 4:
            del out["quotes"]  # an article present with no quotes at all
        pred[art["id"]] = out
    return pred


def augment_gold(gold: list[dict]) -> list[dict]:
    """Gold with the features PolNeAR lacks: pull-quote repeats, clause spans, aliases,
    and a duplicated article id (the later line wins)."""
    out = copy.deepcopy(gold)
    for a_idx, art in enumerate(out):
        qs = art["quotes"]
        for i, q in enumerate(list(qs)):
            if q.get("type") == "mixed" and i % 2 == 0:
                q["clause_start"], q["clause_end"] = max(0, q["start"] - 60), q["end"]
            if q.get("speaker") and i % 4 == 1:
                q["speaker_aliases"] = ["Hillary Clinton", q["speaker"] + " Jr."]
            if i % 9 == 2:
                q.pop("speaker_spans", None)  # fall back to speaker_start/end
            elif i % 6 == 3 and q.get("speaker_spans") and isinstance(q.get("cue_start"), int):
                q["speaker_spans"] = [*q["speaker_spans"], [q["cue_start"], q["cue_end"]]]
        if a_idx % 3 == 0 and qs:
            rep = dict(qs[0])
            rep["repeat_of"] = 0
            qs.append(rep)  # same span as quote 0: which one is matched is the scorer's tie-break
        if a_idx % 5 == 1 and len(qs) > 1:
            rep = dict(qs[1])
            rep["repeat_of"] = 1
            rep["start"], rep["end"] = 0, 30
            qs.append(rep)
    if len(out) > 2:
        dup = copy.deepcopy(out[1])
        dup["quotes"] = dup["quotes"][: len(dup["quotes"]) // 2]
        out.append(dup)
    return out


def pred_for_augmented(gold: list[dict]) -> dict[str, dict]:
    pred = perturb(gold)
    for art in gold:
        p = pred.get(art["id"])
        if not p or "quotes" not in p:
            continue
        for q in art["quotes"]:
            if len(q.get("speaker_spans") or []) > 1:  # mention on the second speaker span
                for pq in p["quotes"]:
                    if pq["start"] == q["start"] and pq["end"] == q["end"]:
                        pq["speaker_start"], pq["speaker_end"] = q["speaker_spans"][-1]
            if isinstance(q.get("clause_start"), int):  # predicted as the whole clause
                p["quotes"].append(
                    {"start": q["clause_start"], "end": q["clause_end"], "type": "mixed"}
                )
            if q.get("repeat_of") is not None and q["start"] == 0:
                p["quotes"].append({"start": 0, "end": 30, "type": q["type"], "speaker": "x"})
    return pred


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def reference_output(gold_path: Path, pred_path: Path, types: tuple[str, ...], by: str) -> str:
    if not SCORER.is_file():
        pytest.skip(f"reference scorer not found at {SCORER}")
    cmd = [sys.executable, str(SCORER), str(gold_path), str(pred_path)]
    cmd += ["--types", ",".join(types), "--speaker-by", by]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return res.stdout


# --------------------------------------------------------------------------- parity with score.py


@pytest.fixture(scope="module")
def scenarios(dev_gold, tmp_path_factory) -> dict[str, tuple[list[dict], dict, Path, Path]]:
    tmp = tmp_path_factory.mktemp("evaluate")
    plain_gold = dev_gold
    plain_pred = perturb(plain_gold)
    aug_gold = augment_gold(dev_gold[:40])
    aug_pred = pred_for_augmented(aug_gold)
    out = {}
    for name, gold, pred in [("plain", plain_gold, plain_pred), ("augmented", aug_gold, aug_pred)]:
        g = write_jsonl(tmp / f"{name}_gold.jsonl", gold)
        p = write_jsonl(tmp / f"{name}_pred.jsonl", list(pred.values()))
        out[name] = (gold, pred, g, p)
    return out


@pytest.mark.parametrize("scenario", ["plain", "augmented"])
@pytest.mark.parametrize("by", BYS)
@pytest.mark.parametrize("types", TYPE_SETS, ids=lambda t: ",".join(t))
def test_score_matches_reference(scenarios, scenario, types, by):
    gold, pred, gold_path, pred_path = scenarios[scenario]
    expected = reference_output(gold_path, pred_path, types, by)
    ours = score(gold, pred, types, by)
    assert ours == json.loads(expected)
    assert list(ours) == list(json.loads(expected))  # same keys in the same order
    assert json.dumps(ours, indent=1) == expected.strip()  # same digits


def test_perturbation_is_not_trivial(scenarios):
    """The fixture exercises misses, false hits, speaker errors, missing articles, repeats."""
    gold, pred, _, _ = scenarios["plain"]
    m = score(gold, pred, QUOTE_TYPES, "mention")
    assert m["missing_articles"] > 0
    assert 0.3 < m["quote_P"] < 0.95 and 0.3 < m["quote_R"] < 0.95
    assert 0.3 < m["attribution_acc"] < 0.95
    assert {"recall_direct", "recall_indirect", "recall_mixed"} <= set(m)
    aug_gold, aug_pred, _, _ = scenarios["augmented"]
    assert any(q.get("repeat_of") is not None for a in aug_gold for q in a["quotes"])
    assert score(aug_gold, aug_pred)["articles"] == len({a["id"] for a in aug_gold})


def test_score_on_gold_itself_is_perfect(dev_gold):
    pred = {a["id"]: a for a in dev_gold}
    m = score(dev_gold, pred, QUOTE_TYPES, "mention")
    assert m["quote_P"] == m["quote_R"] == m["quote_F1"] == 1.0
    assert m["attribution_acc"] == 1.0 and m["who_said_what_F1"] == 1.0
    assert m["gold_quotes"] == m["pred_quotes"] == sum(len(a["quotes"]) for a in dev_gold)


def test_helpers_match_reference(dev_gold, reference):
    """norm, name_tokens, speaker_ok, iou and match agree with the reference on real data."""
    from quotewire import evaluate as ev

    speakers = sorted({q["speaker"] for a in dev_gold for q in a["quotes"] if q.get("speaker")})
    for s in speakers:
        assert ev.norm(s) == reference.norm(s)
        assert ev.name_tokens(s) == reference.name_tokens(s)
    golds = [q for a in dev_gold[:20] for q in a["quotes"] if q.get("speaker")]
    for k, g in enumerate(golds):
        for cand in (speakers[k % len(speakers)], {"name": g["speaker"].upper()}, "", None):
            assert ev.speaker_ok(cand, g) == bool(reference.speaker_ok(cand, g))
    for art in dev_gold[:20]:
        gq = art["quotes"]
        pq = [{"start": q["start"] + 3, "end": q["end"] + 3} for q in gq] + gq[::2]
        assert ev.match(gq, pq) == reference.match(gq, pq)
        for q, p in zip(gq, pq, strict=False):
            assert ev.iou((q["start"], q["end"]), (p["start"], p["end"])) == reference.iou(
                (q["start"], q["end"]), (p["start"], p["end"])
            )


def test_match_tie_break_prefers_higher_indices():
    """Equal IoUs: score.py sorts (iou, i, j) descending, so the last gold quote wins."""
    from quotewire.evaluate import match

    golds = [{"start": 0, "end": 10}, {"start": 0, "end": 10, "repeat_of": 0}]
    assert match(golds, [{"start": 0, "end": 10}]) == [(1, 0)]


def test_error_counts_add_up(scenarios):
    """article_errors lists exactly what tally() counts, article by article."""
    for scenario in ("plain", "augmented"):
        gold, pred, _, _ = scenarios[scenario]
        for types in TYPE_SETS:
            for by in BYS:
                c = tally(gold, pred, types, by)
                last = {a["id"]: a for a in gold}  # duplicate ids: the later one is scored
                errs = [article_errors(a, pred.get(k), types, by) for k, a in last.items()]
                assert sum(len(e["missed"]) for e in errs) == c.get("gold", 0) - c.get("tp", 0)
                assert sum(len(e["false_hits"]) for e in errs) == c.get("pred", 0) - c.get("tp", 0)
                assert sum(len(e["wrong_speaker"]) for e in errs) == c.get("tp", 0) - c.get(
                    "e2e_tp", 0
                )


# --------------------------------------------------------------------------- article_errors


TEXT = (
    "Budget row deepens. "
    'Smith said: "We will win this vote." '
    "Jones said taxes would fall next year. "
    "Brown warned that the deficit would grow."
)


def _span(sub: str) -> tuple[int, int]:
    s = TEXT.index(sub)
    return s, s + len(sub)


def _gold_quote(sub: str, speaker: str, qtype: str, **extra: object) -> dict:
    s, e = _span(sub)
    ss, se = _span(speaker)
    q = {"quote": sub, "start": s, "end": e, "type": qtype, "speaker": speaker}
    q |= {"speaker_start": ss, "speaker_end": se, "speaker_spans": [[ss, se]]}
    return q | extra


def _hand_made() -> tuple[dict, dict]:
    win = _gold_quote("We will win this vote.", "Smith", "direct")
    taxes = _gold_quote("taxes would fall next year", "Jones", "indirect")
    deficit = _gold_quote("the deficit would grow", "Brown", "indirect")
    repeat = dict(win, start=0, end=19, quote=TEXT[:19], repeat_of=0)  # optional: not missed
    gold = {"id": "a1", "text": TEXT, "quotes": [win, taxes, deficit, repeat]}
    s, e = _span("We will win this vote.")
    ts, te = _span("taxes would fall next year")
    hs, he = _span("Brown warned that")
    pred = {
        "id": "a1",
        "quotes": [
            {"start": s, "end": e, "type": "direct", "speaker": {"name": "Mr Smith"}},
            {  # right quote, wrong speaker (name and mention both point at Smith)
                "start": ts,
                "end": te - 1,
                "type": "indirect",
                "speaker": "Smith",
                "speaker_start": _span("Smith")[0],
                "speaker_end": _span("Smith")[1],
            },
            {"start": hs, "end": he, "type": "direct", "speaker": "Brown"},  # false hit
        ],
    }
    return gold, pred


def test_article_errors_hand_made():
    gold, pred = _hand_made()
    errs = article_errors(gold, pred, QUOTE_TYPES, "name")
    ds, de = _span("the deficit would grow")
    assert errs["missed"] == [
        {
            "start": ds,
            "end": de,
            "type": "indirect",
            "text": "the deficit would grow",
            "gold_speaker": "Brown",
            "near": "none",
        }
    ]
    hs, he = _span("Brown warned that")
    assert errs["false_hits"] == [
        {
            "start": hs,
            "end": he,
            "type": "direct",
            "text": "Brown warned that",
            "pred_speaker": "Brown",
            "pred_mention": None,
            "near": "none",
        }
    ]
    ts, te = _span("taxes would fall next year")
    assert errs["wrong_speaker"] == [
        {
            "gold_start": ts,
            "gold_end": te,
            "pred_start": ts,
            "pred_end": te - 1,
            "type": "indirect",
            "text": "taxes would fall next year",
            "gold_speaker": "Jones",
            "pred_speaker": "Smith",
            "pred_mention": "Smith",
        }
    ]
    # the same article through score(): 2 of 3 found, 1 of 2 speakers right
    m = score([gold], {"a1": pred}, QUOTE_TYPES, "name")
    assert (m["gold_quotes"], m["pred_quotes"]) == (3, 3)
    assert m["attribution_acc"] == 0.5


def test_errors_by_kind_tell_wrong_spans_from_missing_quotes():
    gold, pred = _hand_made()
    assert error_kinds([gold], {"a1": pred}) == {
        "missed_boundary": 0,
        "missed_none": 1,
        "false_boundary": 0,
        "false_duplicate": 0,
        "false_none": 1,
        "wrong_speaker": 1,
    }
    # The false hit stretched over the missed quote (IoU 0.28): one span error on each side.
    ws, _ = _span("Brown warned that")
    _, we = _span("the deficit")
    wide = copy.deepcopy(pred)
    wide["quotes"][2].update(start=ws, end=we)
    errs = article_errors(gold, wide)
    assert [m["near"] for m in errs["missed"]] == ["boundary"]
    assert [f["near"] for f in errs["false_hits"]] == ["boundary"]
    # A second, shorter prediction inside a quote already found is found "again".
    ins, ine = _span("will win")
    again = dict(pred, quotes=[*pred["quotes"], {"start": ins, "end": ine, "type": "direct"}])
    kinds = error_kinds([gold], {"a1": again}, QUOTE_TYPES, "name")
    assert (kinds["false_duplicate"], kinds["false_none"], kinds["missed_none"]) == (1, 1, 1)


def test_article_errors_respects_by_and_types():
    gold, pred = _hand_made()
    # by mention: "Mr Smith" has no mention span, so the first match is a speaker error too
    by_mention = article_errors(gold, pred, QUOTE_TYPES, "mention")
    assert [w["gold_speaker"] for w in by_mention["wrong_speaker"]] == ["Smith", "Jones"]
    # only direct quotes: the indirect gold quotes and prediction are out of scope
    direct = article_errors(gold, pred, ("direct",), "name")
    assert direct["missed"] == [] and direct["wrong_speaker"] == []
    assert [f["pred_speaker"] for f in direct["false_hits"]] == ["Brown"]
    # no prediction for the article: every non-repeat gold quote is missed
    none = article_errors(gold, None, QUOTE_TYPES, "name")
    assert len(none["missed"]) == 3 and none["false_hits"] == []
    # without the article text the gold "quote" field supplies the snippet
    no_text = {k: v for k, v in gold.items() if k != "text"}
    assert article_errors(no_text, pred)["missed"][0]["text"] == "the deficit would grow"
    # a prediction over the optional pull-quote repeat is neither a hit nor a false hit
    extra = {"start": 0, "end": 19, "type": "direct", "speaker": "Smith"}
    with_repeat = dict(pred, quotes=[*pred["quotes"], extra])
    assert article_errors(gold, with_repeat) == article_errors(gold, pred)
    assert score([gold], {"a1": with_repeat}) == score([gold], {"a1": pred})
    with pytest.raises(ValueError):
        article_errors(gold, pred, QUOTE_TYPES, "nickname")


def test_snippet_is_capped_at_120_chars():
    text = "x" * 50 + "y" * 300
    gold = {"id": "b", "text": text, "quotes": [{"start": 50, "end": 350, "type": "direct"}]}
    (miss,) = article_errors(gold, {"id": "b", "quotes": []})["missed"]
    assert miss["text"] == "y" * 120 and miss["gold_speaker"] is None


# --------------------------------------------------------------------------- precision_recall_at


def test_precision_recall_at(scenarios):
    gold, pred, _, _ = scenarios["plain"]
    thresholds = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.01]
    for types, by in [(QUOTE_TYPES, "mention"), (("direct",), "name")]:
        rows = precision_recall_at(gold, pred, thresholds, types, by)
        assert [r["threshold"] for r in rows] == thresholds
        assert all(
            set(r) == {"threshold", "quote_P", "quote_R", "quote_F1", "attribution_acc"}
            for r in rows
        )
        counts = [
            score(gold, filter_by_confidence(pred, t), types, by)["pred_quotes"] for t in thresholds
        ]
        assert counts == sorted(counts, reverse=True)  # a higher threshold never adds any
        assert counts[0] > counts[-2] > counts[-1] == 0  # un-confident quotes count as 1.0
        full = score(gold, pred, types, by)
        assert {k: v for k, v in rows[0].items() if k != "threshold"} == {
            k: full[k] for k in ("quote_P", "quote_R", "quote_F1", "attribution_acc")
        }
        for t, r in zip(thresholds, rows, strict=True):
            m = score(gold, filter_by_confidence(pred, t), types, by)
            assert all(r[k] == m[k] for k in r if k != "threshold")


# --------------------------------------------------------------------------- small helpers


def test_load_jsonl_and_format_table(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "quotes": []}\n\n{"id": "b", "quotes": []}\n', encoding="utf-8")
    gold = load_jsonl(str(path))
    assert [a["id"] for a in gold] == ["a", "b"]
    m = score(gold, {"a": {"quotes": []}})
    assert m["missing_articles"] == 1 and m["quote_F1"] == 0.0
    table = format_table(m)
    lines = table.splitlines()
    assert len(lines) == len(m) + 2
    assert lines[0].split() == ["metric", "value"]
    assert lines[2].split() == ["articles", "2"]
    assert any(line.split() == ["quote_F1", "0.000"] for line in lines)
    assert len({len(line) for line in lines}) == 1  # aligned columns
    with pytest.raises(ValueError):
        score(gold, {}, QUOTE_TYPES, "nickname")
