"""A graduate's school comes from the school: a rename waits for the school's officer, the roster and the school's
signature vouch for it, and who signs for the school follows the school on record."""
import pytest

from portal.accounts.models import GraduateProfile
from portal.agreements import service as agreements
from portal.enrolment import service
from portal.enrolment.models import EnrolmentChange
from portal.errors import Invalid, NotFound
from tests.agreements.conftest import TERMS, ca_settings  # noqa: F401  (the fixture)
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_graduate, make_offer, make_officer


def ask_for(client, **fields):
    values = {"school": "天津大学", "student_number": "2022TJ001", "degree": "bachelor", "graduation_year": "2026"}
    token = csrf_from(client.get("/me/enrolment").text)
    return client.post("/me/enrolment", data=values | fields | {"csrf_token": token}, follow_redirects=False)


def test_a_graduate_renaming_their_school_does_not_change_who_signs_for_it(session, ca_settings, client_for):
    application, _, recruiter, graduate = make_offer(session)
    nankai = make_officer(session, schools=("南开大学",))
    tianjin = make_officer(session, schools=("天津大学",))
    browser = client_for(graduate)

    assert ask_for(browser).status_code == 303
    page = browser.get("/me/enrolment").text
    assert 'id="pending"' in page and "天津大学" in page
    session.expire_all()
    assert session.get(GraduateProfile, graduate.id).school == "南开大学"

    agreement = agreements.draft_agreement(session, settings=ca_settings, employer=recruiter,
                                           application_id=application.id, terms=TERMS)
    assert agreement.school == "南开大学" and agreement.parties["school"]["name"] == "南开大学"
    for signer in (recruiter, graduate):
        agreements.sign(session, settings=ca_settings, user=signer, agreement_id=agreement.id, password=PASSWORD)
    with pytest.raises(NotFound):  # the school the graduate named is no party to it
        agreements.sign(session, settings=ca_settings, user=tianjin, agreement_id=agreement.id, password=PASSWORD,
                        acknowledge_flags=True)
    # The real school's officer is warned that the enrolment is unconfirmed, and signing confirms it.
    assert "enrolment_unconfirmed" in {f.code for f in agreements.fabrication_flags(session, agreement)}
    with pytest.raises(Invalid):
        agreements.sign(session, settings=ca_settings, user=nankai, agreement_id=agreement.id, password=PASSWORD)
    signed = agreements.sign(session, settings=ca_settings, user=nankai, agreement_id=agreement.id,
                             password=PASSWORD, acknowledge_flags=True)
    assert signed.status == "signed" and service.source_of(session, graduate.id) == "officer"


def test_only_the_school_named_decides_and_scope_follows_the_record(session, settings, client_for):
    graduate = make_graduate(session)
    nankai = make_officer(session, schools=("南开大学",))
    tianjin = make_officer(session, schools=("天津大学",))
    assert ask_for(client_for(graduate), degree="master").status_code == 303
    change = service.pending_change(session, graduate.id)

    assert "2022TJ001" in client_for(tianjin).get("/officer/enrolment").text
    assert "2022TJ001" not in client_for(nankai).get("/officer/enrolment").text
    with pytest.raises(NotFound):
        service.decide(session, settings=settings, officer=nankai, change_id=change.id, approve=True)

    decided = client_for(tianjin).post(f"/officer/enrolment/changes/{change.id}", data={"approve": "yes"},
                                       follow_redirects=False)
    assert decided.status_code == 303
    session.expire_all()
    profile = session.get(GraduateProfile, graduate.id)
    assert (profile.school, profile.student_number, profile.degree) == ("天津大学", "2022TJ001", "master")
    assert service.source_of(session, graduate.id) == "officer"
    assert session.get(EnrolmentChange, change.id).status == "approved"
    assert graduate.display_name not in client_for(nankai).get("/officer/enrolment").text


