"""Accounts: sign-up, sign-in with throttling, server-side sessions and API tokens, passwords, officers' scopes."""
import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import delete, func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from portal.accounts.models import (
    AccountInvitation, GraduateProfile, LoginAttempt, OfficerScope, PendingSignup, Role, SignInKind, User, UserSession,
)
from portal.accounts.schemas import GraduateSignup, OfficerCreate
from portal.clock import utcnow
from portal.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound, TooManyRequests
from portal.security import MIN_PASSWORD_LENGTH, hash_password, new_token, token_digest, verify_password
from portal.notifications import service as notifications
from portal.settings import Settings
from portal.web import absolute_url

COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
# last_used_at is written at most this often, not on every request.
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
SIGNUP_LINK_LIFETIME = timedelta(hours=24)
INVITATION_LIFETIME = timedelta(days=14)
# Accounts an officer opens for someone outside the portal's staff; they set their own password from the link.
INVITED_ROLES = (Role.counsellor, Role.judge)
# Ended sessions and tokens stay on record this long (who was signed in from where), then go.
ENDED_SESSIONS_KEPT = timedelta(days=30)
PROFILE_FIELDS = ("school", "student_number", "major", "degree", "graduation_year")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def create_user(session: Session, *, email: str, password: str | None, role: Role, display_name: str) -> User:
    if get_user_by_email(session, email):
        raise Conflict("An account with this email already exists.", field="email")
    if password:
        refuse_weak_password(password, email=email, display_name=display_name)
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password) if password else None,
        role=role,
        display_name=display_name.strip(),
    )
    session.add(user)
    session.flush()
    return user


def register_graduate(session: Session, *, signup: GraduateSignup, settings: Settings | None = None,
                      ip: str | None = None) -> User:
    """A graduate account made at once; from the web (a source `ip` given) at most `signup_max_per_hour` per source."""
    if settings is not None and ip is not None:
        _count_signup(session, settings=settings, ip=ip)
    user = create_user(
        session, email=signup.email, password=signup.password, role=Role.graduate, display_name=signup.display_name
    )
    _add_graduate_profile(session, user, signup.model_dump(mode="json"))
    session.commit()
    return user


def _add_graduate_profile(session: Session, user: User, fields: dict) -> None:
    session.add(GraduateProfile(user_id=user.id, **{k: fields[k] for k in PROFILE_FIELDS}))


# How a confirmed sign-up of each role is completed once its account exists: role -> finish(session, user, profile).
# The employers and training domains register their own at start-up (their listeners.register()).
SIGNUP_FINISHERS: dict[str, Callable[[Session, User, dict], None]] = {Role.graduate: _add_graduate_profile}


def confirms_by_mail(settings: Settings) -> bool:
    """Whether a sign-up waits for its address to confirm. Making an account at once tells anyone whether an
    address already had one, which only a developer's machine without a mail server may put up with."""
    return bool(settings.smtp_host) or not settings.is_local


