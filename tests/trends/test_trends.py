"""Officers' trends: applications, offers, signings and destinations per week (Monday to Sunday, Tianjin time) for
the graduates in their scope, as charts with spoken summaries and a table of the numbers."""
import re
from datetime import UTC, date, datetime

from sqlmodel import select

from portal.applications.models import ApplicationEvent
from portal.destinations import service as destinations
from portal.destinations.models import DestinationChange
from portal.destinations.schemas import DestinationReport
from portal.trends.service import weekly_trends
from tests.agreements.conftest import ca_settings, parties, sign_all  # noqa: F401
from tests.factories import make_application, make_employer, make_graduate, make_officer, make_position

TODAY = date(2026, 6, 17)  # a Wednesday; its week starts on Monday 15 June
ZH = {"Accept-Language": "zh-CN"}


def _at(row, moment, *fields):
    for name in fields:
        setattr(row, name, moment)
    return row


def test_counts_fall_in_tianjin_weeks_and_stay_in_scope(session, settings, ca_settings, parties):  # noqa: F811
    agreement, recruiter, signer_graduate, school_officer = parties
    officer = make_officer(session, schools=["南开大学"])
    organization, _ = make_employer(session)
    position = make_position(session, organization)
    mine = make_graduate(session, school="南开大学")
    theirs = make_graduate(session, school="天津大学")
    # Sunday 14 June 23:30 UTC is Monday 15 June 07:30 in Tianjin: this week, not last.
    early_monday = datetime(2026, 6, 14, 23, 30, tzinfo=UTC)
    for graduate in (mine, theirs):
        application = make_application(session, graduate, position, settings=settings)
        session.add(_at(application, early_monday, "created_at"))
        session.add(ApplicationEvent(application_id=application.id, status="offer", actor_id=recruiter.id,
                                     created_at=datetime(2026, 6, 2, 3, 0, tzinfo=UTC)))
    session.commit()
    agreement = sign_all(session, ca_settings, agreement, recruiter, signer_graduate, school_officer)
    session.add(_at(agreement, datetime(2026, 6, 9, 2, 0, tzinfo=UTC), "signed_at"))
    destinations.register(session, graduate=mine, report=DestinationReport(category="further_study"))
    change = session.exec(select(DestinationChange).where(DestinationChange.graduate_id == mine.id)).one()
    session.add(_at(change, datetime(2026, 3, 1, tzinfo=UTC), "created_at"))  # before the window
    session.commit()

    series = {s.key: s for s in weekly_trends(session, officer=officer, today=TODAY)}
    assert [monday for monday, _ in series["applications"].weeks][-1] == date(2026, 6, 15)
    assert len(series["applications"].weeks) == 12
    assert series["applications"].weeks[-1] == (date(2026, 6, 15), 1)  # only the graduate in scope
    assert series["applications"].total == 1
    assert dict(series["offers"].weeks)[date(2026, 6, 1)] == 1 and series["offers"].total == 1
    # The signed agreement's graduate (南开大学, the factories' default school) is in scope too.
    assert dict(series["signings"].weeks)[date(2026, 6, 8)] == 1
    assert series["destinations"].total == 0

    city = {s.key: s for s in weekly_trends(session, officer=make_officer(session, city_wide=True), today=TODAY)}
    assert city["applications"].total == 2 and city["offers"].total == 2


def test_officer_home_and_trends_page_show_accessible_charts(session, client_for, settings):
    officer = make_officer(session, schools=["南开大学"])
    organization, _ = make_employer(session)
    make_application(session, make_graduate(session, school="南开大学"), make_position(session, organization),
                     settings=settings)
    client = client_for(officer)
    home = client.get("/officer", headers=ZH).text
    panel = home[home.index('id="trends"'):]
    charts = re.findall(r'<svg class="week-chart[^>]*role="img" aria-label="([^"]+)"', panel)
    assert len(charts) == 4
    assert charts[0].startswith("近 12 周每周新增投递：共 1，本周 1")
    page = client.get("/officer/trends", headers=ZH).text
    assert "每周数据" in page and page.count("<tr>") >= 13
    assert client_for(make_graduate(session)).get("/officer/trends").status_code == 403
