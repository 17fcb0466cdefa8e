"""In-app notifications for both sides, the message centre, and email after commit when SMTP is configured."""
import logging
import socket
import time

import pytest
from sqlalchemy import update
from sqlmodel import select

from portal.applications import service as applications
from portal.clock import utcnow
from portal.notifications import mail, service
from portal.notifications.models import Notification, OutgoingMail
from tests.conftest import api_token
from tests.factories import (make_application, make_employer, make_graduate, make_officer, make_position,
                             make_resume)
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
    assert sorted(to[0] for to, _ in sink.wait_for(2)) == sorted([recruiter.email, graduate.email])
    to_recruiter = next(m for to, m in sink.messages if to == [recruiter.email])
    assert "测试工程师" in to_recruiter["Subject"]  # Chinese by default
    assert f"/employer/applications/{application.id}" in to_recruiter.get_payload(decode=True).decode()

    applications.move(session, settings=settings, user=recruiter, application_id=application.id, status="interview",
                      message="周三上午十点，滨海新区")
    last_to, last = sink.wait_for(3)[-1]
    assert last_to == [graduate.email] and "周三上午十点" in last.get_payload(decode=True).decode()


def test_nothing_is_mailed_when_the_transaction_rolls_back(session, settings, sink):
    settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
    graduate = make_graduate(session)
    service.notify(session, settings=settings, user=graduate, kind="test", title="Messages")
    session.rollback()
    session.commit()
    assert session.exec(select(OutgoingMail)).all() == [] and sink.messages == []


def queued(session) -> list[OutgoingMail]:
    session.expire_all()
    return list(session.exec(select(OutgoingMail).order_by(OutgoingMail.id)))


def test_a_dead_mail_server_keeps_the_mail_queued_until_the_scheduler_sends_it(session, settings, caplog, sink):
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    settings.smtp_host, settings.smtp_port = "127.0.0.1", dead_port
    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    graduate = make_graduate(session)
    with caplog.at_level(logging.WARNING, logger="portal.notifications.mail"):
        application = make_application(session, graduate, position, settings=settings)
        deadline = time.monotonic() + 10
        while not all(m.last_error for m in queued(session)) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert application.id is not None
    assert session.exec(select(Notification).where(Notification.user_id == recruiter.id)).first()
    assert "could not send" in caplog.text
    assert [(m.attempts, m.sent_at) for m in queued(session)] == [(1, None), (1, None)]

    # The server is back; the scheduled job sends what is due, once.
    settings.smtp_port = sink.port
    session.execute(update(OutgoingMail).values(not_before=utcnow()))
    session.commit()
    assert mail.send_due(session, settings=settings) == 2
    assert mail.send_due(session, settings=settings) == 0
    assert sorted(to[0] for to, _ in sink.wait_for(2)) == sorted([recruiter.email, graduate.email])
    assert all(m.sent_at is not None for m in queued(session))


def test_a_line_break_in_a_title_neither_fails_the_request_nor_splits_a_header(session, settings, sink, client_for):
    settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
    organization, recruiter = make_employer(session, district="南开区")
    hostile = "测试工程师\r\nBcc: victim@example.com"
    pending = make_position(session, organization, title=hostile, status="pending_review", district="南开区")
    officer = make_officer(session, schools=(), districts=("南开区",))
    approved = client_for(officer).post(f"/officer/positions/{pending.id}/approve", follow_redirects=False)
    assert approved.status_code == 303, approved.text
    graduate = make_graduate(session)
    make_resume(session, graduate)
    applied = client_for(graduate).post("/applications", data={"position_id": str(pending.id)},
                                        follow_redirects=False)
    assert applied.status_code == 303, applied.text
    messages = sink.wait_for(3)
    assert sorted(to[0] for to, _ in messages) == sorted([recruiter.email, recruiter.email, graduate.email])
    for _, message in messages:
        assert "测试工程师 Bcc: victim@example.com" in message["Subject"] and message["Bcc"] is None


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
