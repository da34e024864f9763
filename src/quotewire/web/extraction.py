"""Extraction for the web app, time-bounded: one worker process holds the models; a request
that runs past its time has the worker killed (and a new one started), so one pathological
article cannot hold the server."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.pool import Pool

from quotewire.model import Article, Result


class ExtractionTimeout(Exception):
    """The article took longer than the server allows."""


def _start() -> None:
    from quotewire.extract import pipeline

    pipeline.start_worker(True, False)


def _extract(article: Article) -> dict:
    from quotewire.extract import pipeline

    return pipeline.extract_in_worker(article).to_dict()


class BoundedExtractor:
    """Extract one article at a time in a worker process, within `timeout` seconds."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._pool: Pool | None = None
        self._lock = threading.Lock()  # one article at a time: the worker is single

    def _worker(self) -> Pool:
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(1, initializer=_start)
        return self._pool

    def warm_up(self) -> None:
        """Load the models now rather than on the first request."""
        self.extract(Article(id="warm-up", text="Nothing was said."))

    def extract(self, article: Article) -> Result:
        with self._lock:
            pending = self._worker().apply_async(_extract, (article,))
            try:
                return Result.from_dict(pending.get(self.timeout))
            except multiprocessing.TimeoutError:
                self.close()  # the worker is stuck in that article: end it
                raise ExtractionTimeout(
                    f"extraction took longer than {self.timeout:g} s and was stopped"
                ) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
