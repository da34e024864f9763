"""What the web tests share: a corpus built from the example and its rewritten reports, one
extraction worker for the session, and a live server in a thread for the browser."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quotewire.corpus import Corpus


def build_corpus(folder: Path, example_text: str) -> str:
    """A SQLite corpus of the example article and the rewritten reports of test_statements."""
    from tests.test_statements import rewritten

    original = {
        "id": "bbc",
        "text": example_text,
        "outlet": "bbc.co.uk",
        "published": "2015-02-10",
        "url": "https://www.bbc.co.uk/news/world-middle-east-31327153",
    }
    dump = folder / "articles.jsonl"
    dump.write_text("\n".join(json.dumps(a) for a in [original, *rewritten()]) + "\n")
    db = str(folder / "quotes.db")
    with Corpus(db) as corpus:
        corpus.ingest([str(dump)], workers=1)
    return db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
