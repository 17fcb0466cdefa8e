"""Employers invite discoverable graduates from a position's ranked candidates; graduates see why, and accept (which
applies) or decline. Contact data reach the employer only with the application; every object is someone's own."""
import re

import pytest
from sqlmodel import select

from portal.accounts.models import GraduateProfile
from portal.applications.models import Application
from portal.invitations.models import Invitation
from portal.notifications.models import Notification
from tests.factories import make_employer, make_graduate, make_position, make_resume

HTMX = {"HX-Request": "true", "Accept-Language": "zh-CN"}
ZH = {"Accept-Language": "zh-CN"}
PHONE = "13822223333"


@pytest.fixture
def world(session):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, title="Python 后端开发工程师", skills=["Python", "SQL", "Linux"],
                             majors=["计算机科学与技术"], district="滨海新区")
    graduate = make_graduate(session, display_name="陈思远", major="计算机科学与技术")
    hidden = make_graduate(session, display_name="吴不公开", major="计算机科学与技术")
    for user, discoverable in ((graduate, True), (hidden, False)):
        profile = session.get(GraduateProfile, user.id)
        profile.discoverable, profile.phone = discoverable, PHONE
        session.add(profile)
        session.commit()
        make_resume(session, user, skills=["Python", "SQL", "Git"], expected_districts=["滨海新区"])
    return dict(organization=organization, recruiter=recruiter, position=position, graduate=graduate, hidden=hidden)


def _invite(client, position_id, graduate_id, message="您的项目经历与我们的后端岗位很契合，欢迎投递。"):
    return client.post(f"/employer/positions/{position_id}/candidates/{graduate_id}/invite",
                       data={"message": message}, headers=HTMX)


def test_invite_see_reasons_accept_and_apply(session, client_for, world):
    employer = client_for(world["recruiter"])
    position, graduate = world["position"], world["graduate"]
    page = employer.get(f"/employer/positions/{position.id}/candidates", headers=ZH).text
    assert "陈思远" in page and "吴不公开" not in page  # names of discoverable graduates only
    assert PHONE not in page and graduate.email not in page
    assert f'id="invite-{graduate.id}"' in page and "邀请投递" in page

    sent = _invite(employer, position.id, graduate.id)
    assert sent.status_code == 200 and "已邀请" in sent.text and "<form" not in sent.text
    invitation = session.exec(select(Invitation)).one()
    assert invitation.reasons["matched_skills"] and invitation.fit > 0
    note = session.exec(select(Notification).where(Notification.user_id == graduate.id)).one()
    assert note.link == f"/me/invitations/{invitation.id}"

    me = client_for(graduate)
    listing = me.get("/me/invitations", headers=ZH).text
    assert position.title in listing and world["organization"].name in listing
    detail = me.get(f"/me/invitations/{invitation.id}", headers=ZH).text
    assert "平台推荐你的理由" in detail and "Python" in detail and "欢迎投递" in detail
    # Until the graduate applies, the employer has no application to open and no contact data.
    assert session.exec(select(Application)).first() is None

    accepted = me.post(f"/me/invitations/{invitation.id}/accept", follow_redirects=False)
    application = session.exec(select(Application).where(Application.graduate_id == graduate.id)).one()
    assert accepted.headers["location"] == f"/me/applications/{application.id}"
    assert application.position_id == position.id
    session.expire_all()
    assert session.get(Invitation, invitation.id).status == "accepted"
    assert PHONE in employer.get(f"/employer/applications/{application.id}").text
    applicants = employer.get(f"/employer/positions/{position.id}/applicants", headers=ZH).text
    assert "陈思远" in applicants
    assert me.post(f"/me/invitations/{invitation.id}/decline", headers=ZH).status_code == 409


def test_decline_tells_the_employer_without_the_graduate_applying(session, client_for, world):
    employer = client_for(world["recruiter"])
    _invite(employer, world["position"].id, world["graduate"].id)
    invitation = session.exec(select(Invitation)).one()
    me = client_for(world["graduate"])
    assert me.post(f"/me/invitations/{invitation.id}/decline", follow_redirects=False).status_code == 303
    session.expire_all()
    assert session.get(Invitation, invitation.id).status == "declined"
    assert session.exec(select(Application)).first() is None
    told = session.exec(select(Notification).where(Notification.user_id == world["recruiter"].id)).all()
    assert [n.link for n in told] == [f"/employer/positions/{world['position'].id}/candidates"]
    card = employer.get(f"/employer/positions/{world['position'].id}/candidates", headers=ZH).text
    assert "已婉拒" in card


