"""In-app notifications for both sides, the message centre, and email after commit when SMTP is configured."""
import logging
import socket

import pytest
from sqlmodel import select

from portal.applications import service as applications
from portal.notifications import service
from portal.notifications.models import Notification
from tests.conftest import api_token
from tests.factories import make_application, make_employer, make_graduate, make_position, make_resume
from tests.notifications.smtp_sink import SmtpSink


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def test_every_application_event_reaches_both_sides_by_email_after_commit(session, settings, sink):
    settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, title="测试工程师")
    graduate = make_graduate(session)
    make_resume(session, graduate)
    application = make_application(session, graduate, position, settings=settings)
    assert sorted(to[0] for to, _ in sink.messages) == sorted([recruiter.email, graduate.email])
    to_recruiter = next(m for to, m in sink.messages if to == [recruiter.email])
    assert "测试工程师" in to_recruiter["Subject"]  # Chinese by default
    assert f"/employer/applications/{application.id}" in to_recruiter.get_payload(decode=True).decode()

    applications.move(session, settings=settings, user=recruiter, application_id=application.id, status="interview",
                      message="周三上午十点，滨海新区")
    last_to, last = sink.messages[-1]
    assert last_to == [graduate.email] and "周三上午十点" in last.get_payload(decode=True).decode()


def test_nothing_is_mailed_when_the_transaction_rolls_back(session, settings, sink):
    settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
    graduate = make_graduate(session)
    service.notify(session, settings=settings, user=graduate, kind="test", title="Messages")
    session.rollback()
    session.commit()
    assert sink.messages == []


def test_a_dead_mail_server_is_logged_and_changes_nothing(session, settings, caplog):
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    settings.smtp_host, settings.smtp_port = "127.0.0.1", dead_port
    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    graduate = make_graduate(session)
    with caplog.at_level(logging.ERROR, logger="portal.notifications.service"):
        application = make_application(session, graduate, position, settings=settings)
    assert application.id is not None
    assert "could not send" in caplog.text
    assert session.exec(select(Notification).where(Notification.user_id == recruiter.id)).first()


def test_no_email_without_smtp(session, settings, sink):
    organization, _ = make_employer(session)
    graduate = make_graduate(session)
    make_application(session, graduate, make_position(session, organization), settings=settings)
    assert sink.messages == []


def test_message_centre_pages_unread_badge_and_marking(session, settings, client_for):
    organization, recruiter = make_employer(session)
    graduate = make_graduate(session)
    application = make_application(session, graduate, make_position(session, organization, title="运营专员"),
                                   settings=settings)
    hr = client_for(recruiter)
    assert hr.get("/notifications/badge").text == "1"
    page = hr.get("/notifications")
    assert page.status_code == 200 and "运营专员" in page.text and "新的应聘" in page.text
    hr.cookies.set("lang", "en")
    assert "New applicant for 运营专员" in hr.get("/notifications").text
    note = session.exec(select(Notification).where(Notification.user_id == recruiter.id)).one()
    opened = hr.post(f"/notifications/{note.id}/open", follow_redirects=False)
    assert opened.headers["location"] == f"/employer/applications/{application.id}"
    assert hr.get("/notifications/badge").text == ""
    me = client_for(graduate)
    assert me.get("/notifications/badge").text == "1"
    partial = me.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and partial.headers["HX-Trigger"] == "notifications-changed"
    assert "<html" not in partial.text
    assert service.unread_count(session, user=graduate) == 0
    assert me.post(f"/notifications/{note.id}/read").status_code == 404  # the recruiter's, not theirs


def test_notifications_api(session, settings, client):
    organization, recruiter = make_employer(session)
    graduate = make_graduate(session)
    make_application(session, graduate, make_position(session, organization), settings=settings)
    headers = api_token(client, recruiter.email)
    assert client.get("/api/v1/notifications/unread-count", headers=headers).json() == {"unread": 1}
    page = client.get("/api/v1/notifications?unread=true", headers=headers).json()
    assert page["total"] == 1 and page["items"][0]["kind"] == "application.received"
    read = client.post(f"/api/v1/notifications/{page['items'][0]['id']}/read", headers=headers).json()
    assert read["read_at"] is not None
    assert client.post("/api/v1/notifications/read-all", headers=headers).json() == {"unread": 0}
    assert client.post("/api/v1/notifications/999999/read", headers=headers).status_code == 404
