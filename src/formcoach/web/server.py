"""Run the app with uvicorn: print where it is, optionally open a browser, serve until Ctrl-C."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable

import uvicorn

from formcoach.core.errors import FormcoachError
from formcoach.web.app import create_app
from formcoach.web.settings import ServeSettings

__all__ = ["serve"]

#: The WebSocket's own limit on a message, a little above the frame limit checked per frame.
_WS_SLACK_BYTES = 64_000


def serve(settings: ServeSettings, open_browser: bool = False, echo: Callable = print) -> None:
    """Serve formcoach at ``settings.host:port`` until interrupted.

    Raises:
        FormcoachError: the port is taken or the address cannot be bound.
    """
    settings = settings.secured()
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        ws_max_size=settings.max_frame_bytes + _WS_SLACK_BYTES,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    url = settings.url()
    echo(f"formcoach is at {url}")
    if settings.token:
        echo("  every request needs that token: share the address only with who may train here")
    echo("  Ctrl-C stops it")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    server.run()
    if not server.started:
        raise FormcoachError(
            f"could not serve on {settings.host}:{settings.port}",
            "is another program using that port? pass --port N",
        )
