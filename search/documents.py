"""Index documents built from the database: the only place that knows how a row becomes a document.

Positions are searchable when published by a verified organisation (the deadline is checked at query time, so a
lapsing deadline needs no re-index). Graduates are indexed when they have a profile and a résumé; the document never
holds a name, contact data or student number.
"""
import hashlib
from collections.abc import Iterable, Iterator

import orjson
from sqlmodel import Session, select

from portal.accounts.models import DEGREE_RANK, GraduateProfile, Role, User
from portal.employers.models import Organization, OrganizationStatus
from portal.ledger.models import CaseStatus, LedgerCase
from portal.positions.models import Position, PositionStatus
from portal.resumes.models import Resume
from search import vocabulary as vocab
from search.matching import SEARCH_FIELDS, naive_utc, salary_mid, terms_field
from search.text import analyse, indexed

POSITION = "position"
RESUME = "resume"
ENTITIES = (POSITION, RESUME)


def degree_rank(degree: str | None) -> int:
    return DEGREE_RANK.get(degree, 0) if degree else 0


def _iso(value) -> str | None:
    if value is None:
        return None
    return naive_utc(value).isoformat() if hasattr(value, "hour") else value.isoformat()


def with_hash(doc: dict) -> dict:
    body = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    doc["doc_hash"] = hashlib.sha1(body).hexdigest()[:16]
    return doc


def position_doc(position: Position, organization: Organization) -> dict:
    skills = list(position.skills or [])
    keys = vocab.skill_keys(skills)
    in_text = [(k, spelled) for k, spelled in analyse(position.description or "").skills if k not in keys]
    concepts = list(analyse(position.title).titles)
    majors = list(position.majors or [])
    classes = sorted({c for major in majors for c in vocab.major_classes(major)})
    doc = {
        "id": position.id,
        "organization_id": position.organization_id,
        "org_name": organization.name,
        "title": position.title,
        "title_concepts": concepts,
        "field": vocab.title_family(concepts) or next(iter(vocab.skill_families(keys)), None),
        "description": position.description or "",
        "kind": position.kind,
        "district": position.district,
        "degree_required": position.degree_required,
        "degree_rank": degree_rank(position.degree_required),
        "majors": majors,
        "major_classes": classes,
        "major_disciplines": vocab.disciplines(classes),
        "major_families": vocab.class_families(classes),
        "majors_open": not majors,
        "skills": skills,
        "skills_norm": keys,
        # skills the description names that the list does not: weaker evidence, spelled as the description does
        "skills_text_norm": [k for k, _ in in_text],
        "skills_text_spelled": [spelled for _, spelled in in_text],
        "skills_text": " / ".join(skills),
        # terms_set's per-document minimum: all of the position's skills. A position without skills cannot earn
        # the "all skills covered" points, so its minimum is out of reach.
        "skills_needed": len(keys) if keys else 1000,
        "salary_min": position.salary_min,
        "salary_max": position.salary_max,
        "salary_mid": salary_mid(position.salary_min, position.salary_max),
        "deadline": position.deadline.isoformat(),
        "published_at": _iso(position.published_at or position.created_at),
        "is_support": bool(position.is_support),
        "accessible": bool(position.accessible),
        "status": position.status,
    }
    for name in SEARCH_FIELDS:
        doc[terms_field(name)] = indexed(doc[name], tuple(keys) if name == "skills_text" else ())
    return with_hash(doc)


def is_searchable(position: Position, organization: Organization | None) -> bool:
    return (
        organization is not None
        and position.status == PositionStatus.published
        and organization.status == OrganizationStatus.verified
    )


