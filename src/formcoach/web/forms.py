"""The pages that take uploads: profiles (enrol by photo or camera snapshot, forget) and
analysis of a recording. Only face encodings and results are stored: photos and snapshots
are read in memory, recordings are deleted once analysed."""

from __future__ import annotations

import shutil
from typing import Any
from urllib.parse import quote

import cv2
import numpy as np
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from formcoach.core.errors import FormcoachError
from formcoach.core.private import open_private
from formcoach.core.words import counted
from formcoach.faces.enrol import enrol, face_from_image
from formcoach.web.pages import context_of, page

__all__ = ["router"]

router = APIRouter()
#: The largest photo or snapshot accepted for enrolment.
MAX_PHOTO_BYTES = 20_000_000


def _too_big(request: Request, limit: int) -> bool:
    length = request.headers.get("content-length", "")
    return length.isdigit() and int(length) > limit


def _profiles_page(request: Request, status_code: int = 200, **extra: Any) -> HTMLResponse:
    ctx = context_of(request)
    with ctx.store() as store:
        profiles = [
            {
                "name": p.name,
                "faces": len(store.face_encodings(p.name)),
                "live": p.name in ctx.profiles,
            }
            for p in store.profiles()
        ]
    context = {"profiles": profiles, "message": "", "error": "", "hint": "", **extra}
    return page("profiles.html", status_code, **context)


@router.get("/profiles", response_class=HTMLResponse)
def profiles(request: Request) -> HTMLResponse:
    return _profiles_page(request, message=request.query_params.get("done", ""))


async def _photo(request: Request) -> tuple[str, np.ndarray, str]:
    """The enrolment form's name, decoded image and where it came from."""
    form = await request.form(max_files=1, max_part_size=MAX_PHOTO_BYTES)
    name = str(form.get("name") or "").strip()
    upload = form.get("photo")
    if not name:
        raise FormcoachError("a profile needs a name", "type the person's name")
    if upload is None or isinstance(upload, str):
        raise FormcoachError("no photo came with the form", "choose a photo or take a snapshot")
    data = await upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise FormcoachError("the photo is too large", "use one under 20 MB")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if image is None:
        raise FormcoachError("the file is not an image", "use a JPEG, PNG or WebP photo")
    source = "camera snapshot" if form.get("source") == "camera" else f"photo {upload.filename}"
    return name, image, source


@router.post("/profiles/enrol", response_class=HTMLResponse)
async def enrol_profile(request: Request) -> Response:
    """Enrol (or add a face to) a profile from an uploaded photo or a camera snapshot."""
    ctx = context_of(request)
    try:
        if _too_big(request, MAX_PHOTO_BYTES + 100_000):
            raise FormcoachError("the photo is too large", "use one under 20 MB")
        name, image, source = await _photo(request)
        encoder = ctx.photo_faces
        if encoder is None:
            raise FormcoachError(
                "face recognition is not installed", "pip install 'formcoach[face]'"
            )
        face = face_from_image(image, encoder, f"the {source}")
        with ctx.store() as store:
            result = enrol(store, name, [(face, source)])
    except FormcoachError as e:
        return _profiles_page(request, 400, error=e.message, hint=e.hint)
    done = f"{result.name}: {counted(result.total, 'face')} enrolled"
    return RedirectResponse(f"/profiles?done={quote(done)}", status_code=303)


@router.post("/profiles/forget", response_class=HTMLResponse)
async def forget_profile(request: Request) -> Response:
    """Delete a profile with its faces and history."""
    ctx = context_of(request)
    form = await request.form()
    name = str(form.get("name") or "")
    try:
        if name in ctx.profiles:
            raise FormcoachError(f"{name} is training right now", "end that session first")
        with ctx.store() as store:
            report = store.forget_profile(name)
    except FormcoachError as e:
        return _profiles_page(request, 400, error=e.message, hint=e.hint)
    done = f"{report.name} forgotten ({report.sessions} sessions, {report.reps} reps deleted)"
    return RedirectResponse(f"/profiles?done={quote(done)}", status_code=303)


@router.get("/analyse", response_class=HTMLResponse)
def analyse_form(request: Request) -> HTMLResponse:
    exercises = [(e.name, e.title) for e in context_of(request).parts.exercises()]
    return page("analyse.html", exercises=exercises, error="", hint="")


@router.post("/analyse", response_class=HTMLResponse)
async def analyse_upload(request: Request) -> Response:
    """Take a recording and queue its analysis; redirects to the job's page."""
    ctx = context_of(request)
    limit = ctx.settings.max_upload_bytes
    exercises = [(e.name, e.title) for e in ctx.parts.exercises()]
    try:
        if _too_big(request, limit + 100_000):
            raise FormcoachError("the recording is too large", f"send one under {limit} bytes")
        form = await request.form(max_files=1)
        upload = form.get("recording")
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise FormcoachError("no recording came with the form", "choose a video file")
        path = ctx.jobs.upload_path(upload.filename)
        with open_private(path) as out:  # 0600: a recording of a person
            shutil.copyfileobj(upload.file, out)
        job = ctx.jobs.submit(path, str(form.get("exercise") or ""), upload.filename)
    except FormcoachError as e:
        return page("analyse.html", 400, exercises=exercises, error=e.message, hint=e.hint)
    return RedirectResponse(f"/analyse/{job.id}", status_code=303)


@router.get("/analyse/{job_id}", response_class=HTMLResponse)
def analyse_job(request: Request, job_id: str) -> HTMLResponse:
    job = context_of(request).jobs.get(job_id)
    if job is None:
        return page("problem.html", 404, message="no such analysis", hint="upload it again")
    return page("analyse_job.html", job=job)


@router.get("/analyse/{job_id}/report", response_class=HTMLResponse)
def analyse_report(request: Request, job_id: str) -> Response:
    job = context_of(request).jobs.get(job_id)
    if job is None or job.status != "done":
        return Response("not ready", 404, media_type="text/plain")
    return HTMLResponse(job.report)


@router.get("/analyse/{job_id}/overlay.webm")
def analyse_overlay(request: Request, job_id: str) -> Response:
    job = context_of(request).jobs.get(job_id)
    if job is None or job.overlay is None or not job.overlay.is_file():
        return Response("not ready", 404, media_type="text/plain")
    return FileResponse(job.overlay, media_type="video/webm")
