"""Progress of long jobs on stderr: a counter that rewrites itself for a person at a terminal,
a line every tenth of the way (or every few seconds) for a log file."""

from __future__ import annotations

import sys
import time


def report_progress(done: int, total: int | None, label: str) -> None:
    """'label: done/total articles', kept short in logs."""
    of = f"/{total}" if total else ""
    if sys.stderr.isatty():
        end = "\n" if total and done >= total else ""
        sys.stderr.write(f"\r{label}: {done}{of} articles{end}")
    elif total and (done == total or done % max(1, total // 10) == 0):
        sys.stderr.write(f"{label}: {done}{of} articles\n")
    else:
        return
    sys.stderr.flush()


class RateMeter:
    """'label: N articles (R/s), Q quotes, E errors' for a job of unknown length (a crawl):
    redrawn at most a few times a second at a terminal, every `log_every` seconds in a log."""

    def __init__(self, label: str, log_every: float = 10.0) -> None:
        self.label = label
        self.started = time.monotonic()
        self.shown = 0.0
        self.tty = sys.stderr.isatty()
        self.interval = 0.2 if self.tty else log_every

    def line(self, articles: int, quotes: int, errors: int, skipped: int) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        text = f"{self.label}: {articles} articles ({articles / elapsed:.1f}/s), {quotes} quotes"
        if errors:
            text += f", {errors} errors"
        if skipped:
            text += f", {skipped} already stored"
        return text

    def update(self, articles: int, quotes: int, errors: int, skipped: int) -> None:
        now = time.monotonic()
        if now - self.shown < self.interval:
            return
        self.shown = now
        text = self.line(articles, quotes, errors, skipped)
        sys.stderr.write(f"\r{text}\x1b[K" if self.tty else text + "\n")
        sys.stderr.flush()

    def finish(self, articles: int, quotes: int, errors: int, skipped: int) -> None:
        text = self.line(articles, quotes, errors, skipped)
        sys.stderr.write(f"\r{text}\x1b[K\n" if self.tty else text + "\n")
        sys.stderr.flush()
