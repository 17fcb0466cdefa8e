"""With mail configured, sign-up answers the same whether or not the address has an account; the mailbox learns
which, and the link in it finishes the sign-up."""
import re

import pytest
from sqlmodel import select

from portal.accounts import service
from portal.employers.models import Organization, OrganizationStatus
from portal.training.models import TrainingProvider
from tests.conftest import csrf_from
from tests.factories import make_graduate, organization_signup_data
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

    opened = client.get(link)  # the page asks; only its button makes the account
    assert opened.status_code == 200 and service.get_user_by_email(session, fresh) is None
    confirmed = client.post(link, data={"csrf_token": csrf_from(opened.text)}, follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/me/resume"
    account = service.get_user_by_email(session, fresh)
    assert account is not None and service.graduate_profile(session, account.id).school == "天津大学"
    assert client.get("/api/v1/me").json()["email"] == fresh
    assert client.get(link).status_code == 404  # used up (and the second link went with it)


def _alike(pages: dict) -> bool:
    texts = [page.text.replace(email, "ADDRESS") for email, page in pages.items()]
    return texts[0] == texts[1]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the graduate's test above covers PostgreSQL
def test_employer_and_provider_sign_ups_answer_alike_and_the_link_makes_the_organisation(client, session, mailbox):
    """The owner of a taken address gets an email; a new address gets a link that makes the account and its
    organisation (an employer's, pending verification; a training provider's, pending approval)."""
    taken = make_graduate(session).email
    employer, provider = "hr@new-employer.example.cn", "office@new-provider.example.cn"
    token = csrf_from(client.get("/signup/employer").text)
    fields = organization_signup_data()
    pages = {email: client.post("/signup/employer", data={**fields, "email": email, "csrf_token": token})
             for email in (taken, employer)}
    assert [p.status_code for p in pages.values()] == [200, 200] and _alike(pages)
    answers = {email: client.post("/api/v1/organizations", json={**organization_signup_data(), "email": email},
                                  headers={"X-CSRF-Token": token}) for email in (taken, "other@new-employer.example.cn")}
    assert [a.status_code for a in answers.values()] == [202, 202]
    provider_form = {"csrf_token": token, "name": "天津西青职业技能培训中心", "district": "西青区",
                     "address": "天津市西青区中北镇 8 号", "contact_name": "孙老师", "contact_phone": "022-23456789",
                     "password": "long-enough-pass-1"}
    pages = {email: client.post("/signup/provider", data={**provider_form, "email": email})
             for email in (taken, provider)}
    assert [p.status_code for p in pages.values()] == [200, 200] and _alike(pages)
    assert service.get_user_by_email(session, employer) is None and service.get_user_by_email(session, provider) is None

    messages = mailbox.wait_for(6)
    assert sum(rcpt == [taken] and "已经注册" in m.get_content() for rcpt, m in messages) == 3
    for email, home in ((employer, "/employer?welcome=1"), (provider, "/provider")):
        content = next(m.get_content() for rcpt, m in messages if rcpt == [email])
        link = re.search(r"/signup/confirm/[\w-]+", content).group(0)
        confirmed = client.post(link, data={"csrf_token": csrf_from(client.get(link).text)}, follow_redirects=False)
        assert confirmed.status_code == 303 and confirmed.headers["location"] == home
    organization = session.exec(select(Organization).where(Organization.uscc == fields["uscc"])).one()
    assert organization.status == OrganizationStatus.pending and organization.contact_email == employer
    assert session.exec(select(TrainingProvider).where(TrainingProvider.name == provider_form["name"])).one()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_outside_a_developers_machine_sign_up_waits_for_the_address_even_without_mail(settings):
    assert not service.confirms_by_mail(settings)  # the suite's local settings, no mail server
    assert service.confirms_by_mail(settings.model_copy(update={"environment": None}))
    assert service.confirms_by_mail(settings.model_copy(update={"smtp_host": "127.0.0.1"}))
