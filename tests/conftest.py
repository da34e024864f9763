"""Shared fixtures: one real spaCy-backed extractor per test session, and the data paths."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from quotewire.extract.pipeline import Extractor
from quotewire.model import Article, Result

POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def example_text() -> str:
    return (resources.files("quotewire") / "data" / "assad-bbc-2015.txt").read_text("utf-8")


@pytest.fixture(scope="session")
def example(extractor: Extractor, example_text: str) -> Result:
    return extractor.extract(Article(id="assad-bbc-2015", text=example_text))


@pytest.fixture
def extract(extractor: Extractor):
    """Extract one text and return its Result."""

    def run(text: str) -> Result:
        result = extractor.extract(Article(id="t", text=text))
        assert result.error is None, result.error
        return result

    return run


@pytest.fixture(scope="session")
def dev_results(extractor: Extractor) -> tuple[list[dict], dict[str, Result]]:
    """PolNeAR dev (gold) and the extractor's result for each of its articles."""
    from quotewire.evaluate import load_jsonl

    gold = load_jsonl(polnear_split("dev"))
    return gold, {a["id"]: extractor.extract(Article(id=a["id"], text=a["text"])) for a in gold}


def polnear_split(name: str) -> Path:
    path = POLNEAR / f"{name}.jsonl"
    if not path.exists():
        pytest.skip(f"PolNeAR not found at {path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the whole session (started here, so `make test` needs nothing
    running beforehand)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_db(postgres_url: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's server, named after the test."""
    from tests.postgres import new_database

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return new_database(postgres_url, name)


@pytest.fixture(scope="session")
def web_extractor():
    """One extraction worker for the web tests (it loads the models in its own process)."""
    from quotewire.web.extraction import BoundedExtractor

    extractor = BoundedExtractor(timeout=60)
    extractor.warm_up()
    yield extractor
    extractor.close()


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, example_text: str) -> str:
    """A corpus of the example article and its rewritten reports, for the web tests."""
    from tests.test_statements import build_corpus

    return build_corpus(tmp_path_factory.mktemp("web"), example_text)
