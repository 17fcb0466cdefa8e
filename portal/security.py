"""Passwords, session and API tokens, and CSRF tokens."""
import hmac
import secrets
from functools import cache
from hashlib import sha256

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): about 33 ms of one core per hash instead of the library
# default's 217 ms over four, so a hundred people signing in at once cost the server seconds, not a stall.
# Hashes made with other parameters still verify: each hash names its own.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Takes as long for an account without a password (or no account) as for one with, so timing tells nothing."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a session or API token: enough to recognise it, useless to present."""
    return sha256(token.encode()).hexdigest()


def new_csrf_seed() -> str:
    return secrets.token_urlsafe(16)


def csrf_token(secret_key: str, seed: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{seed}".encode(), sha256).hexdigest()


def csrf_token_matches(secret_key: str, seed: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(secret_key, seed), presented)
