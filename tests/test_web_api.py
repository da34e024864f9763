"""The JSON API: every endpoint, with good and bad input."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from quotewire.corpus.store import Store
from quotewire.web.app import Settings, create_app
from quotewire.web.extraction import BoundedExtractor

from .web_support import free_port

LIMIT = 200_000
JSONL = "application/x-ndjson"


@pytest.fixture
def client(web_db: str, web_extractor: BoundedExtractor) -> TestClient:
    return TestClient(create_app(Settings(db=web_db, max_bytes=LIMIT), web_extractor))


def test_extract_json_plain_and_html(client: TestClient, example_text: str):
    response = client.post("/api/extract", json={"id": "bbc", "text": example_text})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "bbc"
    assert sum(q["speaker"] == "Bashar al-Assad" for q in body["quotes"]) >= 10
    plain = client.post(
        "/api/extract", content=example_text, headers={"content-type": "text/plain"}
    )
    assert plain.status_code == 200 and plain.json()["quotes"] == body["quotes"]
    page = (
        "<html><head><title>Assad speaks</title></head><body><article><p>Syrian President "
        "Bashar al-Assad said: &quot;There is no dialogue with the coalition at all.&quot;</p>"
        "</article></body></html>"
    )
    html = client.post("/api/extract", content=page, headers={"content-type": "text/html"})
    assert html.status_code == 200
    assert [q["speaker"] for q in html.json()["quotes"]] == ["Bashar al-Assad"]
    assert "text" in html.json()  # the offsets refer to the extracted text


@pytest.mark.parametrize(
    ("content", "kind", "status"),
    [
        (b"", "application/json", 400),
        (b"<r>Assad said no.</r>", "application/xml", 415),
        (b"{not json", "application/json", 400),
        (b'{"body": "Assad said no."}', "application/json", 422),
        (b'{"text": ""}', "application/json", 422),
        (bytes(range(256)) * 4, "text/plain", 422),
    ],
)
def test_extract_refuses_bad_input_with_a_reason(client: TestClient, content, kind, status):
    response = client.post("/api/extract", content=content, headers={"content-type": kind})
    assert response.status_code == status
    assert response.json()["detail"]


def test_oversized_requests_get_413(client: TestClient):
    big = "Assad said it. " * (LIMIT // 10)
    declared = client.post("/api/extract", json={"text": big})
    assert declared.status_code == 413 and "limit" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(LIMIT // 10_000 + 2):
            yield b"x" * 10_000

    streamed = client.post("/api/extract", content=chunks(), headers={"content-type": "text/plain"})
    assert streamed.status_code == 413


def test_extraction_is_time_bounded(web_db: str, example_text: str):
    """A real long article against a tiny time limit: 504, the worker killed and reaped, and a
    fresh worker for the next request."""
    long_article = "\n\n".join([example_text] * 40)  # about 100,000 characters
    bounded = BoundedExtractor(timeout=0.3)
    try:
        client = TestClient(create_app(Settings(db=web_db), bounded))
        bounded.warm_up()  # the models' loading is not what is timed
        stuck = bounded.worker_pid
        assert stuck is not None
        started = time.monotonic()
        response = client.post("/api/extract", json={"text": long_article})
        assert response.status_code == 504 and "longer than" in response.json()["detail"]
        assert time.monotonic() - started < 15
        assert bounded.worker_pid is None and not _alive(stuck)
        bounded.timeout = 120
        again = client.post("/api/extract", json={"text": example_text})
        assert again.status_code == 200 and again.json()["quotes"]
        assert bounded.worker_pid not in (None, stuck)
    finally:
        bounded.close()
    assert bounded.worker_pid is None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_quotes_search_with_filters_and_paging(client: TestClient):
    barrel = client.get("/api/quotes", params={"q": "barrel bombs"}).json()
    assert barrel["quotes"] and all("barrel" in q["quote"].lower() for q in barrel["quotes"])
    assad = client.get("/api/quotes", params={"speaker": "President Assad", "limit": 5}).json()
    assert len(assad["quotes"]) == 5 and assad["more"]
    following = client.get(
        "/api/quotes", params={"speaker": "President Assad", "limit": 5, "offset": 5}
    ).json()
    assert {q["quote_id"] for q in following["quotes"]}.isdisjoint(
        q["quote_id"] for q in assad["quotes"]
    )
    assert client.get("/api/quotes", params={"type": "poem"}).status_code == 422
    assert client.get("/api/quotes", params={"limit": 0}).status_code == 422
    assert client.get("/api/quotes", params={"since": "yesterday"}).status_code == 422


def test_quotes_search_by_outlet_dates_and_type(client: TestClient):
    def found(**params: str) -> list[dict]:
        response = client.get("/api/quotes", params={"limit": 500, **params})
        assert response.status_code == 200
        return response.json()["quotes"]

    everything = found(speaker="Assad")
    assert {q["outlet"] for q in found(outlet="apnews.com")} == {"apnews.com"}
    feb_11 = found(speaker="Assad", since="2015-02-11", until="2015-02-11")
    assert feb_11 and {q["published"][:10] for q in feb_11} == {"2015-02-11"}
    direct = found(speaker="Assad", type="direct")
    assert direct and {q["type"] for q in direct} == {"direct"}
    assert len(direct) < len(everything)


def test_people_and_statements(client: TestClient):
    people = client.get("/api/people").json()["people"]
    assad = next(p for p in people if p["name"] == "Bashar al-Assad")
    person = client.get(f"/api/people/{assad['id']}").json()
    assert person["statements"] and person["weeks"]
    assert "bbc.co.uk" in [outlet for outlet, _count in person["activity"]["outlets"]]
    most = person["statements"][0]
    statement = client.get(f"/api/statements/{most['id']}").json()
    assert statement["speaker"] == "Bashar al-Assad" and len(statement["occurrences"]) >= 2
    assert client.get("/api/people/999999").status_code == 404
    assert client.get("/api/statements/999999").status_code == 404
    assert client.get("/api/people/not-a-number").status_code == 422


def test_the_corpus_is_read_only_unless_enabled(client: TestClient, web_db: str):
    article = json.dumps({"id": "new", "text": 'Assad said: "We will never give up."'})
    refused = client.post("/api/ingest", content=article, headers={"content-type": JSONL})
    assert refused.status_code == 403 and "--allow-ingest" in refused.json()["detail"]
    with Store(web_db, read_only=True) as store, pytest.raises(sqlite3.OperationalError):
        store.execute("DELETE FROM quotes")


def test_ingest_when_enabled(web_db: str, web_extractor: BoundedExtractor, tmp_path: Path):
    db = str(tmp_path / "copy.db")
    with sqlite3.connect(web_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    app = create_app(Settings(db=db, allow_ingest=True, max_bytes=LIMIT), web_extractor)
    client = TestClient(app)
    lines = [
        {"id": "new", "outlet": "example.org", "text": 'Assad said: "We will never give up."'},
        {"id": "broken"},
    ]
    body = "\n".join(json.dumps(line) for line in lines)
    summary = client.post("/api/ingest", content=body, headers={"content-type": JSONL}).json()
    assert (summary["added"], summary["failed"]) == (1, 1)
    again = client.post("/api/ingest", content=body, headers={"content-type": JSONL}).json()
    assert again["added"] == 0 and again["skipped"] == 1
    found = client.get("/api/quotes", params={"outlet": "example.org"}).json()["quotes"]
    assert [q["quote"] for q in found] == ["We will never give up."]
    assert (
        client.post("/api/ingest", content=b"", headers={"content-type": JSONL}).status_code == 400
    )
    wrong = client.post("/api/ingest", content=body, headers={"content-type": "text/plain"})
    assert wrong.status_code == 415


def test_the_postgres_corpus_is_opened_read_only(postgres_db: str):
    Store(postgres_db).close()  # the schema
    with Store(postgres_db, read_only=True) as store:
        assert store.rows("SELECT count(*) AS n FROM quotes") == [{"n": 0}]
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.execute("DELETE FROM quotes")


def test_no_corpus_is_a_clear_503(web_extractor: BoundedExtractor, tmp_path: Path):
    client = TestClient(create_app(Settings(db=str(tmp_path / "none.db")), web_extractor))
    response = client.get("/api/quotes", params={"q": "x"})
    assert response.status_code == 503 and "ingest" in response.json()["detail"]
    assert client.get("/").status_code == 200  # the extract page works without a corpus


def test_openapi_document_lists_the_api(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    endpoints = ["/api/extract", "/api/quotes", "/api/people/{person_id}"]
    endpoints.append("/api/statements/{statement_id}")
    assert set(endpoints) <= set(paths)
    listing = client.get("/api")  # the same, as a page (no scripts from elsewhere)
    assert listing.status_code == 200
    assert all(path in listing.text for path in endpoints) and "/openapi.json" in listing.text


def test_extract_page_takes_an_uploaded_page(client: TestClient):
    page = (
        "<html><body><article><p>Syrian President Bashar al-Assad said: &quot;There is no "
        "dialogue with the coalition at all.&quot;</p><p>Subscribe to our newsletter</p>"
        "</article></body></html>"
    )
    files = {"file": ("assad.html", page.encode(), "text/html")}
    response = client.post("/", data={"text": ""}, files=files)
    assert response.status_code == 200
    assert 'class="quote" data-quote="0"' in response.text
    assert "There is no dialogue with the coalition at all." in response.text
    binary = client.post("/", files={"file": ("x.txt", bytes(range(256)), "text/plain")})
    assert binary.status_code == 200 and "binary" in binary.text
    example = client.get("/", params={"example": "true"}).text
    assert "SYRIAN President Bashar al-Assad" in example


def test_an_oversized_page_request_gets_a_413_page(client: TestClient):
    response = client.post("/", data={"text": "Assad said it. " * (LIMIT // 10)})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "limit is 200,000 bytes" in response.text


def test_quotewire_serve(web_db: str):
    """The command as a user runs it: the pages and the API on a port, read-only; a
    terminated server leaves no extraction worker behind."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "quotewire.cli", "serve", "--db", web_db, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        extracted = httpx.post(
            base + "/api/extract", json={"text": 'Assad said: "We will never give up."'}
        )
        assert extracted.json()["quotes"][0]["speaker"] == "Assad"
        assert httpx.get(base + "/api/quotes", params={"q": "barrel bombs"}).json()["quotes"]
        assert httpx.post(base + "/api/ingest", content=b"{}").status_code == 403
        workers = _children(server.pid)
        assert workers
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert server.returncode in (0, -signal.SIGTERM), output  # uvicorn re-raises the signal
    assert "loading the models" in output
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
