"""The realtime relay: WebSocket rooms whose messages reach every portal process.

A room is a channel name ("interview:12"). Each process keeps its own subscribers; a published message
goes through the broker, which is in-process for SQLite and PostgreSQL LISTEN/NOTIFY when the database
is PostgreSQL, so two people connected to different portal processes still hear each other.
Subscribers may live on different event loops (every TestClient and uvicorn worker thread has its own),
so delivery always goes through the subscriber's loop.

WebSocket routes are plain Starlette routes (`websocket_route`): the app-wide CSRF dependency reads
HTTP form bodies, so for sockets the check is the Origin header instead, made in `authenticate`.
"""
import asyncio
import base64
import json
import logging
import queue
import threading
import zlib
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from sqlalchemy.engine import make_url
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocketDisconnect

from portal.accounts.models import User
from portal.deps import get_optional_user
from portal.errors import Invalid, ServiceError

log = logging.getLogger(__name__)
PG_CHANNEL = "jinying_realtime"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; larger messages (SDP offers) travel compressed.
PG_PAYLOAD_LIMIT = 7900
MAX_INCOMING_BYTES = 64 * 1024
NOTIFY_BATCH = 200
QUEUE_SIZE = 512
# Close codes: 4401 not signed in or foreign origin, 4404 no such room for this user.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404


