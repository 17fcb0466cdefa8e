from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow
from portal.crypto import EncryptedText


class Role(StrEnum):
    graduate = "graduate"
    employer = "employer"
    officer = "officer"
    admin = "admin"
    provider = "provider"  # a training provider's staff; its organisation is approved by an officer
    # Invited by an officer (AccountInvitation): a career counsellor who offers guidance, a competition judge.
    counsellor = "counsellor"
    judge = "judge"


class Degree(StrEnum):
    secondary = "secondary"  # 中专 / 职业高中
    technical = "technical"  # 技工学校 (中级工、高级工)
    associate = "associate"
    bachelor = "bachelor"
    master = "master"
    doctorate = "doctorate"


# Secondary vocational and technical-school graduates rank with "no requirement": a position asking for either is
# open to everyone, and they qualify for positions without a higher requirement.
DEGREE_RANK = {Degree.secondary: 0, Degree.technical: 0, Degree.associate: 1, Degree.bachelor: 2,
               Degree.master: 3, Degree.doctorate: 4}


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    role: str = Field(max_length=16, index=True)
    display_name: str = Field(max_length=100)
    locale: str | None = Field(default=None, max_length=8)
    is_active: bool = True
    # Bumped on password change and logout-everywhere; sessions and tokens carry it.
    session_epoch: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class GraduateProfile(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    school: str = Field(max_length=100, index=True)
    student_number: str = Field(max_length=40)
    major: str = Field(max_length=100, index=True)
    degree: str = Field(max_length=16)
    graduation_year: int
    phone: str | None = Field(default=None, max_length=20)
    district: str | None = Field(default=None, max_length=20)
    # Employers may find the graduate among suggested candidates only when this is on.
    discoverable: bool = False
    # Sensitive (the graduate's own statement): only the graduate and officers in scope see it, never employers;
    # recommendations and candidate lists then propose accessible workplaces only.
    needs_accessible: bool = False
    accessibility_note: str | None = Field(default=None, max_length=500, sa_column=Column(EncryptedText))


class OfficerScope(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "kind", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=16)  # "school", "district" or "city"
    value: str = Field(max_length=100)


class OidcIdentity(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class LoginAttempt(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True)
    succeeded: bool = False
    created_at: datetime = Field(default_factory=utcnow, index=True)


class SignInKind(StrEnum):
    browser = "browser"
    api = "api"


class UserSession(SQLModel, table=True):
    """A signed-in browser or an API token: the server's record, so signing out and password changes end it.

    Only a hash of the token is kept; the browser holds the token in its signed session cookie, an API client as
    its Bearer token.
    """
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    name: str | None = Field(default=None, max_length=100)
    session_epoch: int = 0
    ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class PendingSignup(SQLModel, table=True):
    """A sign-up waiting for its address to be confirmed (the link in the email); the account is made then.

    Sign-up answers the same whether or not the address already has an account; only the mailbox learns which.
    """
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(max_length=254, index=True)
    password_hash: str = Field(max_length=255)
    # The account to make: a graduate, or an employer's or training provider's first account with its organisation.
    role: str = Field(default="graduate", max_length=20)
    profile: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class AccountInvitation(SQLModel, table=True):
    """An account an officer opened for someone (a career counsellor, a judge): the link in the invitation sets its
    first password. Only a hash of the link's token is kept."""
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    invited_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    accepted_at: datetime | None = None
