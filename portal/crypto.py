"""Sensitive columns encrypted at rest: `EncryptedText` and `EncryptedJSON` column types (Fernet: AES-128-CBC with
HMAC-SHA256, a fresh IV per value).

The key comes from PORTAL_ENCRYPTION_KEY (`portal keys new` makes one); PORTAL_ENCRYPTION_OLD_KEYS lists keys that
are still read during a rotation, and `portal keys rotate` re-encrypts every value under the current key. Without a
key, a portal whose PORTAL_ENVIRONMENT is unset or local (a developer's machine, the demo) uses a fixed local-only
key; any named environment (production, staging, as the image sets) refuses to start.
A database dump alone therefore shows no priority-group membership, disability, family income or ID number.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, select, type_coerce, update
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from portal.settings import Settings, get_settings

# Fernet tokens are base64 of a version byte 0x80 and a timestamp: they all start like this.
TOKEN_PREFIX = "gAAAAA"
LOCAL_ONLY_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"jinying local-only encryption key").digest()).decode()
KEYRING_ATTRIBUTE = "jinying_keyring"


class MissingEncryptionKey(RuntimeError):
    pass


def new_key() -> str:
    return Fernet.generate_key().decode()


@dataclass(frozen=True)
class Keyring:
    current: Fernet
    readable: MultiFernet  # the current key first, then the old ones

    def encrypt(self, data: bytes) -> bytes:
        return self.readable.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        return self.readable.decrypt(token)


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> Keyring:
    fernets = [Fernet(key.encode()) for key in (current, *old)]
    return Keyring(current=fernets[0], readable=MultiFernet(fernets))


def keyring_for(settings: Settings) -> Keyring:
    if settings.encryption_key:
        current = settings.encryption_key
    elif settings.environment in (None, "", "local"):
        current = LOCAL_ONLY_KEY
    else:
        raise MissingEncryptionKey(
            f"PORTAL_ENCRYPTION_KEY must be set with PORTAL_ENVIRONMENT={settings.environment} "
            "(make one with `portal keys new`)")
    old = tuple(key.strip() for key in settings.encryption_old_keys.split(",") if key.strip())
    return _keyring(current, old)


def install_keyring(engine: Engine, settings: Settings) -> None:
    """The engine's encrypted columns use these settings' keys (a process reads the environment's otherwise)."""
    setattr(engine.dialect, KEYRING_ATTRIBUTE, keyring_for(settings))


def _keyring_of(dialect) -> Keyring:
    return getattr(dialect, KEYRING_ATTRIBUTE, None) or keyring_for(get_settings())


class EncryptedText(TypeDecorator):
    """A string stored as a Fernet token. Values written before encryption was turned on are read as they are
    (and encrypted by `portal keys rotate`)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return _keyring_of(dialect).encrypt(self.serialize(value).encode()).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if not value.startswith(TOKEN_PREFIX):
            return self.deserialize(value)
        return self.deserialize(_keyring_of(dialect).decrypt(value.encode()).decode())

    def serialize(self, value) -> str:
        return str(value)

    def deserialize(self, text: str):
        return text


class EncryptedJSON(EncryptedText):
    """A JSON value (a list of priority categories, say) stored as a Fernet token."""

    cache_ok = True

    def serialize(self, value) -> str:
        return json.dumps(value, ensure_ascii=False)

    def deserialize(self, text: str):
        return json.loads(text)


def encrypted_columns():
    """(table, column) of every encrypted column in the schema."""
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table, column


def rotate(engine: Engine) -> dict[str, int]:
    """Re-encrypts every value that is not under the current key (or not encrypted yet): {table.column: count}."""
    keyring = _keyring_of(engine.dialect)
    counts: dict[str, int] = {}
    with Session(engine) as session:
        for table, column in encrypted_columns():
            key = table.primary_key.columns.values()[0]
            # type_coerce: the stored text itself, neither decrypted on the way out nor encrypted on the way in.
            rows = session.execute(select(key, type_coerce(column, Text)).where(column.isnot(None))).all()
            changed = 0
            for row_id, stored in rows:
                token = _under_current_key(keyring, column.type, stored)
                if token is not None:
                    session.execute(update(table).where(key == row_id).values({column.name: type_coerce(token, Text)}))
                    changed += 1
            counts[f"{table.name}.{column.name}"] = changed
        session.commit()
    return counts


def _under_current_key(keyring: Keyring, column_type: EncryptedText, stored: str) -> str | None:
    """The stored value re-encrypted under the current key, or None when it already is."""
    if not stored.startswith(TOKEN_PREFIX):
        return keyring.encrypt(column_type.serialize(column_type.deserialize(stored)).encode()).decode()
    try:
        keyring.current.decrypt(stored.encode())
        return None
    except InvalidToken:
        return keyring.readable.rotate(stored.encode()).decode()
