"""``formcoach serve``: train in the browser (live coaching, history, analysis, profiles)."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.dboption import db_option

try:
    from formcoach.web.server import serve
    from formcoach.web.settings import ServeSettings
except ImportError as e:  # the web extra (fastapi, uvicorn) is optional
    serve, ServeSettings, _MISSING = None, None, e  # type: ignore[assignment, misc]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--token",
    help="Secret every request must carry (generated and printed for a non-local --host).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@db_option
def command(host: str, port: int, token: str | None, open_browser: bool, db: Path | None) -> None:
    """Serve formcoach to a browser: train with its camera, microphone and speakers.

    It binds 127.0.0.1 (this machine only) unless told otherwise; any other host needs a
    token on every request, generated and printed when none is given. Pages, scripts and
    models are all local: nothing is fetched from the network.
    """
    if serve is None or ServeSettings is None:
        raise click.ClickException(
            f"formcoach serve needs the web extra ({_MISSING}): pip install 'formcoach[web]'"
        )
    serve(ServeSettings(host=host, port=port, token=token, db=db), open_browser, click.echo)
