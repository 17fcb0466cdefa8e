"""Passwords, API tokens and CSRF tokens."""
import hmac
import secrets
from hashlib import sha256

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="api-token")


def issue_api_token(secret_key: str, *, user_id: int, session_epoch: int) -> str:
    return _token_serializer(secret_key).dumps({"uid": user_id, "ep": session_epoch})


def read_api_token(secret_key: str, token: str, max_age: int) -> dict | None:
    try:
        return _token_serializer(secret_key).loads(token, max_age=max_age)
    except BadSignature:
        return None


def new_csrf_seed() -> str:
    return secrets.token_urlsafe(16)


def csrf_token(secret_key: str, seed: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{seed}".encode(), sha256).hexdigest()


def csrf_token_matches(secret_key: str, seed: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(secret_key, seed), presented)
