"""The web app and its JSON API: paste an article and see who said what; browse the corpus.

Pages are rendered on the server with Jinja2 (autoescaping on); the only script is a small
one that shows a quote's details on click. The corpus is opened read-only for every request
unless ingestion was enabled when the server started.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from quotewire.cli import EXAMPLE
from quotewire.corpus import queries
from quotewire.corpus.store import Store, is_postgres
from quotewire.model import QUOTE_TYPES, Article, Result
from quotewire.read.checks import InputError, check_text
from quotewire.read.html import html_article
from quotewire.web.extraction import BoundedExtractor, ExtractionTimeout, WorkerFailed
from quotewire.web.limits import BodySizeLimit
from quotewire.web.render import (
    highlighted_article,
    speaker_colours,
    timeline_svg,
    weekly_counts,
    word_diff,
)

HERE = Path(__file__).parent
PAGE_SIZE = 20
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines")


@dataclass
class Settings:
    db: str | None = None  # the corpus, or None for the extract page alone
    allow_ingest: bool = False
    max_bytes: int = 2_000_000  # per request
    timeout: float = 30.0  # seconds per extraction


def create_app(settings: Settings, extractor: BoundedExtractor | None = None) -> FastAPI:
    """The app; `extractor` may be shared (tests), else the app makes its own: its worker
    loads the models before the server takes requests and is stopped when the server stops."""
    owns_extractor = extractor is None
    extractor = extractor or BoundedExtractor(settings.timeout)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if owns_extractor:
            print("quotewire serve: loading the models", file=sys.stderr, flush=True)
            await run_in_threadpool(extractor.warm_up)
        try:
            yield
        finally:
            if owns_extractor:
                await run_in_threadpool(extractor.close)

    app = FastAPI(
        lifespan=lifespan,
        title="quotewire",
        summary="Who said what, in the news: quotation extraction and speaker attribution.",
        version="0.1.0",
        # Swagger UI and ReDoc load their scripts from a CDN; /api is served from here.
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_bytes)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["replace_page"] = _with_page

    def corpus() -> Store:
        if not settings.db:
            raise HTTPException(503, "no corpus: start the server with --db")
        if not is_postgres(settings.db) and not os.path.exists(settings.db):
            raise HTTPException(503, f"no corpus at {settings.db}: run `quotewire ingest` first")
        return Store(settings.db, read_only=not settings.allow_ingest)

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        context |= {"corpus": bool(settings.db), "types": QUOTE_TYPES}
        return templates.TemplateResponse(request, name, context)

    async def run_extraction(article: Article) -> Result:
        # In a thread: the event loop goes on serving while the worker extracts.
        try:
            result = await run_in_threadpool(extractor.extract, article)
        except ExtractionTimeout as exc:
            raise HTTPException(504, str(exc)) from None
        except WorkerFailed as exc:
            raise HTTPException(503, f"{exc}; try again") from None
        if result.error:
            raise HTTPException(422, result.error)
        return result

    # -- pages ---------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def extract_page(request: Request, example: bool = False) -> HTMLResponse:
        return page(request, "extract.html", text=_example_text() if example else "")

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request) -> HTMLResponse:
        return page(request, "api.html", paths=app.openapi()["paths"])

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def extract_submitted(
        request: Request,
        text: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> HTMLResponse:
        try:
            article = await _article_from_form(text, file, settings.max_bytes)
        except InputError as exc:
            return page(request, "extract.html", error=str(exc), text=text)
        try:
            result = await run_extraction(article)
        except HTTPException as exc:
            return page(request, "extract.html", error=exc.detail, text=text)
        colours = speaker_colours(result)
        by_speaker = {
            s.id: [i for i, q in enumerate(result.quotes) if q.speaker_id == s.id]
            for s in result.speakers
        }
        return page(
            request,
            "extract.html",
            text=text,
            result=result,
            article_html=highlighted_article(result.text or article.text, result),
            colours=colours,
            by_speaker=by_speaker,
            unattributed=[i for i, q in enumerate(result.quotes) if q.speaker_id is None],
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: str = "",
        speaker: str = "",
        outlet: str = "",
        since: str = "",
        until: str = "",
        type: str = "",
        page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        filters = {"q": q, "speaker": speaker, "outlet": outlet, "since": since, "until": until}
        filters["type"] = type
        rows: list[dict] = []
        more = False
        error = _bad_filter(filters)
        if any(filters.values()) and not error:
            with corpus() as store:
                rows = _search(store, filters, PAGE_SIZE + 1, (page_number - 1) * PAGE_SIZE)
            more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        return page(
            request,
            "search.html",
            rows=rows,
            filters=filters,
            page=page_number,
            more=more,
            error=error,
        )

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page(request: Request) -> HTMLResponse:
        with corpus() as store:
            ranked = queries.people(store, limit=100)
        return page(request, "people.html", people=ranked)

    @app.get("/people/{person_id}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, person_id: int) -> HTMLResponse:
        with corpus() as store:
            record = _person(store, person_id)
        return page(
            request,
            "person.html",
            person=record,
            timeline=timeline_svg(weekly_counts(record["activity"]["dates"])),
        )

    @app.get("/statements/{statement_id}", response_class=HTMLResponse, include_in_schema=False)
    def statement_page(request: Request, statement_id: int) -> HTMLResponse:
        with corpus() as store:
            record = _statement(store, statement_id)
        for occurrence in record["occurrences"]:
            occurrence["diff_html"] = word_diff(occurrence["diff"])
        return page(request, "statement.html", statement=record)

    # -- API -----------------------------------------------------------------------------

    @app.post(
        "/api/extract",
        summary="Extract the quotes of one article",
        description='Send JSON `{"text": ..., "id": ...}` (or `"html"` instead of '
        '`"text"` for a raw page), or the article itself as text/plain or text/html. '
        "Returns the article's result in the contract of DESIGN.md.",
    )
    async def api_extract(request: Request) -> dict[str, Any]:
        article = await _article_from_request(request, settings.max_bytes)
        return (await run_extraction(article)).to_dict()

    @app.get("/api/quotes", summary="Search the corpus's quotes")
    def api_quotes(
        q: Annotated[str, Query(description="words the quote contains (all of them)")] = "",
        speaker: Annotated[str, Query(description="a person's name or any alias")] = "",
        outlet: str = "",
        since: Annotated[str, Query(description="YYYY-MM-DD")] = "",
        until: Annotated[str, Query(description="YYYY-MM-DD")] = "",
        type: Annotated[str, Query(description="direct, indirect or mixed")] = "",
        limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        filters = {"q": q, "speaker": speaker, "outlet": outlet, "since": since, "until": until}
        filters["type"] = type
        error = _bad_filter(filters)
        if error:
            raise HTTPException(422, error)
        with corpus() as store:
            rows = _search(store, filters, limit + 1, offset)
        return {"quotes": rows[:limit], "offset": offset, "more": len(rows) > limit}

    @app.get("/api/people", summary="The most quoted people")
    def api_people(limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
        with corpus() as store:
            return {"people": queries.people(store, limit)}

    @app.get("/api/people/{person_id}", summary="One person: names, evidence, statements")
    def api_person(person_id: int) -> dict[str, Any]:
        with corpus() as store:
            record = _person(store, person_id)
        record["weeks"] = weekly_counts(record["activity"].pop("dates"))
        return record

    @app.get("/api/statements/{statement_id}", summary="One statement with its occurrences")
    def api_statement(statement_id: int) -> dict[str, Any]:
        with corpus() as store:
            return _statement(store, statement_id)

    @app.post(
        "/api/ingest",
        summary="Add articles to the corpus (only when the server was started with --allow-ingest)",
        description="Send JSONL (one article a line, with `text` and optionally `id`, `url`, "
        "`outlet`, `published`, `title`) as application/x-ndjson. Articles already in the "
        "corpus are skipped; lines that cannot be read are counted as failed.",
    )
    async def api_ingest(request: Request) -> dict[str, Any]:
        if not settings.allow_ingest:
            raise HTTPException(
                403, "the corpus is read-only; start the server with --allow-ingest"
            )
        kind = _content_type(request)
        if kind not in JSONL_TYPES:
            raise HTTPException(415, f"send JSONL ({JSONL_TYPES[0]}), not {kind or '(none)'}")
        body = await request.body()
        if not body.strip():
            raise HTTPException(400, "empty body: send one article a line")
        return await run_in_threadpool(ingest_jsonl, body)

    def ingest_jsonl(body: bytes) -> dict[str, Any]:
        from quotewire.corpus.ingest import ingest

        with tempfile.TemporaryDirectory(prefix="quotewire-") as folder:
            upload = Path(folder) / "upload.jsonl"
            upload.write_bytes(body)
            with corpus() as store:
                summary = ingest([str(upload)], store, workers=1, progress=False)
        return vars(summary)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "detail": exc.detail, "corpus": bool(settings.db)},
            status_code=exc.status_code,
        )

    return app


def _with_page(params: Any, page_number: int) -> str:
    """The query string of a search with another page number."""
    from urllib.parse import urlencode

    items = [(k, v) for k, v in params.multi_items() if k != "page"]
    return urlencode([*items, ("page", str(page_number))])


def _example_text() -> str:
    """The bundled example article (the one `quotewire demo` reads)."""
    return (resources.files("quotewire") / "data" / EXAMPLE).read_text("utf-8")


def _bad_filter(filters: dict[str, str]) -> str | None:
    """What is wrong with a search's filters, or None."""
    if filters["type"] and filters["type"] not in QUOTE_TYPES:
        return f"type must be one of {', '.join(QUOTE_TYPES)}"
    for name in ("since", "until"):
        try:
            if filters[name]:
                date.fromisoformat(filters[name])
        except ValueError:
            return f"{name} must be a date, YYYY-MM-DD"
    return None


