"""The pages: home, training, history (rendered on the server from the shared templates)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from formcoach.core.errors import FormcoachError
from formcoach.render.html import render_page
from formcoach.render.progress import part_progress_html, progress_plot_html
from formcoach.store.history import History, history, local_time, part_history, spoken_part
from formcoach.web.context import ServerContext

__all__ = ["WEB_TEMPLATES", "page", "router"]

WEB_TEMPLATES = str(resources.files("formcoach.web") / "templates")
router = APIRouter()


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page of the app (its templates extend the shared ``base.html``)."""
    html = render_page(template, folders=(WEB_TEMPLATES,), **context)
    return HTMLResponse(html, status_code=status_code)


def context_of(request: Request) -> ServerContext:
    return request.app.state.formcoach


def _choices(ctx: ServerContext) -> dict[str, Any]:
    with ctx.store() as store:
        profiles = [p.name for p in store.profiles()]
    exercises = [(e.name, e.title, bool(e.static)) for e in ctx.parts.exercises()]
    return {"profiles": profiles, "exercises": exercises}


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return page("home.html", **_choices(context_of(request)))


@router.get("/train", response_class=HTMLResponse)
def train(request: Request) -> HTMLResponse:
    """The chooser, or with ``?profile=NAME`` (or ``?face=1``) the live training page."""
    ctx, q = context_of(request), request.query_params
    profile, exercise = q.get("profile") or None, q.get("exercise") or None
    if profile is None and q.get("face") != "1":
        return page("choose.html", **_choices(ctx))
    try:
        title = ctx.parts.get_exercise(exercise).title if exercise else None
        if profile is not None:
            with ctx.store() as store:
                profile = store.profile(profile).name
    except FormcoachError as e:
        return page("problem.html", 404, message=e.message, hint=e.hint)
    return page(
        "train.html",
        profile=profile,
        exercise=exercise,
        exercise_title=title,
        reps=q.get("reps", ""),
        sets=q.get("sets", ""),
    )


def _history_context(ctx: ServerContext, h: History) -> dict[str, Any]:
    with ctx.store() as store:
        parts = part_history(store, h.profile)
    return {
        "h": h,
        "sessions": [
            {
                "id": s.id,
                "when": local_time(s.started_at),
                "status": s.status,
                "sets": s.sets,
                "reps": s.reps,
            }
            for s in reversed(h.sessions)
        ],
        "progress": progress_plot_html(h) if h.sessions else None,
        "part_plots": [part_progress_html(h, p, ex) for ex, p in parts.items() if p],
        "needs_work": spoken_part(h.most_cued_part) if h.most_cued_part else None,
    }


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request) -> HTMLResponse:
    """The chooser, or with ``?profile=NAME`` that person's history with plots."""
    ctx = context_of(request)
    name = request.query_params.get("profile")
    if not name:
        return page("history_choose.html", **_choices(ctx))
    try:
        with ctx.store() as store:
            h = history(store, name)
    except FormcoachError as e:
        return page("problem.html", 404, message=e.message, hint=e.hint)
    return page("history.html", **_history_context(ctx, h))


@router.get("/api/history/{name}")
def history_json(request: Request, name: str) -> JSONResponse:
    """A profile's history as JSON (``formcoach history --json``'s object)."""
    try:
        with context_of(request).store() as store:
            return JSONResponse(history(store, name).to_dict())
    except FormcoachError as e:
        return JSONResponse({"error": e.message, "hint": e.hint}, status_code=404)


@router.get("/api/choices")
def choices_json(request: Request) -> JSONResponse:
    """The profiles and exercises the pages offer."""
    return JSONResponse(_choices(context_of(request)))


@router.get("/audio/{key}.wav")
def audio(request: Request, key: str) -> Response:
    """A spoken line's audio (kept while recent)."""
    wav = context_of(request).shelf.get(key)
    if wav is None:
        return Response("no such line (it was spoken long ago)", 404, media_type="text/plain")
    return Response(wav, media_type="audio/wav", headers={"Cache-Control": "no-store"})
