"""Training services: providers an officer approves, programmes, seats under concurrency, results on the résumé."""
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal.clock import today
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.resumes import service as resumes
from portal.training import service
from portal.training.models import (
    EnrolmentStatus,
    ProgrammeStatus,
    TrainingEnrolment,
    TrainingProgramme,
)
from portal.training.schemas import ProgrammeCreate
from tests.factories import (
    at_once,
    make_graduate,
    make_ledger_case,
    make_officer,
    make_programme,
    make_provider,
    make_resume,
)


def programme_fields(**overrides) -> dict:
    fields = dict(
        title="Python 数据分析实训", description="从 pandas 到可视化，十次课完成一个分析项目。", skills="Python、pandas",
        starts_on=today() + timedelta(days=20), ends_on=today() + timedelta(days=60), schedule="每周日 14:00–17:00",
        mode="online", seats=30, cost=1800, certificate="数据分析职业技能等级证书（初级）", subsidised=True,
        subsidy_amount=1200, subsidy_groups=["final_year"], enrol_by=today() + timedelta(days=15),
    )
    fields.update(overrides)
    return fields


def test_a_provider_publishes_only_once_an_officer_has_approved_it(session, settings):
    provider, account = make_provider(session, status="pending")
    with pytest.raises(Conflict):
        service.create_programme(session, user=account, programme=ProgrammeCreate(**programme_fields()))

    officer = make_officer(session, schools=(), districts=("南开区",))
    service.decide_provider(session, settings=settings, officer=officer, provider_id=provider.id, approve=True)
    programme = service.create_programme(session, user=account, programme=ProgrammeCreate(**programme_fields()))
    assert programme.provider_id == provider.id and programme.status == ProgrammeStatus.draft
    service.set_programme_status(session, settings=settings, user=account, programme_id=programme.id,
                                 status=ProgrammeStatus.published)
    assert [v.programme.id for v in service.search_programmes(session, skill="PANDAS").items] == [programme.id]
    told = session.exec(select(Notification).where(Notification.user_id == account.id)).all()
    assert [n.title for n in told] == ["Your training organisation is approved"]


def test_officers_see_and_decide_only_providers_of_their_districts(session, settings):
    provider, _ = make_provider(session, status="pending", district="滨海新区")
    elsewhere = make_officer(session, schools=("南开大学",), districts=("南开区",))
    assert service.list_providers(session, officer=elsewhere) == []
    with pytest.raises(NotFound):
        service.decide_provider(session, settings=settings, officer=elsewhere, provider_id=provider.id, approve=True)
    local = make_officer(session, schools=(), districts=("滨海新区",))
    assert [p.id for p in service.list_providers(session, officer=local, status="pending")] == [provider.id]


def test_suspending_a_provider_closes_its_open_programmes(session, settings):
    provider, _ = make_provider(session)
    programme = make_programme(session, provider=provider)
    officer = make_officer(session, city_wide=True)
    service.decide_provider(session, settings=settings, officer=officer, provider_id=provider.id, approve=False,
                            note="培训资质过期")
    session.refresh(programme)
    assert programme.status == ProgrammeStatus.closed
    assert service.search_programmes(session).items == []


def test_another_providers_programme_is_not_found(session):
    provider, _ = make_provider(session)
    _, other = make_provider(session)
    programme = make_programme(session, provider=provider)
    with pytest.raises(NotFound):
        service.roster(session, user=other, programme_id=programme.id)
    with pytest.raises(NotFound):
        service.update_programme(session, user=other, programme_id=programme.id,
                                 programme=ProgrammeCreate(**programme_fields()))


def test_programme_rules_refuse_an_inconsistent_programme():
    with pytest.raises(ValueError, match="district and the address"):
        ProgrammeCreate(**programme_fields(mode="in_person"))
    with pytest.raises(ValueError, match="subsidy amount"):
        ProgrammeCreate(**programme_fields(subsidy_amount=0))
    with pytest.raises(ValueError, match="must not be before"):
        ProgrammeCreate(**programme_fields(ends_on=today()))
    unsubsidised = ProgrammeCreate(**programme_fields(subsidised=False))
    assert unsubsidised.subsidy_amount == 0 and unsubsidised.subsidy_groups == []


def test_enrolment_takes_a_seat_and_cancelling_gives_it_back(session):
    programme = make_programme(session, seats=1)
    first, second = make_graduate(session), make_graduate(session)
    enrolment = service.enrol(session, graduate=first, programme_id=programme.id)
    with pytest.raises(Conflict, match="already enrolled"):
        service.enrol(session, graduate=first, programme_id=programme.id)
    with pytest.raises(Conflict, match="All seats"):
        service.enrol(session, graduate=second, programme_id=programme.id)
    service.cancel_enrolment(session, graduate=first, enrolment_id=enrolment.id)
    assert service.enrol(session, graduate=second, programme_id=programme.id).status == EnrolmentStatus.enrolled
    session.refresh(programme)
    assert programme.seats_taken == 1


def test_a_closed_or_lapsed_programme_takes_no_enrolment(session):
    graduate = make_graduate(session)
    closed = make_programme(session, status="closed")
    lapsed = make_programme(session, enrol_by=today() - timedelta(days=1))
    for programme in (closed, lapsed):
        with pytest.raises(Conflict):
            service.enrol(session, graduate=graduate, programme_id=programme.id)


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_graduates_racing_for_the_last_seats_never_overfill_the_programme(session, engine):
    programme = make_programme(session, seats=3)
    graduates = [make_graduate(session) for _ in range(8)]

    def race(graduate) -> str:
        with Session(engine, expire_on_commit=False) as own:
            try:
                service.enrol(own, graduate=graduate, programme_id=programme.id)
            except Conflict:
                return "full"
            return "enrolled"

    outcomes = at_once(race, graduates)
    session.expire_all()
    assert sorted(outcomes) == ["enrolled"] * 3 + ["full"] * 5
    assert session.get(TrainingProgramme, programme.id).seats_taken == 3
    assert len(session.exec(select(TrainingEnrolment).where(TrainingEnrolment.programme_id == programme.id)).all()) == 3


