"""Support posts are kept for the support ledger; accessibility needs are met; both stay hidden from employers."""
import pytest

from portal.applications import service as applications
from portal.errors import Forbidden
from portal.ledger.models import LedgerCase
from search import service
from search.documents import graduate_doc, load_resume_docs
from search.embedded import EmbeddedBackend
from search.schemas import PositionQuery
from tests.search.conftest import build_world


@pytest.fixture
def world(session):
    return build_world(session)


def enrol(session, graduate, *, needs_accessible=False):
    session.add(LedgerCase(graduate_id=graduate.id, categories=["disability"], needs_accessible=needs_accessible,
                           consent_given=True, school="南开大学"))
    session.commit()


def test_search_shows_support_posts_to_ledger_graduates_and_officers_only(session, engine, settings, world):
    backend = EmbeddedBackend(engine)
    li, zhao = world.graduates["li"], world.graduates["zhao"]
    enrol(session, li)
    query = PositionQuery(q="运维")
    shown = lambda user, s=settings: [h.title for h in service.search_positions(  # noqa: E731
        backend, query=query, show_support=service.sees_support_posts(session, user=user, settings=s)).hits]
    assert shown(None) == [] and shown(zhao) == []
    assert shown(li) == ["运维见习生"]
    assert shown(None, settings.model_copy(update={"support_posts_in_search": True})) == ["运维见习生"]


def test_an_application_from_outside_the_ledger_is_politely_refused(session, settings, world):
    ops = world.positions["ops"]
    with pytest.raises(Forbidden) as refused:
        applications.apply(session, settings=settings, user=world.graduates["zhao"], position_id=ops.id)
    assert "support position" in refused.value.message
    enrol(session, world.graduates["li"])
    assert applications.apply(session, settings=settings, user=world.graduates["li"], position_id=ops.id).id


def test_a_recorded_need_reaches_recommendations_and_candidate_filters_but_no_employer(session, engine, world):
    backend = EmbeddedBackend(engine)
    sun = world.graduates["sun"]
    enrol(session, sun, needs_accessible=True)  # recorded by an officer on the ledger file
    doc = graduate_doc(session, sun.id)
    assert doc["needs_accessible"] and doc["in_ledger"]
    assert [m.position.title for m in backend.recommend_positions(doc)] == ["前端开发工程师"]  # the accessible one
    indexed = next(d for d in load_resume_docs(session).values() if d["graduate_id"] == sun.id)
    assert indexed["needs_accessible"] and "in_ledger" not in indexed
    from search.documents import position_doc
    java = world.positions["java"]  # not accessible: sun is not suggested for it
    suggested = backend.rank_candidates(position_doc(java, world.orgs["soft"]), graduate_ids=None)
    assert sun.id not in [c.graduate_id for c in suggested]
    frontend = backend.rank_candidates(position_doc(world.positions["frontend"], world.orgs["soft"]), graduate_ids=None)
    match = next(c for c in frontend if c.graduate_id == sun.id)
    assert "needs_accessible" not in match.model_dump() and "in_ledger" not in match.model_dump()


def test_employers_get_no_suggestions_for_a_support_post(session, engine, client_for, world):
    from sqlmodel import select

    from portal.accounts.models import User
    from portal.employers.models import Recruiter

    recruiter_id = session.exec(select(Recruiter.user_id).where(Recruiter.organization_id == world.orgs["soft"].id)).first()
    _, result = service.candidates(session, EmbeddedBackend(engine), user=session.get(User, recruiter_id),
                                   position_id=world.positions["ops"].id)
    assert result.suggested == []


def test_a_graduate_states_a_need_on_the_profile_and_is_proposed_accessible_workplaces_only(session, client_for, world):
    from sqlmodel import select

    from portal.accounts.models import GraduateProfile
    from portal.audit.models import AuditEntry

    li = world.graduates["li"]
    client = client_for(li)
    saved = client.post("/me/profile", data={"major": "计算机科学与技术", "needs_accessible": "true",
                                             "accessibility_note": "需要轮椅通道"}, follow_redirects=False)
    assert saved.status_code in (200, 303)
    session.expire_all()
    assert session.get(GraduateProfile, li.id).needs_accessible
    html = client.get("/recommendations").text
    assert "前端开发工程师" in html and "Python 后端开发工程师" not in html
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.subject_user_id == li.id)).all()
    assert "graduate.accessibility.update" in actions