def request_signup(session: Session, *, settings: Settings, role: Role, email: str, password: str, display_name: str,
                   profile: dict, ip: str) -> None:
    """A sign-up the address must confirm: the same answer whether or not the address has an account, and only
    the mailbox learns which (a link to finish signing up, or a note that an account already exists)."""
    _count_signup(session, settings=settings, ip=ip)
    refuse_weak_password(password, email=email, display_name=display_name)
    email = normalize_email(email)
    # Hashed whether or not it is kept, so the answer takes as long either way.
    password_hash = hash_password(password)
    if get_user_by_email(session, email):
        _mail(session, settings, email, "Someone tried to sign up with your email address",
              "An account with this address already exists. If that was you, sign in with your password. "
              "If it was not, you can ignore this email.")
    else:
        token = new_token()
        session.add(PendingSignup(token_hash=token_digest(token), email=email, password_hash=password_hash,
                                  role=role, profile={**profile, "display_name": display_name},
                                  expires_at=utcnow() + SIGNUP_LINK_LIFETIME))
        _mail(session, settings, email, "Confirm your email address to finish signing up",
              "Open this link within %(hours)s hours and press the button on the page it opens to finish signing "
              "up for Jinying:\n\n%(link)s",
              hours=int(SIGNUP_LINK_LIFETIME.total_seconds() // 3600),
              link=absolute_url(settings, f"/signup/confirm/{token}"))
    session.commit()


def request_graduate_signup(session: Session, *, settings: Settings, signup: GraduateSignup, ip: str) -> None:
    request_signup(session, settings=settings, role=Role.graduate, email=signup.email, password=signup.password,
                   display_name=signup.display_name, profile=signup.model_dump(mode="json", include=set(PROFILE_FIELDS)),
                   ip=ip)


def signup_link(session: Session, *, token: str) -> PendingSignup | None:
    """The sign-up a link finishes, while it can still be used (None: used, expired or never made). Only reads, so
    a mail scanner that opens the link first leaves it for the person."""
    pending = session.exec(select(PendingSignup).where(PendingSignup.token_hash == token_digest(token))).first()
    return pending if pending is not None and pending.expires_at > utcnow() else None


def confirm_signup(session: Session, *, token: str) -> User | None:
    """Makes the account a confirmed sign-up asked for (with its organisation, for an employer or a provider); the
    link works once. None when it can no longer be used (used, expired or never made)."""
    # Locked, so the same link confirmed twice at once makes one account: the second finds the row gone.
    pending = session.exec(select(PendingSignup).where(PendingSignup.token_hash == token_digest(token))
                           .with_for_update()).first()
    if pending is None or pending.expires_at <= utcnow():
        session.rollback()
        return None
    try:
        user = create_user(session, email=pending.email, password=None, role=Role(pending.role),
                           display_name=pending.profile["display_name"])
        user.password_hash = pending.password_hash
        SIGNUP_FINISHERS[pending.role](session, user, pending.profile)
        session.exec(delete(PendingSignup).where(PendingSignup.email == pending.email))
        session.commit()
    except IntegrityError:  # a database without row locks (SQLite): the other confirmation made the account first
        session.rollback()
        return None
    return user


def _mail(session: Session, settings: Settings, to: str, subject: str, body: str, **params) -> None:
    locale = settings.default_locale
    notifications.email(session, settings=settings, to=to, subject=notifications.translate(subject, {}, locale),
                        body=notifications.translate(body, params, locale))


def _count_signup(session: Session, *, settings: Settings, ip: str) -> None:
    key = f"signup:{ip}"
    recent = session.exec(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.key == key, LoginAttempt.created_at > utcnow() - timedelta(hours=1))).one()
    if recent >= settings.signup_max_per_hour:
        raise TooManyRequests("Too many sign-ups from here. Please try again in an hour.", retry_after=3600)
    _note_attempts(session, [key], succeeded=True, now=utcnow())
    session.commit()


def _note_attempts(session: Session, keys: list[str], *, succeeded: bool, now: datetime) -> None:
    """Records attempts for the throttles. Core inserts, not ORM changes: bookkeeping that must not carry the
    request's Idempotency-Key claim (portal/idempotency.py watches ORM writes), so a refusal stays retryable."""
    session.connection().execute(insert(LoginAttempt), [{"key": k, "succeeded": succeeded, "created_at": now}
                                                         for k in keys])


def create_officer(session: Session, *, officer: OfficerCreate, role: Role = Role.officer) -> User:
    user = create_user(
        session, email=officer.email, password=officer.password, role=role, display_name=officer.display_name
    )
    set_officer_scopes(session, user_id=user.id, schools=officer.schools, districts=officer.districts,
                       city_wide=officer.city_wide)
    session.commit()
    return user


def set_officer_scopes(session: Session, *, user_id: int, schools: list[str], districts: list[str],
                       city_wide: bool) -> None:
    """Replaces what the officer looks after (in the caller's transaction)."""
    session.exec(delete(OfficerScope).where(OfficerScope.user_id == user_id))
    scopes = [("school", s) for s in schools] + [("district", d) for d in districts]
    if city_wide:
        scopes.append(("city", "天津市"))
    session.add_all(OfficerScope(user_id=user_id, kind=kind, value=value) for kind, value in dict.fromkeys(scopes))


def officer_scopes(session: Session, officer_id: int) -> list[OfficerScope]:
    return list(session.exec(select(OfficerScope).where(OfficerScope.user_id == officer_id)))