def test_cancelling_after_the_start_is_refused(session):
    programme = make_programme(session, started=True)
    graduate = make_graduate(session)
    enrolment = service.enrol(session, graduate=graduate, programme_id=programme.id)
    with pytest.raises(Conflict, match="has started"):
        service.cancel_enrolment(session, graduate=graduate, enrolment_id=enrolment.id)


def test_attendance_marks_the_whole_roster_for_a_day(session):
    provider, account = make_provider(session)
    programme = make_programme(session, provider=provider, started=True)
    came, missed = make_graduate(session), make_graduate(session)
    e_came = service.enrol(session, graduate=came, programme_id=programme.id)
    service.enrol(session, graduate=missed, programme_id=programme.id)
    day = programme.starts_on
    service.record_attendance(session, user=account, programme_id=programme.id, session_on=day, present=[e_came.id])
    service.record_attendance(session, user=account, programme_id=programme.id, session_on=day, present=[e_came.id])
    trainees = {t.user.id: t.sessions_attended for t in service.roster(session, user=account, programme_id=programme.id)}
    assert trainees == {came.id: 1, missed.id: 0}
    assert service.session_dates(session, programme_id=programme.id) == [day]
    with pytest.raises(Invalid):
        service.record_attendance(session, user=account, programme_id=programme.id,
                                  session_on=today() + timedelta(days=1), present=[])


def test_completion_puts_the_skills_on_the_resume_as_verified(session, settings):
    provider, account = make_provider(session)
    programme = make_programme(session, provider=provider, started=True)
    graduate = make_graduate(session)
    make_resume(session, graduate, skills=["Python", "docker"])
    enrolment = service.enrol(session, graduate=graduate, programme_id=programme.id)

    service.record_result(session, settings=settings, user=account, enrolment_id=enrolment.id, completed=True,
                          certificate_number="TJ-2026-0042")
    verified = resumes.verified_skills(session, graduate_id=graduate.id)
    assert [(v.skill, v.certificate_number, v.issuer) for v in verified] == [
        ("Docker", "TJ-2026-0042", provider.name), ("Kubernetes", "TJ-2026-0042", provider.name)]
    assert resumes.get_resume(session, graduate_id=graduate.id).skills == ["Python", "docker", "Kubernetes"]
    snapshot = resumes.snapshot(session, user=graduate)
    assert [v["skill"] for v in snapshot["verified_skills"]] == ["Docker", "Kubernetes"]
    with pytest.raises(Conflict):
        service.record_result(session, settings=settings, user=account, enrolment_id=enrolment.id, completed=False)


def test_results_wait_for_the_programme_to_start(session, settings):
    programme = make_programme(session)
    officer = make_officer(session)
    enrolment = service.enrol(session, graduate=make_graduate(session), programme_id=programme.id)
    with pytest.raises(Conflict, match="has started"):
        service.record_result(session, settings=settings, user=officer, enrolment_id=enrolment.id, completed=True,
                              certificate_number="X-1")


def test_programmes_teaching_lists_open_programmes_per_missing_skill_subsidised_first(session):
    paid = make_programme(session, subsidised=False, subsidy_amount=0, subsidy_groups=[], skills=["Kubernetes"])
    subsidised = make_programme(session, skills=["kubernetes", "Docker"])
    make_programme(session, status="draft", skills=["Kubernetes"])
    found = service.programmes_teaching(session, skills=["Kubernetes", "Shell"])
    assert [v.programme.id for v in found["Kubernetes"]] == [subsidised.id, paid.id]
    assert found["Shell"] == []
    # Skills compare as the vocabulary's canonical skills: "K8s" is Kubernetes.
    assert [v.programme.id for v in service.search_programmes(session, skill="k8s").items] == [paid.id, subsidised.id]


def test_an_officer_puts_a_programme_in_a_priority_graduates_support_plan(session, settings):
    from portal.ledger.models import LedgerMeasure

    programme = make_programme(session)
    officer = make_officer(session)
    graduate = make_graduate(session)
    with pytest.raises(Invalid, match="no open support case"):
        service.add_to_support_plan(session, settings=settings, officer=officer, programme_id=programme.id,
                                    graduate=graduate.email)
    make_ledger_case(session, graduate, officer)
    service.add_to_support_plan(session, settings=settings, officer=officer, programme_id=programme.id,
                                graduate=graduate.email)
    measure = session.exec(select(LedgerMeasure)).one()
    assert (measure.kind, measure.link, measure.target_date) == ("skills_training", f"/training/{programme.id}",
                                                                  programme.ends_on)
    assert programme.title in measure.description
    told = session.exec(select(Notification).where(Notification.user_id == graduate.id)).all()
    assert told[-1].link == f"/training/{programme.id}"
    elsewhere = make_officer(session, schools=("天津大学",))
    with pytest.raises(Invalid, match="No graduate in your scope"):
        service.add_to_support_plan(session, settings=settings, officer=elsewhere, programme_id=programme.id,
                                    graduate=graduate.email)
