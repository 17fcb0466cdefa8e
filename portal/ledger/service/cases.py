"""Reaching a case: who may (the officer's scope, judged by the graduate's profile), the audit of every read and
change, the priority categories, finding a graduate, and the graduate's in-app notices."""
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, Role, User
from portal.audit.service import record
from portal.errors import Conflict, Invalid, NotFound
from portal.ledger.models import DEFAULT_CATEGORIES, CaseStatus, LedgerCase, LedgerCategory
from portal.notifications import service as notifications
from portal.reference import TIANJIN_DISTRICTS
from portal.scope import graduate_in_scope, scope_of

GUARANTEE = 3  # positions every active case must hold


def graduate_of(session: Session, graduate_id: int) -> tuple[User, GraduateProfile]:
    user = session.get(User, graduate_id)
    profile = session.get(GraduateProfile, graduate_id)
    if user is None or user.role != Role.graduate or profile is None:
        raise NotFound("We could not find that graduate.")
    return user, profile


def audit(session: Session, actor: User | None, action: str, case: LedgerCase, object_type: str = "ledger_case",
          object_id: object = None, **detail) -> None:
    record(session, actor_id=actor.id if actor else None, action=action, object_type=object_type,
           object_id=object_id if object_id is not None else case.id, subject_user_id=case.graduate_id, detail=detail)


def case_in_scope(session: Session, officer: User, case_id: int) -> LedgerCase:
    case = session.get(LedgerCase, case_id)
    if case is None:
        raise NotFound("We could not find that case.")
    graduate_in_scope(session, officer, case.graduate_id, message="We could not find that case.")
    return case


def get_case(session: Session, *, officer: User, case_id: int, action: str = "ledger.case.view") -> LedgerCase:
    """A case the officer may see; the read is audited."""
    case = case_in_scope(session, officer, case_id)
    audit(session, officer, action, case)
    session.commit()
    return case


def case_of_graduate(session: Session, graduate_id: int) -> LedgerCase | None:
    return session.exec(select(LedgerCase).where(LedgerCase.graduate_id == graduate_id)).first()


def cases_in_scope(session: Session, *, officer: User) -> list[int]:
    """The active cases of the graduates the officer covers."""
    return list(session.exec(select(LedgerCase.id).where(
        LedgerCase.status == CaseStatus.active, scope_of(session, officer).graduate_ids(LedgerCase.graduate_id))))


def find_graduate(session: Session, *, officer: User, text: str) -> User:
    """A graduate in the officer's scope by email, or by "school student-number" / student number alone."""
    text = (text or "").strip()
    scope = scope_of(session, officer)
    if "@" in text:
        user = session.exec(select(User).where(User.email == text.lower())).first()
        profile = session.get(GraduateProfile, user.id) if user and user.role == Role.graduate else None
    else:
        school, _, number = text.rpartition(" ")
        statement = select(GraduateProfile).where(GraduateProfile.student_number == number, scope.graduates())
        if school:
            statement = statement.where(GraduateProfile.school == school.strip())
        matches = session.exec(statement).all()
        profile = matches[0] if len(matches) == 1 else None
    if not scope.covers_graduate(profile):
        raise Invalid("No graduate in your scope matches this.", field="graduate")
    return session.get(User, profile.user_id)


def notify(session: Session, settings, user_id: int, title: str, link: str = "/me/support") -> None:
    """An in-app notification (never naming a category), in the caller's transaction; none without settings
    (a top-up from the command line tells nobody)."""
    if settings is None:
        return
    notifications.notify(session, settings=settings, user=session.get(User, user_id), kind="support.update",
                         title=title, link=link)


# ---- categories --------------------------------------------------------------------------------------------------
def ensure_categories(session: Session) -> None:
    """Seeds the four national categories once; a city's own rows and edited labels are left alone."""
    existing = set(session.exec(select(LedgerCategory.code)).all())
    missing = [row for row in DEFAULT_CATEGORIES if row[0] not in existing]
    for code, zh, en, accessible, order in missing:
        session.add(LedgerCategory(code=code, label_zh=zh, label_en=en, needs_accessible=accessible, sort_order=order))
    if missing:
        session.commit()


def list_categories(session: Session, *, active_only: bool = True) -> list[LedgerCategory]:
    ensure_categories(session)
    statement = select(LedgerCategory).order_by(LedgerCategory.sort_order, LedgerCategory.code)
    if active_only:
        statement = statement.where(LedgerCategory.is_active == True)  # noqa: E712
    return list(session.exec(statement))


def can_manage_categories(session: Session, user: User) -> bool:
    return scope_of(session, user).city


def add_category(session: Session, *, actor: User, code: str, label_zh: str, label_en: str,
                 needs_accessible: bool = False, sort_order: int = 100) -> LedgerCategory:
    ensure_categories(session)
    code = code.strip().lower()
    if not code or not code.replace("_", "").isalnum() or len(code) > 40:
        raise Invalid("Use lower-case letters, digits and underscores for the code.", field="code")
    if session.get(LedgerCategory, code):
        raise Conflict("This category already exists.", field="code")
    category = LedgerCategory(code=code, label_zh=label_zh.strip(), label_en=label_en.strip(),
                              needs_accessible=needs_accessible, sort_order=sort_order)
    session.add(category)
    record(session, actor_id=actor.id, action="ledger.category.add", object_type="ledger_category", object_id=code,
           detail={"label_zh": label_zh, "label_en": label_en})
    session.commit()
    return category


def valid_categories(session: Session, codes: list[str]) -> list[str]:
    """Category codes from codes or labels (Chinese or English), without repeats; at least one."""
    known = {c.code: c for c in list_categories(session)}
    by_label = {c.label_zh: c.code for c in known.values()} | {c.label_en.lower(): c.code for c in known.values()}
    result = []
    for raw in codes:
        value = (raw or "").strip()
        code = value if value in known else by_label.get(value) or by_label.get(value.lower())
        if code is None:
            raise Invalid("Unknown category: %(value)s", field="categories", value=value)
        if code not in result:
            result.append(code)
    if not result:
        raise Invalid("Choose at least one category.", field="categories")
    return result


def accessible_needed(session: Session, categories: list[str], stated: bool) -> bool:
    """A stated need, or one that a category implies."""
    if stated:
        return True
    rows = session.exec(select(LedgerCategory).where(LedgerCategory.code.in_(categories))).all()
    return any(c.needs_accessible for c in rows)


def valid_districts(districts: list[str] | None) -> list[str]:
    out = []
    for district in (d.strip() for d in districts or []):
        if district and district not in TIANJIN_DISTRICTS:
            raise Invalid("Unknown district: %(value)s", field="preferred_districts", value=district)
        if district and district not in out:
            out.append(district)
    return out
