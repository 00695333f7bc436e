"""The training page's WebSocket: camera frames and microphone PCM in, everything else out.

One connection is one :class:`~formcoach.web.live.LiveSession`. Messages for the page come
from the coach's threads through a queue drained by one sender task, so the reply to a frame
goes out as soon as its landmarks exist, never behind a blocked receive.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from formcoach.core.errors import FormcoachError
from formcoach.web.context import ServerContext
from formcoach.web.frames import parse_frame
from formcoach.web.live import LiveRequest, LiveSession
from formcoach.web.protocol import FRAME, PCM, parse_pcm

__all__ = ["FRAME_WAIT_S", "live_socket"]

log = logging.getLogger(__name__)
#: Seconds a frame waits for the coach to take it before it is answered unlooked-at.
FRAME_WAIT_S = 0.25
#: Seconds a session may take to end once its page has left (it says goodbye, saves).
SESSION_END_S = 10.0
#: Close codes: a message too big, a message that makes no sense.
TOO_BIG, UNSUPPORTED = 1009, 1003


class _Outbox:
    """Messages for the page, put from any thread, sent in order by one task."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.open = True

    def put(self, message: dict[str, Any] | None) -> None:
        if not self.open:
            return
        with contextlib.suppress(RuntimeError):  # the loop is gone: so is the page
            self._loop.call_soon_threadsafe(self._queue.put_nowait, message)

    async def drain(self, websocket: WebSocket) -> None:
        while (message := await self._queue.get()) is not None:
            try:
                await websocket.send_text(json.dumps(message))
            except Exception:  # the page left, however the server reports it: stop sending
                break
        self.open = False


async def live_socket(websocket: WebSocket) -> None:
    """``/ws/train?profile=&exercise=&reps=&sets=``: one live training session."""
    ctx: ServerContext = websocket.app.state.formcoach
    await websocket.accept()
    outbox = _Outbox(asyncio.get_running_loop())
    sender = asyncio.create_task(outbox.drain(websocket))
    session: LiveSession | None = None
    try:
        request = LiveRequest.from_query(websocket.query_params)
        session = LiveSession(
            request, ctx.settings.db, ctx.parts, ctx.shelf, ctx.profiles, outbox.put, ctx.recognizer
        )
        session.start()
        await _receive(websocket, session, ctx.settings.max_frame_bytes)
    except FormcoachError as e:
        outbox.put({"type": "error", "message": e.message, "hint": e.hint})
    except WebSocketDisconnect:
        pass
    finally:
        if session is not None:
            session.close()
            await asyncio.to_thread(session.join, SESSION_END_S)
        outbox.put(None)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(sender, 5.0)
        outbox.open = False
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close()


async def _receive(websocket: WebSocket, session: LiveSession, max_bytes: int) -> None:
    loop = asyncio.get_running_loop()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        data = message.get("bytes")
        if data is not None:
            if len(data) > max_bytes:
                await websocket.close(TOO_BIG, f"a frame may have at most {max_bytes} bytes")
                return
            try:
                if data[:1] == bytes([FRAME]):
                    frame = parse_frame(data)
                    session.push_frame(frame)
                    loop.call_later(FRAME_WAIT_S, session.expire_frame, frame.id)
                elif data[:1] == bytes([PCM]):
                    session.ears.microphone.push(parse_pcm(data))
                else:
                    raise ValueError("unknown binary message")
            except ValueError as e:
                await websocket.close(UNSUPPORTED, str(e)[:120])
                return
        elif message.get("text") is not None:
            _dispatch(session, message["text"])


def _dispatch(session: LiveSession, text: str) -> None:
    """A JSON message from the page; anything malformed is ignored (and logged)."""
    try:
        message = json.loads(text)
        kind = message.get("type")
        if kind == "answer":
            session.answers.put(str(message.get("text", ""))[:200])
        elif kind == "played":
            session.speaker.played(int(message["line"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("ignored a malformed message from the page: %.80s", text)
