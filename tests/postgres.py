"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away data directory,
loopback only. The server refuses to run as root, so as root it runs as `postgres`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield the URL of its `postgres` database; stop and remove it."""
    missing = [tool for tool in ("initdb", "pg_ctl") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"PostgreSQL is not installed ({', '.join(missing)} not on PATH)")
    # Not under pytest's own temp folder: that is private to root, and the server user must
    # be able to reach its data directory.
    root = tempfile.mkdtemp(prefix="quotewire-pg-")
    data = os.path.join(root, "data")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            _as_server_user(
                ["initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    "pg_ctl",
                    "-D",
                    data,
                    "-l",
                    os.path.join(root, "log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                _as_server_user(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"PostgreSQL failed to start: {exc.stderr}") from exc
    finally:
        shutil.rmtree(root, ignore_errors=True)


def new_database(server_url: str, name: str) -> str:
    """Create an empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
