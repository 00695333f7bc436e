"""How ``formcoach serve`` runs: where it listens, who may come in, what it accepts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = ["LOCAL_HOSTS", "ServeSettings"]

#: Hosts that only this machine can reach: no token is needed there unless one is given.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServeSettings:
    """Everything the server is told.

    Attributes:
        host: the address to bind (default: this machine only).
        port: the TCP port.
        token: the secret every request must carry (``?token=``, a cookie set from it, or
            ``Authorization: Bearer``); ``None`` means none is asked for, which is allowed on a
            local host only (:meth:`secured` generates one for any other host).
        db: the database file (``None``: the user's default).
        max_frame_bytes: the largest camera frame accepted over the WebSocket (a 640×480 JPEG
            at quality 0.7 is about 76 KB); a bigger one closes the connection.
        max_upload_bytes: the largest recording accepted for analysis.
        work_dir: where uploads and overlay videos live while they are needed (``None``: a
            temporary folder removed when the server stops).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    db: Path | None = None
    max_frame_bytes: int = 1_000_000
    max_upload_bytes: int = 500_000_000
    work_dir: Path | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be 0-65535, got {self.port}")
        if self.max_frame_bytes < 10_000:
            raise ValueError(f"max_frame_bytes must be at least 10000, got {self.max_frame_bytes}")

    @property
    def local(self) -> bool:
        """True when only this machine can reach the server."""
        return self.host in LOCAL_HOSTS

    def secured(self) -> ServeSettings:
        """These settings with a freshly generated token when the host is not local and none
        was given."""
        if self.token is None and not self.local:
            return replace(self, token=secrets.token_urlsafe(18))
        return self

    def url(self, path: str = "/") -> str:
        """The address to open, with the token when one is needed."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?token={self.token}" if self.token else ""
        return f"http://{host}:{self.port}{path}{query}"
