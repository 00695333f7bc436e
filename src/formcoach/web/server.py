"""Run the app with uvicorn: print where it is, optionally open a browser, serve until Ctrl-C."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import replace

import uvicorn

from formcoach.core.errors import FormcoachError
from formcoach.web.app import create_app
from formcoach.web.settings import ServeSettings

__all__ = ["serve"]

#: The WebSocket's own limit on a message, a little above the frame limit checked per frame.
_WS_SLACK_BYTES = 64_000


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket (bound here, so a taken port is a clear error before anything)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as e:
        raise FormcoachError(
            f"cannot listen on {host}:{port}: {os.strerror(e.errno) if e.errno else e}",
            "is another program using that port? pass --port N (or --host)",
        ) from None


def serve(settings: ServeSettings, open_browser: bool = False, echo: Callable = print) -> None:
    """Serve formcoach at ``settings.host:port`` until interrupted (Ctrl-C).

    Raises:
        FormcoachError: the address cannot be listened on (a taken port...).
    """
    settings = settings.secured()
    sock = _listen(settings.host, settings.port)
    settings = replace(settings, port=sock.getsockname()[1])  # port 0: the one chosen
    config = uvicorn.Config(
        create_app(settings),
        ws_max_size=settings.max_frame_bytes + _WS_SLACK_BYTES,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    url = settings.url()
    echo(f"formcoach is at {url}")
    if settings.token:
        echo("  every request needs that token: share the address only with who may train here")
    if not settings.local:
        echo("  from another device, use this machine's name or address instead of the host")
    echo("  Ctrl-C stops it")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.Server(config).run(sockets=[sock])
