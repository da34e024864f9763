"""Extraction for the web app, time-bounded so that one pathological article cannot hold the
server.

One dedicated worker process per `BoundedExtractor` holds the models and talks to the server
over a pipe. An article that runs past its time has its worker killed (SIGKILL: nothing in
it can refuse); the next article starts a fresh one. Every wait has a deadline, so nothing
here can hang: loading the models, extracting, and reaping a killed or closing worker.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from quotewire.model import Article, Result

# Seconds a new worker may take to import the pipeline and load its models.
LOAD_TIMEOUT = 180.0
# Seconds to wait for a killed or closing worker to be reaped.
REAP_TIMEOUT = 10.0


class ExtractionTimeout(Exception):
    """The article took longer than the server allows."""


class WorkerFailed(Exception):
    """The worker process died or could not start."""


def _serve(conn: Connection, parent: int, use_model: bool) -> None:
    """The worker process: load the models, say "ready", then extract one article per message
    until the pipe closes. It ends itself when its parent is gone, whichever thread of the
    parent started it."""
    from quotewire.extract.pipeline import Extractor

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch_parent, daemon=True).start()
    extractor = Extractor(use_model=use_model)
    extractor.nlp, extractor.model  # noqa: B018  (load the models before the first article)
    conn.send("ready")
    while True:
        try:
            article = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(extractor.extract(article).to_dict())


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, use_model: bool) -> None:
        # spawn, not fork: the server has threads, and a fork copies whatever locks they held.
        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve,
            args=(child_conn, os.getpid(), use_model),
            name="quotewire-extractor",
            daemon=True,
        )
        self.process.start()
        child_conn.close()  # ours is closed in the child; EOF then means the child is gone
        self.ready = False

    def call(self, article: Article, timeout: float) -> dict[str, Any] | None:
        """The worker's answer for `article`, or None when it took longer than `timeout`."""
        if not self.ready:
            if self._receive(LOAD_TIMEOUT) != "ready":
                raise WorkerFailed("the extraction worker did not start")
            self.ready = True
        try:
            self.conn.send(article)
        except (BrokenPipeError, OSError):
            raise WorkerFailed("the extraction worker has died") from None
        return self._receive(timeout)

    def _receive(self, timeout: float) -> Any:
        try:
            if not self.conn.poll(timeout):
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            raise WorkerFailed("the extraction worker has died") from None

    def stop(self) -> None:
        """Kill the worker and reap it (within REAP_TIMEOUT)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(REAP_TIMEOUT)
        self.conn.close()


class BoundedExtractor:
    """Extract one article at a time in a worker process, within `timeout` seconds (the
    models' loading is not counted). The worker is spawned, so a script that uses this must
    do so under `if __name__ == "__main__":`, as with any spawned process."""

    def __init__(self, timeout: float, use_model: bool = True) -> None:
        self.timeout = timeout
        self.use_model = use_model
        self._worker: _Worker | None = None
        self._lock = threading.Lock()  # one article at a time: the worker is single

    def warm_up(self) -> None:
        """Start the worker and load the models now rather than on the first request."""
        self.extract(Article(id="warm-up", text="Nothing was said."))

    def extract(self, article: Article) -> Result:
        """The article's result; ExtractionTimeout when it takes longer than `timeout`, after
        which the worker is gone and the next article gets a new one."""
        with self._lock:
            if self._worker is None:
                self._worker = _Worker(self.use_model)
            try:
                answer = self._worker.call(article, self.timeout)
            except WorkerFailed:
                self._stop_worker()
                raise
            if answer is None:
                self._stop_worker()  # it is stuck in that article: end it
                raise ExtractionTimeout(
                    f"extraction took longer than {self.timeout:g} s and was stopped"
                )
            return Result.from_dict(answer)

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id, while there is one."""
        return self._worker.process.pid if self._worker is not None else None

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def close(self) -> None:
        """Stop the worker, waiting at most for the article it is on to time out."""
        if self._lock.acquire(timeout=self.timeout + REAP_TIMEOUT):
            try:
                self._stop_worker()
            finally:
                self._lock.release()
        elif self._worker is not None:
            # A request still holds the worker: kill it, and that request ends at once.
            self._worker.process.kill()
