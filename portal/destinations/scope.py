"""Which graduates an officer looks after: the schools (or districts) in their scope, or the whole city."""
from dataclasses import dataclass

from sqlalchemy import false, or_
from sqlmodel import Session

from portal.accounts.models import GraduateProfile, Role, User
from portal.accounts.service import officer_scopes


@dataclass(frozen=True)
class Scope:
    city: bool
    schools: frozenset[str]
    districts: frozenset[str]

    def covers(self, profile: GraduateProfile | None, *, school: str | None = None) -> bool:
        if self.city:
            return True
        school = school or (profile.school if profile else None)
        return school in self.schools or bool(profile and profile.district in self.districts)

    def filter(self, query):
        """Narrows a query that selects from GraduateProfile to the graduates in scope."""
        if self.city:
            return query
        conditions = []
        if self.schools:
            conditions.append(GraduateProfile.school.in_(self.schools))
        if self.districts:
            conditions.append(GraduateProfile.district.in_(self.districts))
        if not conditions:
            return query.where(false())
        return query.where(or_(*conditions))


def scope_of(session: Session, user: User) -> Scope:
    if user.role == Role.admin:
        return Scope(True, frozenset(), frozenset())
    if user.role != Role.officer:
        return Scope(False, frozenset(), frozenset())
    scopes = officer_scopes(session, user.id)
    return Scope(
        city=any(s.kind == "city" for s in scopes),
        schools=frozenset(s.value for s in scopes if s.kind == "school"),
        districts=frozenset(s.value for s in scopes if s.kind == "district"),
    )


def is_school_officer(session: Session, user: User, school: str) -> bool:
    """Only an officer of the graduate's own school signs for the school."""
    return user.role == Role.officer and school in scope_of(session, user).schools
