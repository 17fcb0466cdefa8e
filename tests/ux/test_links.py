"""Links the portal hands out (the verification page, the link printed in the agreement PDF, emails) point to the
address the portal is served on when no base URL is configured: here a random loopback port, never 8000."""
import re
import subprocess
import time

import httpx
import pytest

from tests.agreements.conftest import ca_settings  # noqa: F401  (the signing authority the PDF needs)
from tests.conftest import sign_in
from tests.factories import make_offer
from tests.notifications.smtp_sink import SmtpSink


def _first_mail(sink, timeout: float = 10.0):
    # Mail leaves after the commit, from another thread.
    deadline = time.monotonic() + timeout
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sink.messages, "no email arrived"
    return sink.messages[0]


@pytest.fixture
def mail(settings):
    with SmtpSink() as sink:
        settings.smtp_host, settings.smtp_port = "127.0.0.1", sink.port
        yield sink


def test_verify_and_email_links_use_the_served_address(session, ca_settings, mail, live_server):  # noqa: F811
    assert ca_settings.base_url is None and not live_server.endswith(":8000")
    application, _, recruiter, graduate = make_offer(session)
    with httpx.Client(base_url=live_server) as employer:
        sign_in(employer, recruiter.email)
        response = employer.post("/agreements", data={
            "application_id": application.id, "position_title": "后端开发工程师", "salary_monthly": 9500,
            "probation_months": 3, "start_date": "2026-07-15", "work_place": "天津市滨海新区第三大街 16 号",
            "breach_terms": "", "extra_clauses": "", "csrf_token": employer.headers["X-CSRF-Token"],
        })
        assert response.status_code == 303, response.text
        detail_url = response.headers["location"]
        page = employer.get(detail_url).text
        verify_link = re.search(r'href="([^"]*/verify/[^"]+)"', page).group(1)
        assert verify_link.startswith(f"{live_server}/verify/")

        pdf = employer.get(f"{detail_url}/pdf").content
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert verify_link in text.replace("\n", "")
        employer.post(f"{detail_url}/sign", data={"password": "correct-horse-9",
                                                  "csrf_token": employer.headers["X-CSRF-Token"]})

    # The graduate is told by email that the agreement awaits their signature, with a link they can open.
    to, message = _first_mail(mail)
    assert to == [graduate.email]
    body = message.get_content()
    assert f"{live_server}{detail_url}" in body
    assert "127.0.0.1:8000" not in body