def load_position_docs(session: Session, ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Documents of the searchable positions among `ids` (all of them when None)."""
    docs: dict[int, dict] = {}
    for position, organization in _position_rows(session, ids):
        if is_searchable(position, organization):
            docs[position.id] = position_doc(position, organization)
    return docs


def _position_rows(session: Session, ids: Iterable[int] | None) -> Iterator[tuple]:
    """(position, organisation) pairs as plain column rows: building ORM objects would cost more than the rest."""
    organizations = {
        row.id: row for row in session.execute(
            select(Organization.id, Organization.name, Organization.status)
            .where(Organization.status == OrganizationStatus.verified)
        ).all()
    }
    statement = select(*Position.__table__.columns).where(
        Position.status == PositionStatus.published, Position.organization_id.in_(list(organizations) or [0]))
    if ids is None:
        chunks = [statement.order_by(Position.id)]
    else:
        id_list = sorted(set(ids))
        chunks = [statement.where(Position.id.in_(id_list[i : i + 500])) for i in range(0, len(id_list), 500)]
    for chunk in chunks:
        for row in session.execute(chunk).all():
            yield row, organizations.get(row.organization_id)


def _resume_texts(resume: Resume) -> str:
    """The self-introduction, projects and experience as one running text."""
    parts = [resume.self_intro or ""]
    for item in [*(resume.projects or []), *(resume.experience or [])]:
        parts += [str(v) for v in (item or {}).values() if isinstance(v, str)]
    return "\n".join(parts)


def resume_doc(profile: GraduateProfile, resume: Resume | None, *, needs_accessible: bool = False,
               in_ledger: bool = False) -> dict:
    """The graduate as the matching model sees them. `needs_accessible` is the graduate's own statement or the
    ledger's record; both it and `in_ledger` only ever filter, and never reach an employer."""
    resume = resume or Resume(graduate_id=profile.user_id)
    low, high = resume.expected_salary_min, resume.expected_salary_max
    keys = vocab.skill_keys(resume.skills or [])
    concepts = list(analyse(resume.headline or "").titles)
    classes = vocab.major_classes(profile.major)
    fields = [vocab.title_family(concepts), *vocab.skill_families(keys)[:1]]
    return with_hash({
        "resume_id": resume.id,
        "graduate_id": profile.user_id,
        "school": profile.school,
        "major": profile.major,
        "major_classes": classes,
        "disciplines": vocab.disciplines(classes),
        "major_fields": vocab.class_families(classes),
        "degree": profile.degree,
        "degree_rank": degree_rank(profile.degree),
        "graduation_year": profile.graduation_year,
        "headline": resume.headline or "",
        "headline_concepts": concepts,
        "fields": list(dict.fromkeys(f for f in fields if f)),
        "self_intro": resume.self_intro or "",
        "skills": list(resume.skills or []),
        "skills_norm": keys,
        "skills_intro": [k for k, _ in analyse(_resume_texts(resume)).skills if k not in keys],
        "expected_districts": list(resume.expected_districts or []),
        "expected_kinds": list(resume.expected_kinds or []),
        "expected_salary_min": low,
        "expected_salary_max": high,
        "expected_salary_mid": salary_mid(low, high),
        "discoverable": bool(profile.discoverable),
        "needs_accessible": bool(needs_accessible or getattr(profile, "needs_accessible", False)),
        "in_ledger": bool(in_ledger),
        "updated_at": _iso(resume.updated_at),
    })


def ledger_facts(session: Session, graduate_ids: Iterable[int]) -> dict[int, bool]:
    """graduate id -> whether their open support-ledger case records an accessibility need, for the graduates
    with an open case (absent: not in the ledger)."""
    ids = sorted(set(graduate_ids))
    facts: dict[int, bool] = {}
    for start in range(0, len(ids), 500):
        rows = session.exec(select(LedgerCase.graduate_id, LedgerCase.needs_accessible).where(
            LedgerCase.graduate_id.in_(ids[start:start + 500]), LedgerCase.status == CaseStatus.active)).all()
        facts.update({gid: bool(needs) for gid, needs in rows})
    return facts


def graduate_doc(session: Session, user_id: int) -> dict | None:
    """The graduate as the matching model sees them (with or without a résumé), or None if not a graduate."""
    profile = session.get(GraduateProfile, user_id)
    if profile is None:
        return None
    resume = session.exec(select(Resume).where(Resume.graduate_id == user_id)).first()
    facts = ledger_facts(session, [user_id])
    return resume_doc(profile, resume, needs_accessible=facts.get(user_id, False), in_ledger=user_id in facts)


def load_resume_docs(session: Session, resume_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Documents of the résumés `resume_ids` (all when None) of active graduates, keyed by résumé id (the outbox's
    and the index's id for a résumé; the graduate's user id is the document's `graduate_id`)."""
    columns = [*GraduateProfile.__table__.columns, *(c for c in Resume.__table__.columns if c.name != "graduate_id")]
    statement = (
        select(*columns)
        .join(Resume, Resume.graduate_id == GraduateProfile.user_id)
        .join(User, User.id == GraduateProfile.user_id)
        .where(User.is_active == True, User.role == Role.graduate)  # noqa: E712
    )
    rows: list = []
    if resume_ids is None:
        rows = session.execute(statement.order_by(Resume.id)).all()
    else:
        id_list = sorted(set(resume_ids))
        for start in range(0, len(id_list), 500):
            rows += session.execute(statement.where(Resume.id.in_(id_list[start : start + 500]))).all()
    # Each row carries the profile's and the résumé's columns, so it serves as both. Membership of the ledger is
    # left out of the index (nothing but the graduate's own recommendations needs it); a recorded need is kept.
    facts = ledger_facts(session, [row.user_id for row in rows])
    docs = {row.id: resume_doc(row, row, needs_accessible=facts.get(row.user_id, False)) for row in rows}
    for doc in docs.values():
        del doc["in_ledger"]
    return docs


def load_docs(session: Session, entity: str, ids: Iterable[int] | None = None) -> dict[int, dict]:
    return load_position_docs(session, ids) if entity == POSITION else load_resume_docs(session, ids)


def doc_id(entity: str, doc: dict) -> int:
    return doc["id"] if entity == POSITION else doc["resume_id"]
