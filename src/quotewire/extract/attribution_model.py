"""The trained part of attribution: which candidate clauses are reported speech, and how sure.

`reported.candidates` proposes every clause a word might report; most are not reports ("the
plan includes [new taxes]"). A logistic regression over parse features, trained on PolNeAR's
train split by `quotewire train`, gives each candidate the probability that it is a quote.
That probability is the quote's confidence. The model is a table of feature weights, stored
in the package as gzipped JSON and loaded on first use.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import islice

from spacy.tokens import Span, Token

from quotewire.extract.cues import SPEECH_VERBS
from quotewire.extract.docs import span_at, text_of
from quotewire.extract.reported import Candidate

MODEL_FILE = "attribution_model.json.gz"
QUOTE_CHARS = '"\u201c\u201d'  # a clause holding one of these quotes someone: mixed
_WH_WORDS = frozenset("what whether how why who when where which if".split())


@dataclass
class AttributionModel:
    """Feature weights of the candidate classifier, and what training measured."""

    weights: dict[str, float]
    bias: float
    threshold: float  # the probability above which a candidate becomes a quote
    # Precision on train of each shape the rules find (direct and mixed quotes): their confidence.
    pattern_confidence: dict[str, float] = field(default_factory=dict)
    info: dict = field(default_factory=dict)  # how and from what it was trained

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {
            "weights": self.weights,
            "bias": self.bias,
            "threshold": self.threshold,
            "pattern_confidence": self.pattern_confidence,
            "info": self.info,
        }

    @classmethod
    def from_json(cls, data: dict) -> AttributionModel:
        return cls(
            weights=data["weights"],
            bias=data["bias"],
            threshold=data["threshold"],
            pattern_confidence=data.get("pattern_confidence", {}),
            info=data.get("info", {}),
        )

    def save(self, path: str) -> None:
        data = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode("utf-8")
        # No time or name in the gzip header: the same training gives the same bytes.
        with open(path, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as out:
            out.write(data)


@lru_cache(maxsize=1)
def load_model() -> AttributionModel | None:
    """The model shipped in the package, or None when it has not been trained."""
    resource = resources.files("quotewire") / "data" / MODEL_FILE
    if not resource.is_file():
        return None
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return AttributionModel.from_json(json.load(text))


def _word_shape(token: Token | None) -> str:
    if token is None:
        return "none"
    if token.pos_ == "PRON":
        return "pron:" + token.lower_
    return token.pos_ + ":" + (token.ent_type_ or "-")


def features(cand: Candidate) -> dict[str, float]:
    """What the classifier sees of one candidate: the cue, the clause, the source."""
    cue, head, source = cand.cue, cand.content_head, cand.source
    doc = cue.doc
    lemma = cue.lemma_.lower()
    span = span_at(doc, cand.start, cand.end)
    first = span[0] if span is not None and len(span) else head
    words = len(span) if span is not None else 0
    text = text_of(doc)[cand.start : cand.end]
    negated = any(c.dep_ == "neg" for c in cue.children)
    sentence = cue.sent  # found by a walk over the parse: once per candidate
    # The first word of the clause says much ("that", "to", "whether"): kept when it is one of
    # those, otherwise only its part of speech.
    opener = first.lower_ in _WH_WORDS or first.lower_ in ("that", "to")
    first_word = "first:" + first.lower_ if opener else "first_pos:" + first.pos_
    found = {
        "bias:" + cand.side: 1.0,
        "variant:" + cand.variant: 1.0,
        "variant_dep:" + cand.variant + ":" + head.dep_: 1.0,
        "variant_lemma:" + cand.variant + ":" + lemma: 1.0,
        "lemma:" + lemma: 1.0,
        "lemma_side:" + lemma + ":" + cand.side: 1.0,
        "lemma_dep:" + lemma + ":" + head.dep_: 1.0,
        "lemma_first:" + lemma + ":" + first.lower_: 1.0,
        "cue_pos:" + cue.pos_: 1.0,
        "cue_tag:" + cue.tag_: 1.0,
        "cue_dep:" + cue.dep_: 1.0,
        "cue_head:" + cue.head.lemma_.lower(): 1.0,
        "speech_verb": 1.0 if lemma in SPEECH_VERBS else 0.0,
        "content_dep:" + head.dep_: 1.0,
        "content_pos:" + head.pos_: 1.0,
        "content_tag:" + head.tag_: 1.0,
        first_word: 1.0,
        "side_dep:" + cand.side + ":" + head.dep_: 1.0,
        "source:" + _word_shape(source): 1.0,
        "source_side:" + ("none" if source is None else cand.side): 1.0,
        "source_lemma:" + (source.lemma_.lower() if source is not None else "-"): 1.0,
        "lemma_source:" + lemma + ":" + _word_shape(source)[:4]: 1.0,
        "words:" + str(min(words // 4, 10)): 1.0,
        "quoted": 1.0 if any(ch in text for ch in QUOTE_CHARS) else 0.0,
        "negated": 1.0 if negated else 0.0,
        "prev:" + (doc[cue.i - 1].lower_ if cue.i > 0 else "^"): 1.0,
        "next:" + (doc[cue.i + 1].lower_ if cue.i + 1 < len(doc) else "$"): 1.0,
        "root": 1.0 if cue.dep_ == "ROOT" else 0.0,
        "has_verb": 1.0 if any(t.pos_ in ("VERB", "AUX") for t in (span or [])) else 0.0,
        "clause_subject": 1.0
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children)
        else 0.0,
        "under_speech": 1.0
        if any(a.lemma_.lower() in SPEECH_VERBS for a in cue.ancestors)
        else 0.0,
        "source_noun:"
        + (source.lemma_.lower() if source is not None and source.pos_ == "NOUN" else "-"): 1.0,
        "lemma_tag:" + lemma + ":" + cue.tag_: 1.0,
        "sentence_start": 1.0 if cue.i - sentence.start <= 3 else 0.0,
    }
    found.update(_context_features(cand, span, words, lemma, sentence))
    return {name: value for name, value in found.items() if value}


def _context_features(
    cand: Candidate, span: Span | None, words: int, lemma: str, sentence: Span
) -> dict[str, float]:
    """What lies around the cue and in the clause: phrasal verbs ("go after", "call on"), the
    clause's first words and names, where it sits in its sentence, the kind of source. Measured
    on PolNeAR dev: +0.01 quote F1 over the features above alone."""
    cue, source = cand.cue, cand.source
    particles = "_".join(c.lower_ for c in cue.children if c.dep_ == "prt")
    source_kind = source.ent_type_ if source is not None else "none"
    auxiliaries = "_".join(c.lower_ for c in cue.children if c.dep_ in ("aux", "auxpass"))
    found = {
        "phrasal:" + lemma + "_" + particles: 1.0,
        "source_ent:" + source_kind: 1.0,
        "lemma_source_ent:" + lemma + ":" + source_kind: 1.0,
        "lemma_variant_side:" + lemma + ":" + cand.variant + ":" + cand.side: 1.0,
        "head_lemma:" + cand.content_head.lemma_.lower(): 1.0,
        "ancestors:" + "|".join(a.lemma_.lower() for a in islice(cue.ancestors, 2)): 1.0,
        "aux:" + auxiliaries: 1.0,
    }
    if cand.content_head.dep_ == "prep":
        found["cue_prep:" + lemma + "_" + cand.content_head.lower_] = 1.0
    if span is not None and len(span):
        for token in span[:3]:
            found["clause_lemma:" + token.lemma_.lower()] = 1.0
        names = sorted({t.ent_type_ for t in span if t.ent_type_})
        found["clause_names:" + ",".join(names)[:40]] = 1.0
        said = text_of(cue.doc)[sentence.start_char : sentence.end_char]
        found["sentence_quoted"] = float(any(ch in said for ch in QUOTE_CHARS))
        found["log_words"] = math.log1p(words)
        found["ends_sentence"] = float(span.end >= sentence.end - 1)
        found["starts_sentence"] = float(span.start <= sentence.start + 1)
    return found
