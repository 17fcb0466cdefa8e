"""The demo's guidance, personnel files and competitions: made once, through the services, whatever runs it again;
the demo graduate has guidance booked, a secondary vocational graduate's file is kept with a certificate issued, and
the demo team received its judges' scores."""
from sqlmodel import select

from portal.accounts import service as accounts
from portal.archives import service as archives
from portal.archives.demo import KEPT_EMAIL, seed_archives
from portal.competitions import service as competitions
from portal.competitions.demo import seed_competitions
from portal.guidance import service as guidance
from portal.guidance.demo import seed_guidance
from portal.guidance.models import GuidanceAction
from portal.ledger.models import LedgerMeasure
from tests.factories import PASSWORD, make_graduate, make_ledger_case, make_officer


def test_the_demo_seeds_guidance_a_kept_file_and_a_judged_team_once(session, settings):
    officer = make_officer(session, city_wide=True)
    graduate, supported = make_graduate(session), make_graduate(session)
    make_ledger_case(session, supported, officer)
    people = {"officer_email": officer.email, "password": PASSWORD}
    for _ in range(2):
        logins = seed_guidance(session, settings=settings, graduate_email=graduate.email,
                               supported_email=supported.email, **people)
        logins += seed_archives(session, settings=settings, **people)
        logins += seed_competitions(session, settings=settings, graduate_email=graduate.email,
                                    teammate_email=supported.email, **people)
    assert [role for role, _ in logins] == ["counsellor", "talent service agency", "graduate (secondary vocational)",
                                            "judge"]
    [booked] = guidance.my_appointments(session, graduate=graduate)
    assert booked.upcoming and booked.slot.slot.mode == "video"
    [action] = session.exec(select(GuidanceAction)).all()
    measure = session.get(LedgerMeasure, action.ledger_measure_id)
    assert (measure.kind, measure.link) == ("guidance_session", f"/guidance/adviser/appointments/{action.appointment_id}")

    [kept] = archives.my_files(session, person=accounts.get_user_by_email(session, KEPT_EMAIL))
    assert kept.file.status == "in_custody" and kept.services[0].certificate_number

    [(team, _)] = competitions.my_entries(session, graduate=graduate)
    assert len(team.scores) == 2 and team.entry.award == "一等奖" and len(team.members) == 2
    assert {c.status for c in competitions.published(session)} == {"results_published", "open"}
    assert len(competitions.events_of(session, team.competition)) == 2
