"""Single sign-on through an OpenID Connect provider: the client, and the rules for linking accounts.

The flow is authorization code with PKCE (S256); Authlib checks state, the nonce and the ID token's
signature against the provider's JWKS. Its per-flow data (state, nonce, code verifier) lives in the
signed session cookie, so any portal process can finish a flow another one started.
Accounts link by an already linked (issuer, subject) pair, or else by a verified email address.
Nobody is created silently: an unknown email gets a page that explains what to do.
"""
import time
from dataclasses import dataclass

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import FastAPI
from sqlmodel import Session, select

from portal import events
from portal.accounts.models import OidcIdentity, Role, User
from portal.accounts.service import get_user_by_email
from portal.audit.service import record
from portal.clock import utcnow
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.settings import Settings

CLIENT_NAME = "oidc"
# Roles that may ever use single sign-on, whatever PORTAL_OIDC_ROLES says: employers sign in with a password.
SSO_CAPABLE_ROLES = {Role.graduate, Role.officer, Role.admin}


class SsoRefused(Exception):
    """Single sign-on cannot go on; `reason` picks the page shown, `message` is an English msgid."""

    def __init__(self, reason: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.params = params


@dataclass
class UnknownAccount(Exception):
    """The provider vouched for an email that no portal account uses."""

    email: str
    name: str


def allowed_roles(settings: Settings) -> set[Role]:
    roles = {Role(r.strip()) for r in settings.oidc_roles.split(",") if r.strip() in Role.__members__}
    return roles & SSO_CAPABLE_ROLES


def client(app: FastAPI):
    """The Authlib client for the configured provider, built once per app (it caches discovery and JWKS)."""
    oidc_client = getattr(app.state, "oidc_client", None)
    if oidc_client is None:
        settings: Settings = app.state.settings
        oidc_client = OAuth().register(
            name=CLIENT_NAME,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": settings.oidc_scope, "code_challenge_method": "S256", "timeout": 10},
        )
        oidc_client.framework.expires_in = settings.oidc_flow_max_age_seconds
        app.state.oidc_client = oidc_client
    return oidc_client


def flow_expired(session_data: dict, state: str | None) -> bool:
    """True when the session holds this flow but it is older than its allowed age."""
    entry = session_data.get(f"_state_{CLIENT_NAME}_{state}") if state else None
    return bool(entry) and entry.get("exp", 0) < time.time()


def claims_email_verified(claims: dict) -> bool:
    verified = claims.get("email_verified")
    return verified is True or (isinstance(verified, str) and verified.lower() == "true")


def _check_role(user: User, settings: Settings) -> None:
    if not user.is_active:
        raise SsoRefused("inactive", "This account has been disabled.")
    if Role(user.role) not in allowed_roles(settings):
        raise SsoRefused(
            "role", "Single sign-on is not available for %(role)s accounts. Please sign in with your password.",
            role=user.role,
        )


def find_identity(session: Session, *, issuer: str, subject: str) -> OidcIdentity | None:
    return session.exec(
        select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    ).first()


def identities_of(session: Session, *, user_id: int) -> list[OidcIdentity]:
    return list(session.exec(select(OidcIdentity).where(OidcIdentity.user_id == user_id).order_by(OidcIdentity.id)))


def sign_in(session: Session, *, settings: Settings, issuer: str, claims: dict, ip: str | None = None) -> User:
    """The account the provider's (validated) ID token claims stand for, linking it on first use.

    Raises SsoRefused, or UnknownAccount when a verified email matches nobody.
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SsoRefused("claims", "The identity provider did not say who you are.")
    identity = find_identity(session, issuer=issuer, subject=subject)
    if identity is not None:
        user = session.get(User, identity.user_id)
        _check_role(user, settings)
    else:
        email = str(claims.get("email") or "").strip()
        if not email or not claims_email_verified(claims):
            raise SsoRefused(
                "unverified",
                "The identity provider has not verified your email address, so we cannot match it to an account. "
                "Sign in with your password, then link single sign-on from your account page.",
            )
        user = get_user_by_email(session, email)
        if user is None:
            raise UnknownAccount(email=email.lower(), name=str(claims.get("name") or ""))
        _check_role(user, settings)
        if any(i.issuer == issuer for i in identities_of(session, user_id=user.id)):
            raise SsoRefused(
                "other_subject",
                "This account is already linked to a different identity at the provider. "
                "Sign in with your password to review the link.",
            )
        _link(session, user=user, issuer=issuer, subject=subject, how="email", ip=ip)
    user.last_login_at = utcnow()
    session.add(user)
    record(session, actor_id=user.id, action="oidc.sign_in", object_type="user", object_id=user.id,
           subject_user_id=user.id, detail={"issuer": issuer}, ip=ip)
    events.emit(events.SSO_SIGNED_IN, session, (user, claims))
    session.commit()
    return user


def _link(session: Session, *, user: User, issuer: str, subject: str, how: str, ip: str | None) -> OidcIdentity:
    identity = OidcIdentity(user_id=user.id, issuer=issuer, subject=subject)
    session.add(identity)
    session.flush()
    record(session, actor_id=user.id, action="oidc.link", object_type="oidc_identity", object_id=identity.id,
           subject_user_id=user.id, detail={"issuer": issuer, "subject": subject, "by": how}, ip=ip)
    return identity


def link(session: Session, *, settings: Settings, user: User, issuer: str, claims: dict,
         ip: str | None = None) -> OidcIdentity:
    """Links the provider identity to the signed-in user (who proved both sides)."""
    _check_role(user, settings)
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SsoRefused("claims", "The identity provider did not say who you are.")
    existing = find_identity(session, issuer=issuer, subject=subject)
    if existing is not None:
        if existing.user_id != user.id:
            raise Conflict("This identity is already linked to another account.")
        return existing
    if any(i.issuer == issuer for i in identities_of(session, user_id=user.id)):
        raise Conflict("Your account is already linked to another identity at this provider. Unlink it first.")
    identity = _link(session, user=user, issuer=issuer, subject=subject, how="signed_in", ip=ip)
    session.commit()
    return identity


def unlink(session: Session, *, user: User, identity_id: int, ip: str | None = None) -> None:
    identity = session.get(OidcIdentity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise NotFound("We could not find that linked identity.")
    if not user.password_hash and len(identities_of(session, user_id=user.id)) == 1:
        raise Invalid("Set a password before removing your only way to sign in.")
    record(session, actor_id=user.id, action="oidc.unlink", object_type="oidc_identity", object_id=identity.id,
           subject_user_id=user.id, detail={"issuer": identity.issuer, "subject": identity.subject}, ip=ip)
    session.delete(identity)
    session.commit()


def require_enabled(settings: Settings) -> None:
    if not settings.oidc_enabled:
        raise NotFound("Single sign-on is not configured.")


def require_linkable(user: User, settings: Settings) -> None:
    if Role(user.role) not in allowed_roles(settings):
        raise Forbidden("Single sign-on is not available for %(role)s accounts. Please sign in with your password.",
                        role=user.role)


__all__ = [
    "OAuthError", "SsoRefused", "UnknownAccount", "client", "sign_in", "link", "unlink", "identities_of",
    "flow_expired", "allowed_roles", "require_enabled", "require_linkable",
]
