"""Administrators manage officers in the portal: accounts, roles, scopes, switching off; audited, CSRF-protected,
closed to everyone else."""
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from portal.accounts import service as accounts
from portal.accounts.models import Role, User
from portal.audit.models import AuditEntry
from portal.scope import scope_of
from tests.conftest import csrf_from, sign_in
from tests.factories import PASSWORD, make_employer, make_graduate, make_officer

NEW_PASSWORD = "tianjin-officer-2026"
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def admin(session):
    return make_officer(session, role=Role.admin, city_wide=True)


def _audit(session, action):
    return session.exec(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_admin_creates_an_officer_who_can_sign_in_with_that_scope(session, client_for, admin, app):
    client = client_for(admin)
    page = client.get("/admin/staff/new", headers=ZH)
    assert page.status_code == 200 and "添加就业专员" in page.text
    response = client.post("/admin/staff", data={
        "email": "new.officer@jinying.gov.cn", "password": NEW_PASSWORD, "display_name": "赵老师", "role": "officer",
        "schools[]": ["天津大学"], "districts[]": ["南开区", "河西区"],
    }, follow_redirects=False)
    assert response.status_code == 303, response.text
    officer = accounts.get_user_by_email(session, "new.officer@jinying.gov.cn")
    assert response.headers["location"] == f"/admin/staff/{officer.id}?saved=1"
    scope = scope_of(session, officer)
    assert scope.schools == {"天津大学"} and scope.districts == {"南开区", "河西区"} and not scope.city
    (entry,) = _audit(session, "staff.create")
    assert entry.actor_id == admin.id and entry.object_id == str(officer.id)
    assert entry.detail["schools"] == ["天津大学"]

    listing = client.get("/admin/staff", headers=ZH).text
    assert "赵老师" in listing and "天津大学、南开区、河西区" in listing
    with TestClient(app) as newcomer:
        sign_in(newcomer, "new.officer@jinying.gov.cn", NEW_PASSWORD)
        assert newcomer.get("/officer/destinations").status_code == 200


def test_bad_input_comes_back_in_chinese_and_creates_nothing(session, client_for, admin):
    client = client_for(admin)
    response = client.post("/admin/staff", headers=ZH, data={
        "email": "not-an-email", "password": "short", "display_name": "", "schools[]": ["不存在大学"]})
    assert response.status_code == 422
    assert "请从列表中选择学校。" in response.text
    assert "not-an-email" in response.text  # what was typed comes back
    assert session.exec(select(User).where(User.email == "not-an-email")).first() is None
    assert _audit(session, "staff.create") == []


def test_admin_changes_role_and_scope_and_the_audit_says_from_what(session, client_for, admin):
    officer = make_officer(session, schools=["南开大学"])
    client = client_for(admin)
    response = client.post(f"/admin/staff/{officer.id}", data={
        "display_name": officer.display_name, "role": "admin", "city_wide": "true"}, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    assert session.get(User, officer.id).role == "admin"
    assert scope_of(session, session.get(User, officer.id)).city
    (entry,) = _audit(session, "staff.update")
    assert entry.detail["role"] == {"from": "officer", "to": "admin"}
    assert entry.detail["schools"] == {"from": ["南开大学"], "to": []}
    assert entry.detail["city_wide"] == {"from": False, "to": True}


def test_switching_an_officer_off_ends_their_session_and_on_lets_them_back(session, client_for, admin, app):
    officer = make_officer(session)
    officer_client = client_for(officer)
    assert officer_client.get("/officer").status_code == 200
    client = client_for(admin)
    assert client.post(f"/admin/staff/{officer.id}/deactivate", follow_redirects=False).status_code == 303
    assert officer_client.get("/officer", follow_redirects=False).status_code == 303  # back to sign-in
    with TestClient(app) as again:
        token = csrf_from(again.get("/login").text)
        refused = again.post("/login", data={"email": officer.email, "password": PASSWORD, "csrf_token": token},
                             follow_redirects=False)
        assert refused.status_code != 303
    client.post(f"/admin/staff/{officer.id}/activate")
    with TestClient(app) as back:
        sign_in(back, officer.email)
    assert [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))] == [
        "staff.deactivate", "staff.activate"]


def test_an_admin_cannot_lock_themselves_out(session, client_for, admin):
    client = client_for(admin)
    response = client.post(f"/admin/staff/{admin.id}", headers=ZH,
                           data={"display_name": admin.display_name, "role": "officer"})
    assert response.status_code == 422 and "不能取消自己的系统管理员角色" in response.text
    assert client.post(f"/admin/staff/{admin.id}/deactivate", headers=ZH).status_code == 409
    session.expire_all()
    assert session.get(User, admin.id).role == "admin" and session.get(User, admin.id).is_active


def test_only_administrators_reach_the_staff_screens(session, client_for, client, admin):
    officer = make_officer(session)
    _, recruiter = make_employer(session)
    graduate = make_graduate(session)
    for user in (officer, recruiter, graduate):
        other = client_for(user)
        assert other.get("/admin/staff").status_code == 403
        assert other.post(f"/admin/staff/{admin.id}/deactivate").status_code == 403
        assert other.post("/admin/staff", data={"email": "x@example.com", "password": NEW_PASSWORD,
                                                "display_name": "x", "role": "admin"}).status_code == 403
    assert client.get("/admin/staff", follow_redirects=False).headers["location"].startswith("/login")
    # Graduates and employers are not staff: their ids are not found here.
    assert client_for(admin).get(f"/admin/staff/{graduate.id}").status_code == 404
    session.expire_all()
    assert session.get(User, admin.id).is_active and accounts.get_user_by_email(session, "x@example.com") is None


def test_staff_forms_need_the_csrf_token(session, client_for, admin):
    officer = make_officer(session)
    client = client_for(admin)
    del client.headers["X-CSRF-Token"]
    assert client.post(f"/admin/staff/{officer.id}/deactivate").status_code == 403
    session.expire_all()
    assert session.get(User, officer.id).is_active
