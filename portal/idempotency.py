"""Idempotency keys: a client may retry a POST to /api/v1 with the same `Idempotency-Key` and the work is done once.

The key is claimed in the same database transaction as the request's own work (the first commit the request
makes inserts the record), so "the key is on record" means exactly "the work was committed", even when the
process is killed a moment later. The answer is stored after it is sent and replayed to later retries. Keys
belong to the Bearer token that sent them; requests without one are served as usual, and so are requests
that commit nothing (a refusal can simply be retried).
"""
from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from fastapi import FastAPI
from sqlalchemy import Column, LargeBinary, UniqueConstraint, delete, event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel

from portal.clock import utcnow
from portal.errors import Conflict

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
KEEP_FOR = timedelta(hours=24)
REPLAYED_HEADERS = (b"content-type", b"location")


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("owner", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=64)
    key: str = Field(max_length=MAX_KEY_LENGTH)
    fingerprint: str = Field(max_length=64)
    status_code: int | None = None
    headers: str | None = None  # JSON list of [name, value]
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class KeyAlreadyUsed(Conflict):
    pass


@dataclass
class Claim:
    owner: str
    key: str
    fingerprint: str
    recorded: bool = False


_claim: ContextVar[Claim | None] = ContextVar("idempotency_claim", default=None)


WROTE = "idempotency_wrote"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_writes(session: Session) -> None:
    session.info.pop(WROTE, None)


@event.listens_for(Session, "before_commit")
def _record_claim(session: Session) -> None:
    """The request's first commit that writes carries its claim (a look-up that only ends its transaction does
    not); if another request committed the same key first, this commit fails and its work is rolled back."""
    claim = _claim.get()
    if claim is None or claim.recorded:
        return
    if not (session.info.get(WROTE) or session.new or session.dirty or session.deleted):
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(IdempotencyRecord)
        .values(owner=claim.owner, key=claim.key, fingerprint=claim.fingerprint, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["owner", "key"])
        .returning(IdempotencyRecord.id)
    )
    if session.execute(statement).first() is None:
        raise KeyAlreadyUsed("Another request with this Idempotency-Key was carried out first.")
    claim.recorded = True


def _owner(scope) -> str | None:
    authorization = dict(scope["headers"]).get(b"authorization", b"")
    scheme, _, token = authorization.partition(b" ")
    if scheme.lower() != b"bearer" or not token.strip():
        return None
    return hashlib.sha256(token.strip()).hexdigest()


def _valid_key(raw: bytes) -> str | None:
    try:
        key = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    return key if 0 < len(key) <= MAX_KEY_LENGTH and key.isprintable() else None


def _fingerprint(scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"),
                 dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _problem(status: int, title: str, detail: str, extra_headers=(), code: str | None = None) -> tuple[int, list, bytes]:
    body = json.dumps({"type": f"about:blank#{code or status}", "title": title, "status": status, "detail": detail},
                      ensure_ascii=False).encode()
    return status, [(b"content-type", b"application/problem+json"), *extra_headers], body


class IdempotencyMiddleware:
    def __init__(self, app, engine_of) -> None:
        self.app = app
        self.engine_of = engine_of

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith("/api/v1/"):
            return await self.app(scope, receive, send)
        raw_key = dict(scope["headers"]).get(HEADER.lower().encode())
        if raw_key is None:
            return await self.app(scope, receive, send)
        key = _valid_key(raw_key)
        if key is None:  # refused whoever sends it, as the API document says
            return await _answer(send, *_problem(
                400, "The request could not be understood.",
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."))
        owner = _owner(scope)
        if owner is None:
            return await self.app(scope, receive, send)
        body = await _read_body(receive)
        claim = Claim(owner=owner, key=key, fingerprint=_fingerprint(scope, body))
        engine = self.engine_of(scope)
        earlier = await anyio.to_thread.run_sync(_find, engine, claim)
        if earlier is not None:
            settings = scope["app"].state.settings
            answer_lost_after = timedelta(seconds=settings.idempotency_answer_lost_seconds)
            return await _answer(send, *_earlier_answer(earlier, claim, answer_lost_after))
        status, headers, chunks = 500, [], []

        async def capture(message):
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        token = _claim.set(claim)
        try:
            await self.app(scope, _replay(body), capture)
        finally:
            _claim.reset(token)
        answer = b"".join(chunks)
        if claim.recorded:  # kept before the client sees it, so an immediate retry finds it
            kept = [[name.decode(), value.decode()] for name, value in headers if name.lower() in REPLAYED_HEADERS]
            await anyio.to_thread.run_sync(_store_answer, engine, claim, status, kept, answer)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": answer})


async def _read_body(receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(parts)


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            await anyio.sleep_forever()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _answer(send, status: int, headers: list, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _find(engine, claim: Claim) -> IdempotencyRecord | None:
    with Session(engine) as session:
        return session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.owner == claim.owner, IdempotencyRecord.key == claim.key)
        ).scalars().first()


def _earlier_answer(record: IdempotencyRecord, claim: Claim, answer_lost_after: timedelta) -> tuple[int, list, bytes]:
    if record.fingerprint != claim.fingerprint:
        return _problem(422, "Some of the information is not valid.",
                        f"This {HEADER} was already used for a different request.")
    if record.status_code is None:
        created = record.created_at if record.created_at.tzinfo else record.created_at.replace(tzinfo=utcnow().tzinfo)
        if utcnow() - created < answer_lost_after:
            return _problem(409, "That conflicts with the current state.",
                            "A request with this Idempotency-Key is still being processed. Retry in a moment.",
                            [(b"retry-after", b"1")])
        return _problem(409, "That conflicts with the current state.",
                        "A request with this Idempotency-Key was carried out, but its answer was lost. "
                        "Read the resource to see the result.", code="answer_lost")
    headers = [(name.encode(), value.encode()) for name, value in json.loads(record.headers or "[]")]
    return record.status_code, [*headers, (b"idempotent-replayed", b"true")], record.body or b""


def _store_answer(engine, claim: Claim, status: int, headers: list, body: bytes) -> None:
    with Session(engine) as session:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.owner == claim.owner, IdempotencyRecord.key == claim.key)
            .values(status_code=status, headers=json.dumps(headers), body=body)
        )
        session.commit()


def purge_expired(session: Session, *, settings, search) -> None:
    """Scheduled: keys are kept for a day, long enough for any client's retries."""
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR))
    session.commit()


IDEMPOTENCY_PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "description": "Any unique string (1-200 printable ASCII characters) chosen by the client. A retry with the same "
                   "key and the same request gets the first answer again (header Idempotent-Replayed: true) instead "
                   "of doing the work twice. Keys belong to the Bearer token and are kept for 24 hours.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x20-\\x7E]+$"},
}


def install(app: FastAPI) -> None:
    """Adds the middleware just inside the body-size cap (so bodies it buffers are capped) and documents the header
    on every POST operation of the API."""
    from starlette.middleware import Middleware

    from portal.body_limit import BodySizeLimit

    position = next((i + 1 for i, m in enumerate(app.user_middleware) if m.cls is BodySizeLimit), 0)
    app.user_middleware.insert(position, Middleware(IdempotencyMiddleware, engine_of=lambda scope: scope["app"].state.engine))
    build_schema = app.openapi

    def openapi():
        if app.openapi_schema is None:
            schema = build_schema()
            for path, operations in schema.get("paths", {}).items():
                if path.startswith("/api/v1/") and "post" in operations:
                    operations["post"].setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
