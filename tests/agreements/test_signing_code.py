"""Signing with a one-time code by email, for signers who have no password (signed in through SSO)."""
import re

import pytest

from portal.agreements import service
from portal.errors import Conflict, Invalid
from tests.factories import PASSWORD
from tests.notifications.smtp_sink import SmtpSink


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def last_code(sink, count: int = 1) -> str:
    """The code in the newest of the first `count` messages (mail leaves after commit, from another thread)."""
    return re.search(r"\b(\d{6})\b", sink.wait_for(count)[count - 1][1].get_payload(decode=True).decode()).group(1)


def test_a_graduate_without_password_signs_with_an_emailed_code(session, parties, ca_settings, sink):
    agreement, recruiter, graduate, officer = parties
    service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    graduate.password_hash = None
    session.add(graduate)
    session.commit()
    with pytest.raises(Conflict):  # no email service, no codes
        service.send_signing_code(session, settings=ca_settings, user=graduate, agreement_id=agreement.id)
    with pytest.raises(Invalid):
        service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, password="anything")

    ca_settings.smtp_host, ca_settings.smtp_port = "127.0.0.1", sink.port
    service.send_signing_code(session, settings=ca_settings, user=graduate, agreement_id=agreement.id)
    to, message = sink.wait_for(1)[0]
    assert to == [graduate.email] and agreement.number in message["Subject"]
    code = last_code(sink)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    with pytest.raises(Invalid):
        service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, code=wrong)
    signed = service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, code=code)
    assert signed.status == "awaiting_school"
    # The code was used up with that signature.
    assert service.signatures(session, agreement.id)[-1].signer_id == graduate.id


def test_a_code_is_for_the_signer_whose_turn_it_is(session, parties, ca_settings, sink):
    agreement, recruiter, graduate, officer = parties
    ca_settings.smtp_host, ca_settings.smtp_port = "127.0.0.1", sink.port
    with pytest.raises(Conflict):  # the employer signs first
        service.send_signing_code(session, settings=ca_settings, user=graduate, agreement_id=agreement.id)
    service.send_signing_code(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id)
    code = last_code(sink)
    for _ in range(service.CODE_ATTEMPTS):
        with pytest.raises(Invalid):
            service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, code="000000"
                         if code != "000000" else "111111")
    with pytest.raises(Invalid):  # too many wrong tries: even the right code no longer works
        service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, code=code)


def test_the_sign_form_offers_a_code_when_email_is_configured(session, parties, ca_settings, sink, client_for):
    agreement, recruiter, graduate, officer = parties
    ca_settings.smtp_host, ca_settings.smtp_port = "127.0.0.1", sink.port
    browser = client_for(recruiter)
    assert 'name="code"' in browser.get(f"/agreements/{agreement.id}").text
    response = browser.post(f"/agreements/{agreement.id}/sign-code", follow_redirects=False)
    assert response.status_code == 303
    response = browser.post(f"/agreements/{agreement.id}/sign", data={"code": last_code(sink), "password": ""},
                            follow_redirects=False)
    assert response.status_code == 303, response.text
