"""Who an officer looks after: the graduates of the schools and districts in their scope, the organisations of
their districts, or everyone in the city. An authorization rule, written once here and used by every domain for
lists, counts and exports (as SQL conditions) and for single objects (as a check that answers NotFound).

A graduate is judged by their profile (the school and district on record), never by a copy cached elsewhere.

    scope = scope_of(session, officer)
    statement = statement.where(scope.graduate_ids(LedgerCase.graduate_id))
    profile = graduate_in_scope(session, officer, graduate_id)     # NotFound when out of scope
"""
from dataclasses import dataclass

from sqlalchemy import false, or_, select as sql_select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, OfficerScope, Role, User
from portal.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Scope:
    city: bool = False
    schools: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()

    # ---- single objects
    def covers_graduate(self, profile: GraduateProfile | None) -> bool:
        if profile is None:
            return False
        return self.city or profile.school in self.schools or profile.district in self.districts

    def covers_school(self, school: str | None) -> bool:
        return self.city or school in self.schools

    def covers_district(self, *districts: str | None) -> bool:
        """An organisation (or position) in one of `districts`; officers of schools alone oversee none."""
        return self.city or any(district in self.districts for district in districts)

    # ---- SQL conditions
    def graduates(self) -> ColumnElement[bool]:
        """The graduates in scope, as a condition on GraduateProfile (the statement selects or joins it)."""
        if self.city:
            return true()
        conditions = []
        if self.schools:
            conditions.append(GraduateProfile.school.in_(self.schools))
        if self.districts:
            conditions.append(GraduateProfile.district.in_(self.districts))
        return or_(*conditions) if conditions else false()

    def graduate_ids(self, column) -> ColumnElement[bool]:
        """`column` (a graduate's user id) belongs to a graduate in scope, for statements without the profile."""
        if self.city:
            return true()
        return column.in_(sql_select(GraduateProfile.user_id).where(self.graduates()))

    def organizations(self, *district_columns) -> ColumnElement[bool]:
        """Organisations (or positions) whose district — any of `district_columns` — is in scope."""
        if self.city:
            return true()
        if not self.districts:
            return false()
        return or_(*(column.in_(self.districts) for column in district_columns))


NO_SCOPE = Scope()
CITY = Scope(city=True)


def scope_of(session: Session, user: User | None) -> Scope:
    """An admin sees the whole city; an officer what their scope rows say; anyone else nothing."""
    if user is None or user.role not in (Role.officer, Role.admin):
        return NO_SCOPE
    if user.role == Role.admin:
        return CITY
    rows = session.exec(select(OfficerScope).where(OfficerScope.user_id == user.id)).all()
    return Scope(
        city=any(row.kind == "city" for row in rows),
        schools=frozenset(row.value for row in rows if row.kind == "school"),
        districts=frozenset(row.value for row in rows if row.kind == "district"),
    )


def officer_scope(session: Session, user: User | None) -> Scope:
    """The scope of an officer or admin, for services only they may call; anyone else is refused."""
    if user is None or user.role not in (Role.officer, Role.admin):
        raise Forbidden("This page is for employment officers.")
    return scope_of(session, user)


def graduate_in_scope(
    session: Session, officer: User, graduate_id: int, *, message: str = "We could not find that graduate."
) -> GraduateProfile:
    """The graduate's profile when the officer covers them; otherwise NotFound, exactly as for a missing graduate."""
    profile = session.get(GraduateProfile, graduate_id)
    if not scope_of(session, officer).covers_graduate(profile):
        raise NotFound(message)
    return profile


def school_officers(session: Session, school: str) -> list[User]:
    """The officers who speak for a school (who sign and decide for it), city-wide officers not included."""
    return list(session.exec(
        select(User).join(OfficerScope, OfficerScope.user_id == User.id)
        .where(OfficerScope.kind == "school", OfficerScope.value == school, User.role == Role.officer)
    ))


def is_school_officer(session: Session, user: User, school: str) -> bool:
    """Only an officer of the graduate's own school signs for the school (a city-wide scope is not enough)."""
    return user.role == Role.officer and school in scope_of(session, user).schools
