"""The one template set and stylesheet behind every page formcoach writes or serves.

Templates live in ``formcoach/render/templates`` (package data). Every page extends
``base.html``, which inlines ``style.css``, so a written report is one self-contained file.
Values are escaped unless a template marks them safe; plots come in as :class:`Markup`.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from formcoach.core.errors import FormcoachError
from formcoach.core.private import write_private

__all__ = ["Markup", "render_page", "stylesheet", "write_page"]

_TEMPLATES = resources.files("formcoach.render") / "templates"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def stylesheet() -> str:
    """The shared stylesheet (CSS text)."""
    return (_TEMPLATES / "style.css").read_text(encoding="utf-8")


def render_page(template: str, **context: Any) -> str:
    """Render one of the templates (``"analysis.html"``) with ``context``; returns HTML."""
    return _environment().get_template(template).render(stylesheet=Markup(stylesheet()), **context)


def write_page(html: str, path: str | Path) -> Path:
    """Write a rendered page to ``path`` (which must end in .html); returns the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise FormcoachError(
            f"report file {str(path)!r} must end in .html", "name it e.g. report.html"
        )
    return write_private(path, html)  # a report is personal: owner-only, never half written
