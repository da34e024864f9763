"""A limit on request bodies: a request over it gets 413 before its body is read whole."""

from __future__ import annotations

import html
import json
from typing import Any

Scope = dict[str, Any]


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """ASGI middleware: refuse bodies over `max_bytes`, by Content-Length when it is given and
    by counting the bytes as they arrive when it is not (chunked uploads)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Any) -> None:
        """413, as JSON for the API and as a short page for a browser."""
        detail = f"request too large: the limit is {self.max_bytes:,} bytes"
        if scope.get("path", "").startswith("/api/"):
            body, kind = json.dumps({"detail": detail}).encode(), b"application/json"
        else:
            page = f"<!doctype html><title>413</title><h1>413</h1><p>{html.escape(detail)}</p>"
            body, kind = page.encode(), b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
