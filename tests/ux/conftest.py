"""The demo, loaded once for the UX checks (the zh_CN sweep, the accessibility check, phone screenshots)."""
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal import demo
from portal.accounts.service import get_user_by_email
from portal.app import create_app
from portal.settings import Settings
from tests.conftest import demo_database, launched_chromium, serving


@dataclass
class DemoPortal:
    app: object
    engine: Engine
    settings: Settings
    logins: list[tuple[str, str, str]]  # (role as the demo names it, email, password)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


@pytest.fixture(scope="package")
def demo_portal(tmp_path_factory) -> DemoPortal:
    settings, engine, seeded = demo_database(tmp_path_factory.mktemp("demo"))
    app = create_app(settings, engine=engine, run_background_jobs=False)
    logins = [(role, email, demo.DEMO_PASSWORD) for role, email in seeded]
    with Session(engine, expire_on_commit=False) as session:
        _draft_an_agreement(session, settings)
        _register_for_a_fair(session, settings)
    yield DemoPortal(app, engine, settings, logins)
    engine.dispose()


def _draft_an_agreement(session: Session, settings: Settings) -> None:
    """The demo's employer offers the demo graduate the position they were shortlisted for and drafts the agreement,
    so the pages of a draft (its edit page) are in the demo too."""
    from portal.agreements import service as agreements
    from portal.applications import service as applications
    from tests.agreements.conftest import TERMS

    employer = get_user_by_email(session, demo.EMPLOYER_EMAIL)
    graduate = get_user_by_email(session, demo.GRADUATE_EMAIL)
    shortlisted = next(view.application for view in applications.list_for_graduate(session, user=graduate)
                       if view.application.status in ("shortlisted", "interview"))
    applications.move(session, settings=settings, user=employer, application_id=shortlisted.id, status="offer")
    agreements.draft_agreement(session, settings=settings, employer=employer, application_id=shortlisted.id,
                               terms=TERMS)


def _register_for_a_fair(session: Session, settings: Settings) -> None:
    """The demo graduate holds an e-ticket, so the ticket pages are in the demo too."""
    from portal.fairs import service as fairs

    graduate = get_user_by_email(session, demo.GRADUATE_EMAIL)
    fair = fairs.upcoming(session)[0]
    if fairs.ticket_of(session, user=graduate, fair_id=fair.id) is None:
        fairs.register(session, settings=settings, user=graduate, fair_id=fair.id)


@pytest.fixture(scope="package")
def demo_server(demo_portal) -> str:
    with serving(demo_portal.app) as base_url:
        yield base_url


@pytest.fixture(scope="package")
def open_page(browser, demo_server, demo_portal):
    """open_page(device, email) -> a Playwright page signed in as that demo account ("" for nobody), in Chinese on
    Tianjin's clock. Axe is injected into pages, which the portal's Content-Security-Policy rightly forbids: bypassed."""
    passwords = {email: password for _, email, password in demo_portal.logins}

    def open_(device: dict, email: str = ""):
        context = browser.new_context(base_url=demo_server, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      bypass_csp=True, **device)
        context.set_default_timeout(20_000)
        page = context.new_page()
        if email:
            page.goto("/login")
            page.fill("form[action='/login'] input[name=email]", email)
            page.fill("form[action='/login'] input[name=password]", passwords[email])
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_load_state()
        return page

    return open_


@pytest.fixture(scope="package")
def browser(demo_portal):
    # After the demo: its agreement signatures run an event loop of their own, which cannot start inside
    # Playwright's.
    with launched_chromium() as chromium:
        yield chromium
