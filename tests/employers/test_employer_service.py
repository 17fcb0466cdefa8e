"""Employer sign-up, teams, verification and suspension, through the services."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.accounts import service as accounts
from portal.applications.models import Application, ApplicationStatus
from portal.audit.models import AuditEntry
from portal.clock import utcnow
from portal.employers import service
from portal.employers.models import Organization, OrganizationStatus, Recruiter
from portal.employers.schemas import OrganizationSignup, RecruiterCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.positions.models import CloseReason, PositionStatus
from search.models import SearchOutbox
from tests.factories import (PASSWORD, make_employer, make_graduate, make_officer, make_position,
                             organization_signup_data)


def test_signup_creates_a_pending_organisation_and_its_owner(session):
    organization, owner = service.register_organization(
        session, signup=OrganizationSignup(**organization_signup_data(email="Boss@Example.com"))
    )
    assert organization.status == OrganizationStatus.pending
    assert owner.role == "employer" and owner.email == "boss@example.com"
    assert organization.contact_email == "boss@example.com"
    membership = session.get(Recruiter, owner.id)
    assert membership.organization_id == organization.id and membership.is_owner
    assert accounts.authenticate  # the owner can sign in with the password given
    assert service.organization_of(session, owner).id == organization.id


def test_a_second_signup_with_the_same_code_changes_nothing(session):
    data = organization_signup_data()
    service.register_organization(session, signup=OrganizationSignup(**data))
    again = organization_signup_data(uscc=data["uscc"])
    with pytest.raises(Conflict) as caught:
        service.register_organization(session, signup=OrganizationSignup(**again))
    assert caught.value.field == "uscc"
    assert accounts.get_user_by_email(session, again["email"]) is None
    assert len(session.exec(select(Organization)).all()) == 1


def test_signup_with_a_taken_email_leaves_no_organisation(session):
    graduate = make_graduate(session)
    with pytest.raises(Conflict):
        service.register_organization(session, signup=OrganizationSignup(**organization_signup_data(email=graduate.email)))
    assert session.exec(select(Organization)).all() == []


def test_invalid_code_is_refused_by_the_schema():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="check character"):
        OrganizationSignup(**organization_signup_data(uscc="91440300708461136U"))


def test_owner_adds_recruiters_others_cannot(session):
    organization, owner = make_employer(session)
    colleague = service.add_recruiter(
        session, user=owner, recruiter=RecruiterCreate(email="colleague@example.com", display_name="赵六", password=PASSWORD)
    )
    assert service.organization_of(session, colleague).id == organization.id
    assert [u.id for _, u in service.list_team(session, user=owner)] == [owner.id, colleague.id]
    with pytest.raises(Forbidden):
        service.add_recruiter(session, user=colleague,
                              recruiter=RecruiterCreate(email="x@example.com", display_name="x", password=PASSWORD))
    with pytest.raises(Forbidden):
        service.list_team(session, user=make_graduate(session))


def test_owner_switches_a_colleague_off_but_not_another_organisations(session):
    _org, owner = make_employer(session)
    _other, stranger = make_employer(session)
    colleague = service.add_recruiter(
        session, user=owner, recruiter=RecruiterCreate(email="c2@example.com", display_name="c", password=PASSWORD))
    assert service.set_recruiter_active(session, user=owner, recruiter_user_id=colleague.id, active=False).is_active is False
    with pytest.raises(NotFound):
        service.set_recruiter_active(session, user=owner, recruiter_user_id=stranger.id, active=False)
    with pytest.raises(Conflict):
        service.set_recruiter_active(session, user=owner, recruiter_user_id=owner.id, active=False)


def test_officer_verifies_and_the_decision_is_audited(session):
    organization, _owner = make_employer(session, status=OrganizationStatus.pending)
    officer = make_officer(session, city_wide=True)
    service.verify_organization(session, officer=officer, organization_id=organization.id, ip="10.1.1.1")
    session.refresh(organization)
    assert organization.status == "verified" and organization.verified_by_id == officer.id
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "organization.verify")).one()
    assert entry.actor_id == officer.id and entry.object_id == str(organization.id) and entry.ip == "10.1.1.1"
    with pytest.raises(Conflict):
        service.verify_organization(session, officer=officer, organization_id=organization.id)


def test_officers_reach_only_their_districts(session):
    binhai, _ = make_employer(session, status=OrganizationStatus.pending, district="滨海新区")
    nankai, _ = make_employer(session, status=OrganizationStatus.pending, district="南开区")
    district_officer = make_officer(session, districts=["南开区"])
    school_officer = make_officer(session, schools=["天津大学"])
    listed = service.list_organizations(session, officer=district_officer, status="pending")
    assert [o.id for o in listed.items] == [nankai.id]
    with pytest.raises(NotFound):
        service.verify_organization(session, officer=district_officer, organization_id=binhai.id)
    assert service.list_organizations(session, officer=school_officer).total == 0
    with pytest.raises(Forbidden):
        service.list_organizations(session, officer=make_graduate(session))


def test_suspension_closes_positions_enqueues_them_and_reinstating_reopens(session):
    organization, _ = make_employer(session)
    officer = make_officer(session, city_wide=True)
    published = make_position(session, organization)
    draft = make_position(session, organization, status=PositionStatus.draft)
    session.exec(select(SearchOutbox)).all()
    before = len(session.exec(select(SearchOutbox)).all())

    with pytest.raises(Invalid):
        service.suspend_organization(session, officer=officer, organization_id=organization.id, reason=" ")
    service.suspend_organization(session, officer=officer, organization_id=organization.id, reason="营业执照已吊销")
    session.refresh(published), session.refresh(draft), session.refresh(organization)
    assert organization.status == "suspended" and organization.status_reason == "营业执照已吊销"
    assert published.status == "closed" and published.close_reason == CloseReason.organization_suspended
    assert draft.status == "draft"
    queued = {row.entity_id for row in session.exec(select(SearchOutbox)).all()[before:]}
    assert published.id in queued
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "organization.suspend")).one().detail["reason"]

    service.reinstate_organization(session, officer=officer, organization_id=organization.id)
    session.refresh(published)
    assert published.status == "published" and published.close_reason is None


def test_responsiveness_counts_first_responses_in_the_window(session):
    organization, _ = make_employer(session)
    position = make_position(session, organization)
    now = utcnow()
    rows = [
        (now - timedelta(days=3), now - timedelta(days=3) + timedelta(hours=10), "viewed"),
        (now - timedelta(days=4), now - timedelta(days=4) + timedelta(hours=30), "shortlisted"),
        (now - timedelta(days=5), None, "received"),
        (now - timedelta(days=6), None, "withdrawn"),  # withdrew before any reply: not counted
        (now - timedelta(days=400), now - timedelta(days=399), "viewed"),  # outside the window
    ]
    for created, responded, status in rows:
        graduate = make_graduate(session)
        session.add(Application(position_id=position.id, graduate_id=graduate.id, status=status,
                                created_at=created, first_response_at=responded))
    session.commit()
    stats = service.employer_responsiveness(session, organization.id)
    assert (stats.applications, stats.responded) == (3, 2)
    assert stats.response_rate == pytest.approx(0.667, abs=0.001)
    assert stats.typical_response_hours == 20.0


def test_responsiveness_with_too_few_applications_says_nothing(session):
    organization, _ = make_employer(session)
    stats = service.employer_responsiveness(session, organization.id)
    assert stats.applications == 0 and stats.response_rate is None and stats.typical_response_hours is None


def test_owner_updates_the_profile_but_not_a_verified_name(session):
    from portal.employers.schemas import OrganizationUpdate

    organization, owner = make_employer(session)
    published = make_position(session, organization)
    fields = dict(name=organization.name, industry="manufacturing", size="200-999", district="西青区",
                  address="天津市西青区赛达大道 1 号", description="新的简介", contact_name="钱主管",
                  contact_phone="022-27390000", contact_email="HR@Example.com")
    service.update_organization(session, user=owner, update=OrganizationUpdate(**fields))
    session.refresh(organization)
    assert (organization.district, organization.contact_email) == ("西青区", "hr@example.com")
    assert published.id in [row.entity_id for row in session.exec(select(SearchOutbox))]
    with pytest.raises(Invalid) as caught:
        service.update_organization(session, user=owner, update=OrganizationUpdate(**{**fields, "name": "改名公司"}))
    assert caught.value.field == "name"
    colleague = service.add_recruiter(
        session, user=owner, recruiter=RecruiterCreate(email="c3@example.com", display_name="c", password=PASSWORD))
    with pytest.raises(Forbidden):
        service.update_organization(session, user=colleague, update=OrganizationUpdate(**fields))
