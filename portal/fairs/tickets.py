"""E-ticket codes: a random part nobody can guess, and a MAC under the portal's secret, so a code that was not
issued here (or was mistyped) is refused before any lookup. The QR code carries the event too."""
import base64
import hashlib
import hmac
import re
import secrets

QR_PREFIX = "JYTICKET"
RANDOM_BYTES = 5  # 8 base32 characters, 40 bits
MAC_CHARS = 4  # 20 bits


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def _mac(secret: str, fair_id: int, random_part: str) -> str:
    digest = hmac.new(secret.encode(), f"fair-ticket:{fair_id}:{random_part}".encode(), hashlib.sha256).digest()
    return _b32(digest)[:MAC_CHARS]


def issue(secret: str, fair_id: int) -> str:
    """A new code such as K7QX-M2PA-R4TB (the last four characters are the MAC)."""
    random_part = _b32(secrets.token_bytes(RANDOM_BYTES))
    return format_code(random_part + _mac(secret, fair_id, random_part))


def format_code(raw: str) -> str:
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_payload(fair_id: int, code: str) -> str:
    return f"{QR_PREFIX}:{fair_id}:{code}"


def read(secret: str, fair_id: int, scanned: str) -> str | None:
    """The formatted code if `scanned` (a QR payload, or a typed code in any case and spacing) is a genuine code
    of this fair; None otherwise."""
    text = scanned.strip()
    if text.upper().startswith(QR_PREFIX + ":"):
        _, fair_part, text = text.split(":", 2) if text.count(":") >= 2 else (None, "", "")
        if fair_part != str(fair_id):
            return None
    raw = re.sub(r"[\s-]", "", text).upper()
    if not re.fullmatch(r"[A-Z2-7]{12}", raw):
        return None
    random_part, mac = raw[:-MAC_CHARS], raw[-MAC_CHARS:]
    return format_code(raw) if hmac.compare_digest(mac, _mac(secret, fair_id, random_part)) else None
