"""The JSON API: every endpoint, with good and bad input."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quotewire.web.app import Settings, create_app
from quotewire.web.extraction import BoundedExtractor

LIMIT = 200_000


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


def test_the_corpus_is_read_only_unless_enabled(client: TestClient, tmp_path: Path):
    assert client.post("/api/ingest", json={"paths": [str(tmp_path)]}).status_code == 403


def test_no_corpus_is_a_clear_503(web_extractor: BoundedExtractor, tmp_path: Path):
    client = TestClient(create_app(Settings(db=str(tmp_path / "none.db")), web_extractor))
    response = client.get("/api/quotes", params={"q": "x"})
    assert response.status_code == 503 and "ingest" in response.json()["detail"]
    assert client.get("/").status_code == 200  # the extract page works without a corpus


def test_openapi_document_lists_the_api(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/extract", "/api/quotes", "/api/people/{person_id}"):
        assert path in paths
    assert "/api/statements/{statement_id}" in paths
