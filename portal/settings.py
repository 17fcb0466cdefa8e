"""The portal's whole configuration, read once from PORTAL_* environment variables."""
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-local-only"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", env_file=".env", extra="ignore")

    environment: str = "local"
    data_dir: Path = Path("var")
    database_url: str | None = None
    search_url: str | None = None
    search_index_prefix: str = "jinying"
    # How often the index is compared with the database and what drifted is repaired (scheduled, cluster-wide).
    search_drift_check_seconds: int = 3600
    secret_key: str = DEFAULT_SECRET
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
    login_max_failures: int = 5
    login_window_seconds: int = 900

    upload_max_bytes: int = 5 * 1024 * 1024
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
    # WebRTC ICE servers for video rooms and live presentations, as the JSON list RTCPeerConnection takes, e.g.
    # [{"urls": "stun:stun.example.cn:3478"}, {"urls": "turn:turn.example.cn:3478", "username": "u", "credential": "p"}]
    webrtc_ice_servers: str = "[]"
    timestamp_url: str | None = None

    @model_validator(mode="after")
    def refuse_default_secret_outside_local(self) -> "Settings":
        if self.environment != "local" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("PORTAL_SECRET_KEY must be set outside local use")
        return self

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
    return Settings()
