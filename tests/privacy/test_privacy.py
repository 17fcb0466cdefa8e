"""A graduate's rights over their data: the notice, a copy (JSON and PDF), who looked, and deleting the account."""
import subprocess

from sqlmodel import SQLModel, select

from portal.accounts.models import GraduateProfile, User
from portal.applications.models import Application
from portal.audit import service as audit
from portal.ledger.models import LedgerCase
from portal.notifications.models import Notification
from portal.privacy import service
from portal.resumes.models import Resume
from tests.conftest import api_token
from tests.factories import (
    PASSWORD, make_application, make_employer, make_graduate, make_ledger_case, make_officer, make_position,
    make_resume,
)


def test_the_notice_is_public_in_chinese_and_english(client):
    chinese = client.get("/privacy")
    assert chinese.status_code == 200 and "个人信息保护法" in chinese.text and "保存多久" in chinese.text
    english = client.get("/privacy", headers={"Accept-Language": "en"}, cookies={"lang": "en"})
    assert "Personal Information Protection Law" in english.text and "How long we keep it" in english.text
    assert 'href="/privacy"' in client.get("/login").text


def graduate_with_history(session, settings):
    graduate = make_graduate(session)
    make_resume(session, graduate, headline="数据导出测试")
    organization, recruiter = make_employer(session)
    application = make_application(session, graduate, make_position(session, organization), settings=settings)
    officer = make_officer(session)
    make_ledger_case(session, graduate, officer, family_income_note="家庭困难")
    audit.record(session, actor_id=officer.id, action="ledger.case.view", object_type="ledger_case", object_id=1,
                 subject_user_id=graduate.id, detail={})
    session.commit()
    return graduate, officer, recruiter, application


def test_a_graduate_downloads_everything_about_them_and_sees_who_looked(session, settings, client_for, tmp_path):
    graduate, officer, _, _ = graduate_with_history(session, settings)
    browser = client_for(graduate)
    data = browser.get("/me/privacy/export.json").json()
    assert data["account"]["email"] == graduate.email and "password_hash" not in data["account"]
    assert data["records"]["resume"][0]["headline"] == "数据导出测试"
    assert data["records"]["ledgercase"][0]["family_income_note"] == "家庭困难"
    assert {"application", "notification", "graduateprofile"} <= set(data["records"])
    assert not any("token" in column for rows in data["records"].values() for row in rows for column in row)

    pdf = browser.get("/me/privacy/export.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "data.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "data.pdf"), "-"], capture_output=True, text=True).stdout
    assert "我在津英就业的数据" in text and "数据导出测试" in text

    centre = browser.get("/me/privacy")
    assert f"{officer.display_name}" in centre.text and "查看了你的就业帮扶档案" in centre.text
    exported = session.exec(select(audit.AuditEntry).where(audit.AuditEntry.action == "privacy.export")).all()
    assert len(exported) == 2


def test_only_the_graduate_reaches_their_data(session, settings, client_for, client):
    graduate, officer, recruiter, _ = graduate_with_history(session, settings)
    for other in (officer, recruiter, make_graduate(session)):
        page = client_for(other).get("/me/privacy/export.json")
        assert page.status_code in (403, 404) or graduate.email not in page.text
    assert client.get("/api/v1/me/data", headers=api_token(client, recruiter.email)).status_code == 403
    mine = client.get("/api/v1/me/data", headers=api_token(client, graduate.email))
    assert mine.status_code == 200 and mine.json()["account"]["id"] == graduate.id
    accesses = client.get("/api/v1/me/data/accesses", headers=api_token(client, graduate.email)).json()
    assert accesses[0]["who"] == officer.display_name and accesses[0]["looked"] is True


def test_deleting_the_account_keeps_only_what_the_law_requires(session, settings, client_for, client):
    graduate, _, recruiter, application = graduate_with_history(session, settings)
    browser = client_for(graduate)
    refused = browser.post("/me/privacy/delete", data={"password": "wrong-password-1", "confirm": "true"})
    assert refused.status_code == 422 and "密码不正确" in refused.text
    unconfirmed = browser.post("/me/privacy/delete", data={"password": PASSWORD})
    assert unconfirmed.status_code == 422 and "请勾选" in unconfirmed.text

    deleted = browser.post("/me/privacy/delete", data={"password": PASSWORD, "confirm": "true"}, follow_redirects=False)
    assert deleted.status_code == 303 and deleted.headers["location"] == "/privacy?deleted=1"
    assert browser.get("/me", follow_redirects=False).status_code == 303  # signed out
    assert client.post("/api/v1/auth/token", json={"email": graduate.email, "password": PASSWORD}).status_code == 401

    session.expire_all()
    user = session.get(User, graduate.id)
    assert user.email.endswith("@deleted.invalid") and user.display_name == "已注销用户" and not user.is_active
    assert session.exec(select(Resume).where(Resume.graduate_id == graduate.id)).first() is None
    assert session.exec(select(Notification).where(Notification.user_id == graduate.id)).first() is None
    kept = session.get(Application, application.id)  # the employer's hiring record stays, without the résumé
    assert kept is not None and kept.resume_snapshot == {} and kept.cover_note is None
    case = session.exec(select(LedgerCase).where(LedgerCase.graduate_id == graduate.id)).one()
    assert case.categories == [] and case.family_income_note is None and case.evidence == ""
    profile = session.get(GraduateProfile, graduate.id)
    assert profile.school == "南开大学" and profile.student_number == "" and profile.phone is None
    assert client_for(recruiter).get(f"/employer/applications/{application.id}").status_code == 200


def test_every_kept_table_says_why():
    assert all(reason for _, reason in service.RETENTION.values())
    naming_someone = {table.name for table in SQLModel.metadata.sorted_tables
                      if service.person_columns(table) or table.name in service.OWNED_THROUGH}
    assert {name for name, (policy, _) in service.RETENTION.items() if name != "user"} <= naming_someone
