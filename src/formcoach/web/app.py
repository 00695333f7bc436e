"""The web application: pages, the training socket, static scripts, all from the package."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import resources

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from formcoach import __version__
from formcoach.web import forms, pages
from formcoach.web.context import ServerContext
from formcoach.web.parts import LiveParts
from formcoach.web.security import Guard
from formcoach.web.settings import ServeSettings
from formcoach.web.socket import live_socket

__all__ = ["create_app"]

STATIC = str(resources.files("formcoach.web") / "static")


def create_app(settings: ServeSettings | None = None, parts: LiveParts | None = None) -> FastAPI:
    """The app for ``settings`` (the token must already be decided: see
    :meth:`ServeSettings.secured`), with the real models unless ``parts`` are given."""
    settings = settings or ServeSettings()
    ctx = ServerContext(settings, parts or LiveParts())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.close()

    app = FastAPI(
        title="formcoach",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.formcoach = ctx
    app.include_router(pages.router)
    app.include_router(forms.router)
    app.add_api_websocket_route("/ws/train", live_socket)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, token=settings.token)
    return app