@dataclass(eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    user_id: int | None = None
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def deliver(self, message: dict) -> None:
        self.loop.call_soon_threadsafe(self._put, message)

    def _put(self, message: dict) -> None:
        if self.queue.full():  # a stalled socket loses its oldest message rather than stalling the room
            self.queue.get_nowait()
        self.queue.put_nowait(message)


class LocalBroker:
    """Delivers to the subscribers of this process only (SQLite: there is one process per database file)."""

    def __init__(self) -> None:
        self._rooms: dict[str, set[_Subscriber]] = {}
        self._lock = threading.Lock()

    @asynccontextmanager
    async def subscribe(self, channel: str, user_id: int | None = None):
        """A queue of the channel's messages: those without "to", and those "to" this user."""
        subscriber = _Subscriber(asyncio.get_running_loop(), user_id)
        with self._lock:
            self._rooms.setdefault(channel, set()).add(subscriber)
        try:
            yield subscriber.queue
        finally:
            with self._lock:
                room = self._rooms.get(channel, set())
                room.discard(subscriber)
                if not room:
                    self._rooms.pop(channel, None)

    def listeners(self, channel: str) -> int:
        with self._lock:
            return len(self._rooms.get(channel, ()))

    def deliver(self, channel: str, message: dict) -> None:
        recipient = message.get("to")
        with self._lock:
            subscribers = [s for s in self._rooms.get(channel, ()) if recipient in (None, s.user_id)]
        for subscriber in subscribers:
            subscriber.deliver(message)

    async def publish(self, channel: str, message: dict) -> None:
        self.deliver(channel, message)

    def close(self) -> None:
        pass


class PostgresBroker(LocalBroker):
    """Publishes with NOTIFY and delivers what LISTEN hears, its own messages included, so every process
    (this one too) sees the same stream. One thread owns the listening connection; another sends what the
    sockets publish, as many NOTIFYs per round trip as are waiting, in the order they were published."""

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._outbox: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._threads = [threading.Thread(target=self._listen, name="realtime-listen", daemon=True),
                         threading.Thread(target=self._send, name="realtime-notify", daemon=True)]
        for thread in self._threads:
            thread.start()
        if not self._listening.wait(10):
            log.error("realtime: the PostgreSQL listener did not start")

    def _listen(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as connection:
                    connection.execute(f"LISTEN {PG_CHANNEL}")
                    self._listening.set()
                    while not self._stopping.is_set():
                        for notice in connection.notifies(timeout=0.5):
                            channel, message = decode(notice.payload)
                            self.deliver(channel, message)
            except Exception:
                if self._stopping.is_set():
                    return
                log.exception("realtime: PostgreSQL listener lost its connection; reconnecting")
                self._stopping.wait(1)

    def _waiting(self) -> list[str]:
        try:
            batch = [self._outbox.get(timeout=0.5)]
        except queue.Empty:
            return []
        while len(batch) < NOTIFY_BATCH:
            try:
                batch.append(self._outbox.get_nowait())
            except queue.Empty:
                break
        return batch

    def _send(self) -> None:
        import psycopg

        connection = None
        while not self._stopping.is_set():
            batch = self._waiting()
            if not batch:
                continue
            try:
                if connection is None or connection.closed:
                    connection = psycopg.connect(self._dsn, autocommit=True)
                with connection.cursor() as cursor:
                    cursor.executemany("SELECT pg_notify(%s, %s)", [(PG_CHANNEL, payload) for payload in batch])
            except Exception:
                log.exception("realtime: could not publish %s messages; reconnecting", len(batch))
                connection = None
                self._stopping.wait(1)
        if connection is not None:
            connection.close()

    async def publish(self, channel: str, message: dict) -> None:
        self._outbox.put(encode(channel, message))

    def close(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)


def encode(channel: str, message: dict) -> str:
    text = json.dumps([channel, message], ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) < PG_PAYLOAD_LIMIT:
        return text
    packed = "z" + base64.b64encode(zlib.compress(text.encode(), 9)).decode()
    if len(packed) >= PG_PAYLOAD_LIMIT:
        raise Invalid("This message is too large.")
    return packed


def decode(payload: str) -> tuple[str, dict]:
    if payload.startswith("z"):
        payload = zlib.decompress(base64.b64decode(payload[1:])).decode()
    channel, message = json.loads(payload)
    return channel, message


_create_lock = threading.Lock()


def broker_of(app) -> LocalBroker:
    """The app's broker, made on first use (PostgreSQL's needs no event loop, so any thread may make it)."""
    with _create_lock:
        broker = getattr(app.state, "realtime", None)
        if broker is None:
            url = app.state.settings.resolved_database_url
            broker = PostgresBroker(url) if url.startswith("postgresql") else LocalBroker()
            app.state.realtime = broker
        return broker


def close(app) -> None:
    broker = getattr(app.state, "realtime", None)
    if broker is not None:
        broker.close()
        app.state.realtime = None


# ---------------------------------------------------------------- sockets


def same_origin(websocket: WebSocket) -> bool:
    """A browser always sends Origin on a WebSocket handshake; only this site's pages may open ours."""
    origin = websocket.headers.get("origin")
    if not origin:
        return False
    netloc = urlsplit(origin).netloc
    base = urlsplit(websocket.app.state.settings.base_url or "").netloc
    return netloc in (websocket.headers.get("host"), base)


def _user_of(websocket: WebSocket) -> User | None:
    with Session(websocket.app.state.engine, expire_on_commit=False) as session:
        try:
            return get_optional_user(websocket, session, websocket.app.state.settings)
        except ServiceError:
            return None


async def authenticate(websocket: WebSocket) -> User | None:
    """The signed-in user behind the socket's session cookie, or None (socket closed) for a stranger or a
    foreign page."""
    user = await run_in_threadpool(_user_of, websocket) if same_origin(websocket) else None
    if user is None:
        await websocket.close(code=CLOSE_UNAUTHENTICATED)
    return user


async def in_thread(websocket: WebSocket, function: Callable, /, **kwargs):
    """Runs a service function with its own database session in the threadpool."""
    def call():
        with Session(websocket.app.state.engine, expire_on_commit=False) as session:
            return function(session, **kwargs)

    return await run_in_threadpool(call)


async def admit(websocket: WebSocket, check: Callable, /, **kwargs):
    """(user, what check answered) for a signed-in user of this site whom the domain's `check(session, user=...,
    **kwargs)` lets into the room; None, the socket closed, for anyone else."""
    user = await authenticate(websocket)
    if user is None:
        return None
    try:
        return user, await in_thread(websocket, check, user=user, **kwargs)
    except ServiceError:
        await websocket.close(code=CLOSE_NOT_FOUND)
        return None


Handler = Callable[[dict], Awaitable[None]]


async def relay(websocket: WebSocket, *, channel: str, user: User, on_message: Handler) -> None:
    """Accepts the socket, forwards the room's messages meant for this user (no "to", or "to" this user)
    and hands each incoming JSON object to on_message, until the socket closes."""
    broker = broker_of(websocket.app)
    await websocket.accept()
    async with broker.subscribe(channel, user.id) as messages:
        forward = asyncio.create_task(_forward(websocket, messages))
        try:
            while True:
                text = await websocket.receive_text()
                message = _parse(text)
                if message is None:
                    await websocket.send_json({"type": "error", "detail": "bad message"})
                    continue
                try:
                    await on_message(message)
                except ServiceError as error:
                    from portal.i18n import gettext

                    await websocket.send_json({"type": "error", "detail": gettext(error.message, **error.params)})
        except WebSocketDisconnect:
            pass
        finally:
            forward.cancel()


async def _forward(websocket: WebSocket, messages: asyncio.Queue) -> None:
    while True:
        message = await messages.get()
        try:
            await websocket.send_json(message)
        except (RuntimeError, WebSocketDisconnect):
            return


# What the two browsers of a one-to-one video room may say to each other (WebRTC negotiation and leaving).
VIDEO_SIGNALS = frozenset({"join", "present", "offer", "answer", "candidate", "bye"})


async def video_call(websocket: WebSocket, *, channel: str, user: User) -> None:
    """Relays the WebRTC negotiation of a one-to-one video room (an interview, a guidance session) between its two
    people, each message marked with its sender, until the socket closes."""
    broker = broker_of(websocket.app)

    async def on_message(message: dict) -> None:
        if message["type"] in VIDEO_SIGNALS:
            await broker.publish(channel, {**message, "from": user.id})

    await relay(websocket, channel=channel, user=user, on_message=on_message)


def _parse(text: str) -> dict | None:
    if len(text) > MAX_INCOMING_BYTES:
        return None
    try:
        message = json.loads(text)
    except ValueError:
        return None
    return message if isinstance(message, dict) and isinstance(message.get("type"), str) else None


def websocket_route(router: APIRouter, path: str):
    """Registers a WebSocket endpoint on a domain's page router, outside the HTTP-only dependencies."""
    def register(endpoint):
        router.routes.append(WebSocketRoute(path, endpoint))
        return endpoint

    return register