# ---- passwords -------------------------------------------------------------------------------------------------
@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def refuse_weak_password(password: str, *, email: str, display_name: str = "", field: str = "password") -> None:
    """NIST SP 800-63B: long enough, not a commonly used password, not made of the account's own email or name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("Use at least %(count)s characters.", field=field, count=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 3:
        raise Invalid("This password is too common. Choose one that is harder to guess.", field=field)
    personal = [normalize_email(email), normalize_email(email).partition("@")[0], *re.split(r"\s+", display_name.lower())]
    if any(len(word) >= 3 and word in lowered for word in personal):
        raise Invalid("Do not build your password from your email address or name.", field=field)


def change_password(session: Session, *, user: User, current_password: str, new_password: str) -> User:
    """A new password ends every session and API token of the account; the caller starts a new session."""
    if not verify_password(user.password_hash, current_password):
        raise Invalid("Your current password is not correct.", field="current_password")
    refuse_weak_password(new_password, email=user.email, display_name=user.display_name, field="new_password")
    _replace_password(session, user, new_password)
    return user


def set_password(session: Session, *, email: str, password: str) -> User:
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFound("No account has this email.")
    refuse_weak_password(password, email=user.email, display_name=user.display_name)
    _replace_password(session, user, password)
    return user


def _replace_password(session: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    revoke_sessions(session, user_id=user.id)
    session.add(user)
    session.commit()


# ---- signing in: throttled by account and source together -----------------------------------------------------
def _failures_since_success(session: Session, key: str, since: datetime) -> tuple[int, datetime | None]:
    """Failed attempts under `key` since `since` and since its last success: (how many, when the last was)."""
    last_success = session.exec(
        select(func.max(LoginAttempt.created_at)).where(LoginAttempt.key == key, LoginAttempt.succeeded.is_(True))
    ).one()
    if last_success is not None and last_success > since:
        since = last_success
    count, last = session.exec(
        select(func.count(), func.max(LoginAttempt.created_at))
        .where(LoginAttempt.key == key, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= since)
    ).one()
    return count, last


def _known_source(session: Session, pair_key: str, since: datetime) -> bool:
    return session.exec(
        select(LoginAttempt.id).where(LoginAttempt.key == pair_key, LoginAttempt.succeeded.is_(True),
                                      LoginAttempt.created_at >= since).limit(1)
    ).first() is not None


def _delay(failures: int, free: int, settings: Settings) -> float:
    """Seconds to wait after the last failure: none for the first `free` failures, then doubling, capped."""
    if failures < free:
        return 0.0
    return min(settings.login_max_delay_seconds, settings.login_base_delay_seconds * 2 ** (failures - free))


def sign_in_wait(session: Session, *, settings: Settings, email: str, ip: str) -> float:
    """How long this account, from this source, must still wait before its next attempt (0: go ahead).

    Failures count per account *and* source, so nobody can lock an account from elsewhere. While an account is
    under attack from many sources, a source that never signed in to it gets a single free attempt, then waits.
    A source failing across many accounts waits too.
    """
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    email = normalize_email(email)
    pair_key, ip_key, account_key = f"pair:{email}|{ip}", f"ip:{ip}", f"email:{email}"
    pair_failures, pair_last = _failures_since_success(session, pair_key, since)
    free = settings.login_max_failures
    if pair_failures < free:
        account_failures, _ = _failures_since_success(session, account_key, since)
        if account_failures >= settings.login_account_alarm and not _known_source(
                session, pair_key, now - timedelta(days=settings.login_known_source_days)):
            free = 1
    waits = [0.0]
    if pair_last is not None:
        waits.append(_delay(pair_failures, free, settings) - (now - pair_last).total_seconds())
    ip_failures, ip_last = _failures_since_success(session, ip_key, since)
    if ip_last is not None:
        waits.append(_delay(ip_failures, settings.login_max_failures * 4, settings) - (now - ip_last).total_seconds())
    return max(waits)


def authenticate(session: Session, *, settings: Settings, email: str, password: str, ip: str) -> User:
    """Checks a password. Every attempt is recorded (in the database, so the throttle holds across processes);
    an unknown account takes as long to refuse as a wrong password."""
    wait = sign_in_wait(session, settings=settings, email=email, ip=ip)
    if wait > 0:
        seconds = math.ceil(wait)
        raise TooManyRequests("Too many failed sign-in attempts. Please wait %(seconds)s seconds and try again.",
                              seconds=seconds, retry_after=seconds)
    email = normalize_email(email)
    user = get_user_by_email(session, email)
    succeeded = verify_password(user.password_hash if user else None, password) and user.is_active
    now = utcnow()
    _note_attempts(session, [f"pair:{email}|{ip}", f"ip:{ip}", f"email:{email}"], succeeded=succeeded, now=now)
    if succeeded:
        user.last_login_at = now
    session.commit()
    if not succeeded:
        raise NotAuthenticated("The email or password is not correct.")
    return user


# ---- sessions and API tokens ------------------------------------------------------------------------------------
def open_session(session: Session, *, settings: Settings, user: User, kind: SignInKind, ip: str | None = None,
                 name: str | None = None) -> str:
    """Records a new browser session or API token and returns the token itself (shown once, stored hashed)."""
    token = new_token()
    now = utcnow()
    session.add(UserSession(
        user_id=user.id, kind=kind, token_hash=token_digest(token), name=name, session_epoch=user.session_epoch,
        ip=ip, created_at=now, last_used_at=now, expires_at=now + timedelta(seconds=settings.session_max_age_seconds),
    ))
    session.commit()
    return token


def user_for_token(session: Session, *, token: str, kind: SignInKind) -> User | None:
    """The active user a live (not revoked, not expired) session or token belongs to."""
    now = utcnow()
    row = session.exec(select(UserSession).where(UserSession.token_hash == token_digest(token),
                                                 UserSession.kind == kind)).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or user.session_epoch != row.session_epoch:
        return None
    if row.last_used_at <= now - SESSION_TOUCH_INTERVAL:
        # A Core statement rather than an ORM change: this bookkeeping is not the request's own work, and must not
        # carry its Idempotency-Key claim (portal/idempotency.py watches ORM writes).
        session.connection().execute(update(UserSession).where(UserSession.id == row.id).values(last_used_at=now))
    return user


def close_session(session: Session, *, token: str) -> None:
    """Signing out: the session's cookie, wherever a copy of it is, no longer signs anyone in."""
    session.exec(update(UserSession).where(UserSession.token_hash == token_digest(token),
                                           UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))
    session.commit()