def test_invitations_are_refused_where_they_should_be(session, client_for, world):
    employer = client_for(world["recruiter"])
    position = world["position"]
    # a graduate who is not discoverable cannot be invited (not found, so ids cannot be probed)
    assert _invite(employer, position.id, world["hidden"].id).status_code == 404
    # another organisation's position
    other_org, other_recruiter = make_employer(session)
    assert _invite(client_for(other_recruiter), position.id, world["graduate"].id).status_code == 404
    # twice the same graduate
    assert _invite(employer, position.id, world["graduate"].id).status_code == 200
    twice = _invite(employer, position.id, world["graduate"].id)
    assert twice.status_code == 422 and "已邀请过该毕业生" in twice.text
    assert len(session.exec(select(Invitation)).all()) == 1
    # somebody else's invitation, as another graduate or as the employer
    invitation = session.exec(select(Invitation)).one()
    stranger = client_for(make_graduate(session))
    assert stranger.get(f"/me/invitations/{invitation.id}").status_code == 404
    assert stranger.post(f"/me/invitations/{invitation.id}/accept").status_code == 404
    assert employer.post(f"/me/invitations/{invitation.id}/accept").status_code == 403
    session.expire_all()
    assert session.get(Invitation, invitation.id).status == "sent"


def test_a_position_may_send_only_so_many_invitations_a_day(session, settings, client_for, world):
    settings.invitations_per_position_per_day = 2
    employer = client_for(world["recruiter"])
    position = world["position"]
    others = []
    for n in range(3):
        graduate = make_graduate(session, major="计算机科学与技术")
        profile = session.get(GraduateProfile, graduate.id)
        profile.discoverable = True
        session.add(profile)
        session.commit()
        make_resume(session, graduate, skills=["Python", "SQL"])
        others.append(graduate)
    assert [_invite(employer, position.id, g.id).status_code for g in others[:2]] == [200, 200]
    refused = _invite(employer, position.id, others[2].id)
    assert refused.status_code == 429
    assert re.search(r"过去一天已发出 2 份邀请", refused.text)
    assert len(session.exec(select(Invitation)).all()) == 2


def test_the_invite_form_needs_csrf(session, client_for, world):
    employer = client_for(world["recruiter"])
    del employer.headers["X-CSRF-Token"]
    assert _invite(employer, world["position"].id, world["graduate"].id).status_code == 403
    assert session.exec(select(Invitation)).first() is None


def test_the_api_lists_accepts_and_declines_the_graduates_own_invitations(session, client, client_for, world):
    from tests.conftest import api_token

    employer = client_for(world["recruiter"])
    _invite(employer, world["position"].id, world["graduate"].id)
    second = make_position(session, world["organization"], title="数据工程师", skills=["Python", "SQL"],
                           majors=["计算机科学与技术"])
    _invite(employer, second.id, world["graduate"].id)
    first, other = sorted(session.exec(select(Invitation)).all(), key=lambda i: i.id)
    headers = api_token(client, world["graduate"].email)
    listed = client.get("/api/v1/me/invitations", headers=headers).json()
    assert {i["id"] for i in listed} == {first.id, other.id} and all(i["status"] == "sent" for i in listed)
    assert listed[0]["reasons"]["matched_skills"]
    applied = client.post(f"/api/v1/me/invitations/{first.id}/accept", headers=headers)
    assert applied.status_code == 200 and applied.json()["position_id"] == world["position"].id
    declined = client.post(f"/api/v1/me/invitations/{other.id}/decline", headers=headers)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    stranger = api_token(client, make_graduate(session).email)
    assert client.post(f"/api/v1/me/invitations/{first.id}/decline", headers=stranger).status_code == 404
    assert client.get("/api/v1/me/invitations", headers=api_token(client, world["recruiter"].email)).status_code == 403
