"""The link in the sign-up email: opening it (as a mail scanner does before the person) changes nothing; the button
on the page it opens confirms, once; a used, expired or forged link says so clearly, and two confirmations at once
make one account."""
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.accounts import service
from portal.accounts.models import PendingSignup, User
from portal.clock import utcnow
from tests.concurrency import require_row_locks, run_together
from tests.conftest import csrf_from
from tests.notifications.smtp_sink import SmtpSink

FORM = {"display_name": "刘小雨", "password": "long-enough-pass-1", "school": "天津大学", "student_number": "2022007",
        "major": "软件工程", "degree": "bachelor", "graduation_year": "2026"}
GONE = "此注册链接已无法使用"


@pytest.fixture
def mailbox(settings):
    with SmtpSink() as sink:
        settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
        yield sink


def signup_link(client, mailbox, email: str) -> str:
    token = csrf_from(client.get("/signup/graduate").text)
    assert client.post("/signup/graduate", data={**FORM, "email": email, "csrf_token": token}).status_code == 200
    (_, message), = mailbox.wait_for(1)
    assert "按钮" in message.get_content()  # the email says the page it opens has a button to press
    return re.search(r"/signup/confirm/[\w-]+", message.get_content()).group(0)


def test_opening_the_link_changes_nothing_and_the_button_confirms_once(client, session, mailbox):
    email = "liu.xiaoyu@example.edu.cn"
    link = signup_link(client, mailbox, email)

    for _ in range(2):  # a mail scanner's prefetch, then the person
        page = client.get(link)
        assert page.status_code == 200 and email in page.text
        assert f'action="{link}"' in page.text
    assert service.get_user_by_email(session, email) is None
    assert session.exec(select(PendingSignup).where(PendingSignup.email == email)).first() is not None

    forged = client.post(link, data={"csrf_token": "not-the-token"})
    assert forged.status_code == 403 and service.get_user_by_email(session, email) is None

    confirmed = client.post(link, data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/me/resume"
    assert service.get_user_by_email(session, email) is not None

    again = client.post(link, data={"csrf_token": csrf_from(client.get("/me/resume").text)})
    assert again.status_code == 404 and GONE in again.text and 'href="/login"' in again.text
    reopened = client.get(link)
    assert reopened.status_code == 404 and GONE in reopened.text and f'action="{link}"' not in reopened.text


def test_expired_and_made_up_links_get_a_clear_page(client, session, mailbox):
    email = "late.graduate@example.edu.cn"
    link = signup_link(client, mailbox, email)
    pending = session.exec(select(PendingSignup).where(PendingSignup.email == email)).one()
    pending.expires_at = utcnow() - timedelta(minutes=1)
    session.add(pending)
    session.commit()
    for path in (link, "/signup/confirm/" + "x" * 43):
        page = client.get(path)
        assert page.status_code == 404 and GONE in page.text and 'href="/signup"' in page.text
        posted = client.post(path, data={"csrf_token": csrf_from(client.get("/signup").text)})
        assert posted.status_code == 404 and GONE in posted.text
    assert service.get_user_by_email(session, email) is None


def test_the_same_link_confirmed_twice_at_once_makes_one_account(engine, client, session, mailbox):
    require_row_locks(engine)
    email = "twice@example.edu.cn"
    token = signup_link(client, mailbox, email).rsplit("/", 1)[1]

    outcomes = run_together(engine, [lambda s: service.confirm_signup(s, token=token)] * 2)

    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "User"]
    assert len(session.exec(select(User).where(User.email == email)).all()) == 1