def _search(store: Store, filters: dict[str, str], limit: int, offset: int) -> list[dict]:
    return queries.search(
        store,
        filters["q"] or None,
        speaker=filters["speaker"] or None,
        outlet=filters["outlet"] or None,
        since=filters["since"] or None,
        until=filters["until"] or None,
        quote_type=filters["type"] or None,
        limit=limit,
        offset=offset,
    )


def _person(store: Store, person_id: int) -> dict[str, Any]:
    record = queries.person(store, person_id)
    if record is None:
        raise HTTPException(404, f"no person {person_id}")
    record["statements"] = queries.statements(store, person_id=person_id, limit=50)
    record["activity"] = queries.person_activity(store, person_id)
    return record


def _statement(store: Store, statement_id: int) -> dict[str, Any]:
    record = queries.statement(store, statement_id)
    if record is None:
        raise HTTPException(404, f"no statement {statement_id}")
    return record


async def _article_from_form(text: str, file: UploadFile | None, max_bytes: int) -> Article:
    """The article of the extract form: an uploaded .html/.txt file, else the pasted text."""
    if file is not None and file.filename:
        data = await file.read(max_bytes + 1)
        name = file.filename
        if name.lower().endswith((".html", ".htm")):
            return html_article(data, name, name, max_bytes)
        from quotewire.read.checks import decode_utf8

        return Article(id=name, text=check_text(decode_utf8(data), max_bytes), source=name)
    return Article(id="pasted", text=check_text(text, max_bytes))


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _article_from_request(request: Request, max_bytes: int) -> Article:
    """The article of an API request, or a 4xx that says what is wrong."""
    kind = _content_type(request)
    body = await request.body()
    if not body:
        raise HTTPException(400, "empty body: send the article")
    try:
        if kind == "application/json":
            import json

            try:
                data = json.loads(body)
            except ValueError as exc:
                raise HTTPException(400, f"not valid JSON: {exc}") from None
            if not isinstance(data, dict) or not (
                isinstance(data.get("text"), str) or isinstance(data.get("html"), str)
            ):
                raise HTTPException(422, 'send an object with a "text" (or "html") string')
            article_id = str(data.get("id") or "article")
            if isinstance(data.get("html"), str):
                return html_article(data["html"].encode(), article_id, article_id, max_bytes)
            return Article(id=article_id, text=check_text(data["text"], max_bytes))
        if kind in ("text/plain", "text/html"):
            from quotewire.read.checks import decode_utf8

            if kind == "text/html":
                return html_article(body, "article", "article", max_bytes)
            return Article(id="article", text=check_text(decode_utf8(body), max_bytes))
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None
    raise HTTPException(
        415, f"unsupported content type {kind or '(none)'}: use application/json or text/plain"
    )
