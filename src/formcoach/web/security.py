"""Who may use the server: the token on every request, and same-origin sockets and writes.

:class:`Guard` is plain ASGI middleware, so it sees WebSocket handshakes as well as HTTP:

- when a token is set, every request must carry it (``?token=`` — remembered in an
  HttpOnly cookie — or ``Authorization: Bearer``); without it the answer is 401;
- a WebSocket's ``Origin`` must be this server's own (another site's page cannot open the
  camera socket of a page you have open), else 403;
- a request that changes something (POST...) from another site's page is refused (403).
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["TOKEN_COOKIE", "Guard", "same_origin"]

TOKEN_COOKIE = "formcoach_token"
_NEEDS_TOKEN = "this formcoach server needs its token: open the address 'formcoach serve' printed"


def same_origin(headers: Headers) -> bool:
    """True when the request's ``Origin`` is this server (the ``Host`` it was sent to)."""
    origin, host = headers.get("origin"), headers.get("host")
    return bool(origin and host) and origin in (f"http://{host}", f"https://{host}")


def _given_token(scope: Scope, headers: Headers) -> tuple[str | None, bool]:
    """The token the request carries, and whether it came in the query string."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0], True
    cookies = SimpleCookie(headers.get("cookie", ""))
    if TOKEN_COOKIE in cookies:
        return cookies[TOKEN_COOKIE].value, False
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    return None, False


class Guard:
    """ASGI middleware enforcing the rules of the module's note.

    Args:
        app: the application behind it.
        token: the secret every request must carry (``None``: none needed).
    """

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given, in_query = _given_token(scope, headers)
        if self.token is not None and not (
            given and secrets.compare_digest(given.encode(), self.token.encode())
        ):
            await _refuse(scope, receive, send, 401, _NEEDS_TOKEN)
            return
        if kind == "websocket" and not same_origin(headers):
            await _refuse(scope, receive, send, 403, "a formcoach socket opens only from its pages")
            return
        writes = kind == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS")
        if writes and headers.get("origin") and not same_origin(headers):
            await _refuse(scope, receive, send, 403, "formcoach takes changes only from its pages")
            return
        if kind == "http" and in_query and self.token is not None:
            send = _with_cookie(send, self.token)
        await self.app(scope, receive, send)


def _with_cookie(send: Send, token: str) -> Send:
    """``send`` adding the token cookie to the response, so links need no token."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
            message = {
                **message,
                "headers": [*message["headers"], (b"set-cookie", cookie.encode())],
            }
        await send(message)

    return sending


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, text: str) -> None:
    body = text.encode()
    start: dict[str, Any] = {
        "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
    }
    if scope["type"] == "http":
        await send({"type": "http.response.start", **start})
        await send({"type": "http.response.body", "body": body})
        return
    await receive()  # the handshake's "websocket.connect"
    if "websocket.http.response" in scope.get("extensions", {}):
        await send({"type": "websocket.http.response.start", **start})
        await send({"type": "websocket.http.response.body", "body": body})
    else:  # the server answers a refused handshake with 403 on its own
        await send({"type": "websocket.close", "code": 1008, "reason": text[:120]})
