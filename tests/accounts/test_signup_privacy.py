"""With mail configured, sign-up answers the same whether or not the address has an account; the mailbox learns
which, and the link in it finishes the sign-up."""
import re

import pytest

from portal.accounts import service
from tests.conftest import csrf_from
from tests.factories import make_graduate
from tests.notifications.smtp_sink import SmtpSink

FORM = {"display_name": "王小红", "password": "long-enough-pass-1", "school": "天津大学", "student_number": "2022001",
        "major": "软件工程", "degree": "master", "graduation_year": "2026"}


@pytest.fixture
def mailbox(settings):
    with SmtpSink() as sink:
        settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
        yield sink


def test_sign_up_answers_alike_for_taken_and_new_addresses(client, session, mailbox):
    taken = make_graduate(session).email
    fresh = "new.graduate@example.edu.cn"
    token = csrf_from(client.get("/signup/graduate").text)
    pages = {email: client.post("/signup/graduate", data={**FORM, "email": email, "csrf_token": token})
             for email in (taken, fresh)}
    assert [p.status_code for p in pages.values()] == [200, 200]
    assert pages[taken].text.replace(taken, "ADDRESS") == pages[fresh].text.replace(fresh, "ADDRESS")
    answers = {email: client.post("/api/v1/graduates", json={**FORM, "email": email, "graduation_year": 2026},
                                  headers={"X-CSRF-Token": token}) for email in (taken, fresh)}
    assert [a.status_code for a in answers.values()] == [202, 202]
    assert answers[taken].json()["detail"] == answers[fresh].json()["detail"]
    assert service.get_user_by_email(session, fresh) is None  # nothing until the address confirms

    messages = mailbox.wait_for(4)
    to_taken = [m for rcpt, m in messages if rcpt == [taken]]
    to_fresh = [m for rcpt, m in messages if rcpt == [fresh]]
    assert len(to_taken) == 2 and all("已经注册" in m.get_content() for m in to_taken)
    link = re.search(r"/signup/confirm/[\w-]+", to_fresh[0].get_content()).group(0)

    confirmed = client.get(link, follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/me/resume"
    account = service.get_user_by_email(session, fresh)
    assert account is not None and service.graduate_profile(session, account.id).school == "天津大学"
    assert client.get("/api/v1/me").json()["email"] == fresh
    assert client.get(link).status_code == 404  # used up (and the second link went with it)
