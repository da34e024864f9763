"""Progress of long jobs on stderr: a counter that rewrites itself for a person at a terminal,
a line every tenth of the way for a log file."""

from __future__ import annotations

import sys


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
