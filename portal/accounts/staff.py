"""The staff administration an administrator does in the portal: officers' and administrators' accounts, their
roles, the schools and districts each officer looks after, and switching accounts off and on. Every change is
audited with what it was before."""
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.accounts.models import Role, User
from portal.accounts.schemas import StaffCreate, StaffUpdate
from portal.audit.service import record
from portal.errors import Conflict, Forbidden, NotFound
from portal.pagination import Page, paginate

STAFF_ROLES = (Role.officer, Role.admin)


@dataclass
class StaffMember:
    user: User
    schools: list[str]
    districts: list[str]
    city_wide: bool

    def scope_summary(self) -> dict:
        return {"schools": self.schools, "districts": self.districts, "city_wide": self.city_wide}


def _require_admin(user: User) -> None:
    if user.role != Role.admin:
        raise Forbidden("Only administrators manage staff accounts.")


def _member(session: Session, user: User) -> StaffMember:
    scopes = accounts.officer_scopes(session, user.id)
    return StaffMember(
        user=user,
        schools=sorted(s.value for s in scopes if s.kind == "school"),
        districts=sorted(s.value for s in scopes if s.kind == "district"),
        city_wide=any(s.kind == "city" for s in scopes),
    )


def list_staff(session: Session, *, admin: User, q: str | None = None, page: int = 1) -> Page:
    """Officers and administrators, active first, then by name; each item a StaffMember."""
    _require_admin(admin)
    statement = select(User).where(User.role.in_(STAFF_ROLES))
    if q:
        pattern = f"%{q.strip().lower()}%"
        statement = statement.where(or_(User.email.like(pattern), User.display_name.like(f"%{q.strip()}%")))
    listing = paginate(session, statement, page=page, order=(User.is_active.desc(), User.display_name, User.id))
    listing.items = [_member(session, user) for user in listing.items]
    return listing


def get_staff(session: Session, *, admin: User, user_id: int) -> StaffMember:
    _require_admin(admin)
    user = session.get(User, user_id)
    if user is None or user.role not in STAFF_ROLES:
        raise NotFound("We could not find that staff account.")
    return _member(session, user)


def create_staff(session: Session, *, admin: User, staff: StaffCreate, ip: str | None = None) -> User:
    _require_admin(admin)
    accounts.refuse_weak_password(staff.password, email=staff.email, display_name=staff.display_name)
    user = accounts.create_user(session, email=staff.email, password=staff.password, role=Role(staff.role),
                                display_name=staff.display_name)
    _set_scopes(session, user.id, staff)
    member = _member(session, user)
    record(session, actor_id=admin.id, action="staff.create", object_type="user", object_id=user.id, ip=ip,
           detail={"role": user.role, "email": user.email, **member.scope_summary()})
    session.commit()
    return user


def update_staff(session: Session, *, admin: User, user_id: int, update: StaffUpdate, ip: str | None = None) -> User:
    """Name, role and scope; an administrator cannot take their own administrator role away."""
    before = get_staff(session, admin=admin, user_id=user_id)
    user = before.user
    if user.id == admin.id and update.role != Role.admin:
        raise Conflict("You cannot take away your own administrator role.", field="role")
    previous = {"display_name": user.display_name, "role": user.role, **before.scope_summary()}
    user.display_name = update.display_name
    user.role = update.role
    _set_scopes(session, user.id, update)
    session.add(user)
    session.flush()
    after = {"display_name": user.display_name, "role": user.role, **_member(session, user).scope_summary()}
    changed = {key: {"from": previous[key], "to": after[key]} for key in after if previous[key] != after[key]}
    record(session, actor_id=admin.id, action="staff.update", object_type="user", object_id=user.id, ip=ip,
           detail=changed)
    session.commit()
    return user


def _set_scopes(session: Session, user_id: int, staff: StaffUpdate) -> None:
    accounts.set_officer_scopes(session, user_id=user_id, schools=staff.schools, districts=staff.districts,
                                city_wide=staff.city_wide)


def set_active(session: Session, *, admin: User, user_id: int, active: bool, ip: str | None = None) -> User:
    """Switches an account off (its sessions and API tokens end at once) or on again."""
    user = get_staff(session, admin=admin, user_id=user_id).user
    if user.id == admin.id and not active:
        raise Conflict("You cannot switch off your own account.")
    if user.is_active == active:
        return user
    user.is_active = active
    session.add(user)
    if not active:
        accounts.revoke_sessions(session, user_id=user.id)
    record(session, actor_id=admin.id, action="staff.activate" if active else "staff.deactivate", object_type="user",
           object_id=user.id, ip=ip)
    session.commit()
    return user
