"""The portal's whole configuration, read once from PORTAL_* environment variables."""
import ipaddress
import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL = "local"
# Secrets that are public: former defaults and the placeholders of deploy/portal.env.example.
PUBLIC_SECRETS = frozenset({"change-me-local-only", "replace-with-64-random-bytes", "replace-me", "changeme",
                            "change-me", "secret"})
MIN_SECRET_LENGTH = 32
SECRET_FILE = "secret_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", env_file=".env", extra="ignore")

    # "local" only on a developer's machine; unset counts as a real deployment.
    environment: str | None = None
    data_dir: Path = Path("var")
    database_url: str | None = None
    search_url: str | None = None
    search_index_prefix: str = "jinying"
    # How often the index is compared with the database and what drifted is repaired (scheduled, cluster-wide).
    search_drift_check_seconds: int = 3600
    # Signs sessions, CSRF tokens and one-time codes: a long random value of the deployment's own.
    secret_key: str = ""
    # Encrypts sensitive columns at rest (portal/crypto.py); outside local use it must be set.
    encryption_key: str | None = None
    # Older keys, comma-separated, still read during a rotation (`portal keys rotate`).
    encryption_old_keys: str = ""
    # Where links in PDFs, emails and QR codes point. Unset: the address each request came to (portal serve sets
    # its own address for what it sends outside a request); set it behind a proxy for the scheduler's emails.
    base_url: str | None = None
    default_locale: str = "zh_CN"

    session_max_age_seconds: int = 14 * 24 * 3600
    secure_cookies: bool = False
    # Failed sign-ins per account and source before each next attempt waits, doubling from the base delay.
    login_max_failures: int = 5
    login_window_seconds: int = 900
    login_base_delay_seconds: float = 1.0
    login_max_delay_seconds: float = 900.0
    # Failures on one account (from anywhere) that leave sources it never signed in from a single free attempt.
    login_account_alarm: int = 20
    login_known_source_days: int = 90
    # Sign-ups from one source per hour.
    signup_max_per_hour: int = 10

    # Routes each process runs at once (FastAPI's thread pool); the database pool is sized to cover them.
    request_threads: int = 40

    upload_max_bytes: int = 5 * 1024 * 1024
    # Spreadsheet imports (portal/xlsx.py) stop at the first of these limits they meet, saying which.
    import_max_rows: int = 5_000
    import_max_cells: int = 100_000
    import_max_seconds: float = 10.0
    # Uploaded and generated files: a directory shared by every process (default: data_dir/uploads),
    # or s3://bucket/prefix with the s3_* settings for an S3-compatible service.
    storage_url: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None

    position_reconfirm_days: int = 30
    scheduler_interval_seconds: int = 300
    # Off in web processes when a separate `portal worker` runs the scheduled jobs.
    run_scheduled_jobs: bool = True
    # A retried request whose first attempt committed but kept no answer (its process died) is told so after this.
    idempotency_answer_lost_seconds: int = 30

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "noreply@jinying.local"

    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_display_name: str = "统一身份认证"
    oidc_roles: str = "graduate,officer"
    oidc_scope: str = "openid email profile"
    # Where the provider sends the browser back; unset: derived from the request (register it at the provider).
    oidc_redirect_uri: str | None = None
    # How long a started sign-in may take before the callback refuses it.
    oidc_flow_max_age_seconds: int = 600

    ledger_auto_offers: bool = False
    # Support posts are kept for graduates in the support ledger; the officers may choose to let everyone find them
    # in search (they are still offered only to ledger graduates, and others cannot apply).
    support_posts_in_search: bool = False
    # Invitations to apply one position may send in 24 hours: enough to reach the good fits, too few to spam.
    invitations_per_position_per_day: int = 20
    # Out of 100: a position the matcher rates below this is not offered to a ledger graduate.
    ledger_min_fit: int = 30
    # Live offers of the support ledger per position, per place it has (headcount): one popular post is not
    # promised to everyone.
    ledger_offers_per_headcount: int = 3
    # Minutes before an event starts from which its organiser may check ticket holders in (until it ends).
    fair_check_in_opens_minutes_before: int = 120
    # WebRTC ICE servers for video rooms and live presentations, as the JSON list RTCPeerConnection takes, e.g.
    # [{"urls": "stun:stun.example.cn:3478"}, {"urls": "turn:turn.example.cn:3478", "username": "u", "credential": "p"}]
    webrtc_ice_servers: str = "[]"
    timestamp_url: str | None = None

    @property
    def is_local(self) -> bool:
        return self.environment == LOCAL

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'portal.db').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if settings.is_local and not settings.secret_key:
        settings.secret_key = data_dir_secret(settings.data_dir)
    return settings


class InsecureSecret(RuntimeError):
    """The portal will not start: its secret is missing, short or public."""


def secret_is_strong(secret: str) -> bool:
    return len(secret) >= MIN_SECRET_LENGTH and len(set(secret)) >= 10 and secret.lower() not in PUBLIC_SECRETS


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def data_dir_secret(data_dir: Path) -> str:
    """A random secret kept in the data directory (readable by its owner only), made on first use."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def serving_environment(settings: Settings, *, host: str, demo: bool) -> str | None:
    """The environment a server runs in. The demo on loopback is someone trying the portal on their own machine,
    a local one: with no mail server there, a sign-up that waited for its address to confirm could never finish."""
    if demo and settings.environment is None and is_loopback(host):
        return LOCAL
    return settings.environment


def require_strong_secret(settings: Settings, *, host: str | None = None, demo: bool = False) -> Settings:
    """The settings a server may start with, or InsecureSecret.

    Any bind beyond loopback, and any environment but an explicit local one, needs a strong secret of its own.
    On loopback a local environment, or the demo, may use a random secret kept in the data directory.
    """
    if secret_is_strong(settings.secret_key):
        return settings
    on_loopback = host is None or is_loopback(host)
    if on_loopback and (demo or settings.is_local) and not settings.secret_key:
        return settings.model_copy(update={"secret_key": data_dir_secret(settings.data_dir)})
    if on_loopback and settings.is_local:
        return settings
    where = f"on {host}" if host and not on_loopback else f"with PORTAL_ENVIRONMENT={settings.environment or '(unset)'}"
    problem = "is not set" if not settings.secret_key else "is too short, too simple or public"
    raise InsecureSecret(
        f"refusing to start {where}: PORTAL_SECRET_KEY {problem}. Set it to a random value of at least "
        f"{MIN_SECRET_LENGTH} characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'. "
        f"Only PORTAL_ENVIRONMENT={LOCAL} on a loopback address may run without one."
    )