def test_the_schools_roster_confirms_and_corrects_what_graduates_declared(session, settings, client_for):
    officer = make_officer(session, schools=("南开大学",))
    by_email = make_graduate(session, student_number="2022A001")
    by_number = make_graduate(session, student_number="2022A002", degree="master")
    asked = make_graduate(session, school="天津大学", student_number="2022B777")
    assert ask_for(client_for(asked), school="南开大学", student_number="2022A003").status_code == 303
    roster = ("学号,姓名,邮箱,学历,毕业年份\n"
              f"2022A001,甲,{by_email.email},本科,2026\n"
              "2022A002,乙,,本科,2027\n"
              "2022A003,丙,,硕士,2026\n"
              "2022A999,丁,,本科,2026\n").encode()
    page = client_for(officer).post("/officer/enrolment/roster", data={"school": "南开大学"},
                                    files={"file": ("roster.csv", roster, "text/csv")})
    assert page.status_code == 200 and 'id="roster-result"' in page.text
    session.expire_all()
    assert service.source_of(session, by_email.id) == "roster"
    second = session.get(GraduateProfile, by_number.id)
    assert (second.degree, second.graduation_year) == ("bachelor", 2027)
    third = session.get(GraduateProfile, asked.id)
    assert (third.school, third.student_number, third.degree) == ("南开大学", "2022A003", "master")
    assert service.pending_change(session, asked.id) is None

    # A row the officer's school cannot stand behind leaves everything as it was.
    bad = client_for(officer).post("/officer/enrolment/roster", data={"school": "南开大学"},
                                   files={"file": ("roster.csv", "学号,学历\n2022A001,硕士\n2022A002,小学\n".encode(),
                                                   "text/csv")})
    assert bad.status_code == 422
    session.expire_all()
    assert session.get(GraduateProfile, by_email.id).degree == "bachelor"
    other_school = client_for(officer).post("/officer/enrolment/roster", data={"school": "天津大学"},
                                            files={"file": ("roster.csv", roster, "text/csv")})
    assert other_school.status_code == 404


def test_the_api_shows_the_record_and_the_pending_change(session, client):
    from tests.conftest import api_token

    graduate = make_graduate(session)
    headers = api_token(client, graduate.email)
    asked = client.post("/api/v1/me/enrolment/changes", headers=headers, json={
        "school": "天津大学", "student_number": "2022TJ001", "degree": "bachelor", "graduation_year": 2026})
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    mine = client.get("/api/v1/me/enrolment", headers=headers).json()
    assert mine["school"] == "南开大学" and mine["source"] is None and mine["pending"]["school"] == "天津大学"


def test_the_campus_sign_in_puts_its_claims_on_record(session, settings):
    from portal.accounts import oidc

    settings.oidc_issuer, settings.oidc_client_id = "https://sso.example.edu.cn", "jinying"
    graduate = make_graduate(session)
    oidc.link(session, settings=settings, user=graduate, issuer=settings.oidc_issuer, claims={"sub": "tj-1"})
    oidc.sign_in(session, settings=settings, issuer=settings.oidc_issuer, claims={
        "sub": "tj-1", "school": "天津大学", "student_number": "TJ2026001", "degree": "master",
        "graduation_year": 2027})
    session.expire_all()
    profile = session.get(GraduateProfile, graduate.id)
    assert (profile.school, profile.student_number, profile.degree, profile.graduation_year) == (
        "天津大学", "TJ2026001", "master", 2027)
    assert service.source_of(session, graduate.id) == "sso"


def test_every_enrolment_message_has_a_chinese_translation():
    from portal import i18n
    from tests.agreements.test_translations import constant_arguments
    from tests.notifications.test_translations import python_msgids, template_msgids

    msgids = template_msgids("enrolment") | python_msgids("enrolment") | set(service.SOURCES.values())
    msgids |= constant_arguments(service, "Invalid", 0)
    assert sorted(m for m in msgids if m not in i18n.catalogue("zh_CN")) == []
