"""Search services that the pages and the JSON API share: rules here, HTTP in routes.py and api.py."""
import re
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.applications.models import Application, ApplicationStatus
from portal.employers import service as employers
from portal.employers.models import Organization
from portal.errors import NotFound, ServiceError
from portal.ledger.models import CaseStatus, LedgerCase
from portal.positions.models import Position
from search.backend import SearchBackend, SearchUnavailable
from search.documents import graduate_doc, position_doc
from search.factory import read
from search.models import SearchOutbox
from search.schemas import CandidateList, CandidateMatch, PositionHit, PositionQuery, RecommendationList, SearchResults
from search.vocabulary import suggest_skills


class SearchDown(ServiceError):
    status_code = 503
    code = "search_unavailable"


def _read(search: SearchBackend, method: str, *args, **kwargs):
    try:
        return read(search, method, *args, **kwargs)
    except SearchUnavailable as error:
        raise SearchDown("Search is temporarily unavailable. Please try again in a few minutes.") from error


def sees_support_posts(session: Session, *, user: User | None, settings) -> bool:
    """Support posts are kept for the support ledger: graduates with an open case and officers find them in search;
    everyone else only when the officers chose to show them (settings.support_posts_in_search)."""
    if settings.support_posts_in_search or (user is not None and user.role in (Role.officer, Role.admin)):
        return True
    return user is not None and user.role == Role.graduate and session.exec(select(LedgerCase.id).where(
        LedgerCase.graduate_id == user.id, LedgerCase.status == CaseStatus.active)).first() is not None


SKILL_SEPARATORS = re.compile(r"[,，、;；]")


def skill_completions(text: str, limit: int = 8) -> list[str]:
    """A comma-separated skills field with its last, half-typed entry completed by canonical skills."""
    *done, typed = SKILL_SEPARATORS.split((text or "")[:500])
    prefix = ", ".join(d.strip() for d in done if d.strip())
    return [f"{prefix}, {name}" if prefix else name for name in suggest_skills(typed.strip(), limit)]


def search_positions(search: SearchBackend, *, query: PositionQuery, today: date | None = None,
                     show_support: bool = False) -> SearchResults:
    results, backend, degraded = _read(search, "search_positions", query, today=today, show_support=show_support)
    return results.model_copy(update={"backend": backend, "degraded": degraded})


def recommendations(session: Session, search: SearchBackend, *, user: User, limit: int = 20) -> RecommendationList:
    doc = graduate_doc(session, user.id)
    if doc is None:
        raise NotFound("We could not find your graduate profile.")
    items, backend, degraded = _read(search, "recommend_positions", doc, limit=limit)
    return RecommendationList(items=items, backend=backend, degraded=degraded)


def employer_position(session: Session, *, user: User, position_id: int) -> tuple[Position, Organization]:
    """A position of the employer's own organisation; anyone else's is simply not found."""
    organization = employers.organization_of(session, user)
    position = session.get(Position, position_id)
    if position is None or position.organization_id != organization.id:
        raise NotFound("We could not find that position.")
    return position, organization


NOT_CANDIDATES = (ApplicationStatus.withdrawn,)  # withdrawn applications are no longer candidates


def candidates(session: Session, search: SearchBackend, *, user: User, position_id: int,
               limit: int = 20) -> tuple[Position, CandidateList]:
    """Applicants ranked by fit, and discoverable graduates who have not applied, for the employer's position."""
    position, organization = employer_position(session, user=user, position_id=position_id)
    doc = position_doc(position, organization)
    applicant_ids = list(session.exec(
        select(Application.graduate_id).where(
            Application.position_id == position.id, Application.status.not_in(NOT_CANDIDATES))
    ).all())
    applicants, backend, degraded = _read(search, "rank_candidates", doc, graduate_ids=applicant_ids,
                                          limit=max(limit, len(applicant_ids)))
    # A support post is filled through the officers: suggesting graduates would tell the employer who is in the
    # support ledger (or propose it to graduates it is not for).
    suggested, backend2, degraded2 = ([], backend, False) if position.is_support else _read(
        search, "rank_candidates", doc, graduate_ids=None, limit=limit + len(applicant_ids))
    applied = set(applicant_ids)
    suggested = [c for c in suggested if c.graduate_id not in applied][:limit]
    return position, CandidateList(
        applicants=applicants, suggested=suggested, backend=backend, degraded=degraded or degraded2,
        unranked_applicants=len(applied) - len(applicants),
    )


def candidate(session: Session, search: SearchBackend, *, user: User, position_id: int, graduate_id: int) -> CandidateMatch:
    """One graduate as the matcher ranks them for the employer's position; not found when it does not rank them."""
    position, organization = employer_position(session, user=user, position_id=position_id)
    ranked, _, _ = _read(search, "rank_candidates", position_doc(position, organization), graduate_ids=[graduate_id],
                         limit=1)
    if not ranked:
        raise NotFound("The matcher does not suggest this graduate for the position.")
    return ranked[0]


def similar_positions(search: SearchBackend, *, position_id: int, limit: int = 5) -> list[PositionHit]:
    try:
        hits, _, _ = read(search, "similar_positions", position_id, limit=limit)
    except SearchUnavailable:
        return []  # a side panel: leave it out rather than fail the page
    return hits


def status(session: Session, search: SearchBackend) -> dict:
    backlog, oldest, failing = session.exec(
        select(func.count(SearchOutbox.id), func.min(SearchOutbox.created_at),
               func.count(SearchOutbox.id).filter(SearchOutbox.attempts > 0))
    ).one()
    health = search.health()
    return {"backend": health.backend, "ok": health.ok, "detail": health.detail, "outbox_backlog": backlog,
            "outbox_failing": failing, "outbox_oldest": oldest}
