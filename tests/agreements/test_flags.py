"""Fabrication warnings (被就业) the officer sees before the school signs."""
from datetime import timedelta

import pytest

from portal.agreements import service
from portal.clock import utcnow
from portal.errors import Conflict, Invalid
from tests.agreements.conftest import TERMS
from tests.factories import PASSWORD, make_employer, make_offer, make_officer


def codes(session, agreement):
    """The warnings about the offer and the employer (the unconfirmed enrolment is tests/enrolment's)."""
    return {flag.code for flag in service.fabrication_flags(session, agreement)} - {"enrolment_unconfirmed"}


def test_a_genuine_offer_raises_no_flags(session, parties):
    agreement, *_ = parties
    assert codes(session, agreement) == set()


def test_offer_without_interview_and_recently_verified_employer_are_flagged(session, ca_settings):
    organization, _ = make_employer(session, verified_at=utcnow() - timedelta(days=3))
    application, organization, recruiter, graduate = make_offer(session, organization=organization, interviewed=False)
    agreement = service.draft_agreement(session, settings=ca_settings, employer=recruiter,
                                        application_id=application.id, terms=TERMS)
    assert codes(session, agreement) == {"no_interview", "recently_verified"}


def test_many_agreements_within_hours_are_flagged_and_the_school_must_acknowledge(session, ca_settings):
    organization, recruiter = make_employer(session)
    officer = make_officer(session, schools=("南开大学",))
    agreements = []
    for _ in range(service.BURST_COUNT):
        application, *_ = make_offer(session, organization=organization)
        agreement = service.draft_agreement(session, settings=ca_settings, employer=recruiter,
                                            application_id=application.id, terms=TERMS)
        agreements.append(service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id,
                                       password=PASSWORD))
    last = agreements[-1]
    assert "burst" in codes(session, last)
    graduate = session.get(type(recruiter), last.graduate_id)
    service.sign(session, settings=ca_settings, user=graduate, agreement_id=last.id, password=PASSWORD)
    with pytest.raises(Invalid):
        service.sign(session, settings=ca_settings, user=officer, agreement_id=last.id, password=PASSWORD)
    signed = service.sign(session, settings=ca_settings, user=officer, agreement_id=last.id, password=PASSWORD,
                          acknowledge_flags=True)
    assert signed.status == "signed"


def test_suspended_employer_is_flagged(session, parties):
    agreement, *_ = parties
    from portal.employers.models import Organization

    organization = session.get(Organization, agreement.organization_id)
    organization.status = "suspended"
    session.add(organization)
    session.commit()
    assert "suspended" in codes(session, agreement)


def test_graduate_cannot_hold_two_agreements(session, ca_settings, parties):
    agreement, recruiter, graduate, officer = parties
    service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, password=PASSWORD)
    application, _, other_recruiter, _ = make_offer(session, graduate=graduate)
    second = service.draft_agreement(session, settings=ca_settings, employer=other_recruiter,
                                     application_id=application.id, terms=TERMS)
    service.sign(session, settings=ca_settings, user=other_recruiter, agreement_id=second.id, password=PASSWORD)
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=graduate, agreement_id=second.id, password=PASSWORD)
