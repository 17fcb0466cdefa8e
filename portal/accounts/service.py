"""Accounts: sign-up, sign-in with rate limiting, passwords, officers and their scopes."""
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, LoginAttempt, OfficerScope, Role, User
from portal.accounts.schemas import GraduateSignup, OfficerCreate
from portal.clock import utcnow
from portal.errors import Conflict, Invalid, NotAuthenticated, NotFound, TooManyRequests
from portal.security import hash_password, verify_password
from portal.settings import Settings


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def create_user(session: Session, *, email: str, password: str | None, role: Role, display_name: str) -> User:
    if get_user_by_email(session, email):
        raise Conflict("An account with this email already exists.", field="email")
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password) if password else None,
        role=role,
        display_name=display_name.strip(),
    )
    session.add(user)
    session.flush()
    return user


def register_graduate(session: Session, *, signup: GraduateSignup) -> User:
    user = create_user(
        session, email=signup.email, password=signup.password, role=Role.graduate, display_name=signup.display_name
    )
    session.add(
        GraduateProfile(
            user_id=user.id,
            school=signup.school,
            student_number=signup.student_number,
            major=signup.major,
            degree=signup.degree,
            graduation_year=signup.graduation_year,
        )
    )
    session.commit()
    return user


def create_officer(session: Session, *, officer: OfficerCreate, role: Role = Role.officer) -> User:
    user = create_user(
        session, email=officer.email, password=officer.password, role=role, display_name=officer.display_name
    )
    scopes = [("school", s) for s in officer.schools] + [("district", d) for d in officer.districts]
    if officer.city_wide:
        scopes.append(("city", "天津市"))
    for kind, value in dict.fromkeys(scopes):
        session.add(OfficerScope(user_id=user.id, kind=kind, value=value))
    session.commit()
    return user


def officer_scopes(session: Session, officer_id: int) -> list[OfficerScope]:
    return list(session.exec(select(OfficerScope).where(OfficerScope.user_id == officer_id)))


def _recent_failures(session: Session, key: str, since) -> int:
    return session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.created_at >= since, LoginAttempt.succeeded.is_(False))
    ).one()


def authenticate(session: Session, *, settings: Settings, email: str, password: str, ip: str) -> User:
    """Checks a password; too many failures for one account or one address lock sign-in for a while.

    Attempts live in the database so the limit holds across every portal process.
    """
    keys = [f"email:{normalize_email(email)}", f"ip:{ip}"]
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    limits = [settings.login_max_failures, settings.login_max_failures * 4]
    if any(_recent_failures(session, key, since) >= limit for key, limit in zip(keys, limits)):
        raise TooManyRequests("Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again.",
                              minutes=settings.login_window_seconds // 60)
    user = get_user_by_email(session, email)
    succeeded = bool(user and user.is_active and verify_password(user.password_hash, password))
    session.add_all(LoginAttempt(key=key, succeeded=succeeded) for key in keys)
    if succeeded:
        user.last_login_at = utcnow()
    session.commit()
    if not succeeded:
        raise NotAuthenticated("The email or password is not correct.")
    return user


def change_password(session: Session, *, user: User, current_password: str, new_password: str) -> User:
    if not verify_password(user.password_hash, current_password):
        raise Invalid("Your current password is not correct.", field="current_password")
    user.password_hash = hash_password(new_password)
    user.session_epoch += 1
    session.add(user)
    session.commit()
    return user


def set_password(session: Session, *, email: str, password: str) -> User:
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFound("No account has this email.")
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    session.commit()
    return user


def graduate_profile(session: Session, user_id: int) -> GraduateProfile:
    profile = session.get(GraduateProfile, user_id)
    if profile is None:
        raise NotFound("This graduate has not completed their profile.")
    return profile