def revoke_sessions(session: Session, *, user_id: int) -> None:
    """Ends every browser session and API token of the user (in the caller's transaction)."""
    session.exec(update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
                 .values(revoked_at=utcnow()))


def api_tokens(session: Session, *, user: User) -> list[UserSession]:
    """The user's API tokens still in force, newest first."""
    return list(session.exec(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.kind == SignInKind.api,
                                  UserSession.revoked_at.is_(None), UserSession.expires_at > utcnow(),
                                  UserSession.session_epoch == user.session_epoch)
        .order_by(UserSession.id.desc())
    ))


def revoke_api_token(session: Session, *, user: User, token_id: int) -> None:
    row = session.get(UserSession, token_id)
    if row is None or row.user_id != user.id or row.kind != SignInKind.api or row.revoked_at is not None:
        raise NotFound("We could not find that API token.")
    row.revoked_at = utcnow()
    session.add(row)
    session.commit()


def purge_expired_job(session: Session, *, settings: Settings, search=None) -> None:
    """Scheduled: forgets sessions and tokens ended a while ago, sign-in attempts older than any throttle or
    known-source look-back uses, and sign-ups whose link lapsed."""
    now = utcnow()
    ended_before = now - ENDED_SESSIONS_KEPT
    session.exec(delete(UserSession).where(or_(UserSession.expires_at < ended_before,
                                               UserSession.revoked_at < ended_before)))
    session.exec(delete(LoginAttempt).where(
        LoginAttempt.created_at < now - timedelta(days=settings.login_known_source_days)))
    session.exec(delete(PendingSignup).where(PendingSignup.expires_at < now))
    session.commit()


def graduate_profile(session: Session, user_id: int) -> GraduateProfile:
    profile = session.get(GraduateProfile, user_id)
    if profile is None:
        raise NotFound("This graduate has not completed their profile.")
    return profile


# ---- invited accounts (career counsellors, judges) ---------------------------------------------------------------
def invite_account(session: Session, *, settings: Settings, inviter: User, email: str, display_name: str,
                   role: Role) -> tuple[User, str | None]:
    """(the account, the link that sets its first password) for a counsellor or judge an officer brings in; the link
    is emailed too. Someone who already holds an account of that role keeps it (link None): an officer brings a judge
    into another competition, say. In the caller's transaction."""
    if inviter.role not in (Role.officer, Role.admin):
        raise Forbidden("Only officers invite counsellors and judges.")
    if role not in INVITED_ROLES:
        raise Invalid("Choose one of the options.", field="role")
    existing = get_user_by_email(session, email)
    if existing is not None:
        if existing.role != role or not existing.is_active:
            raise Conflict("An account with this email already exists.", field="email")
        return existing, None
    user = create_user(session, email=email, password=None, role=role, display_name=display_name)
    token = new_token()
    session.add(AccountInvitation(user_id=user.id, token_hash=token_digest(token), invited_by_id=inviter.id,
                                  expires_at=utcnow() + INVITATION_LIFETIME))
    link = absolute_url(settings, f"/invitation/{token}")
    _mail(session, settings, user.email, "You are invited to Jinying",
          "%(inviter)s opened an account for you on Jinying. Open this link within %(days)s days to choose your "
          "password:\n\n%(link)s", inviter=inviter.display_name, days=INVITATION_LIFETIME.days, link=link)
    return user, link


def open_invitation(session: Session, *, token: str) -> tuple[AccountInvitation, User]:
    """The invitation a link carries, while it is unused and in time."""
    invitation = session.exec(select(AccountInvitation).where(AccountInvitation.token_hash == token_digest(token))).first()
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        raise NotFound("This invitation link is not valid or has expired. Ask the officer who invited you.")
    return invitation, session.get(User, invitation.user_id)


def accept_invitation(session: Session, *, token: str, password: str) -> User:
    """Sets the invited account's first password; the link works once."""
    invitation, user = open_invitation(session, token=token)
    refuse_weak_password(password, email=user.email, display_name=user.display_name)
    invitation.accepted_at = utcnow()
    session.add(invitation)
    _replace_password(session, user, password)
    return user
