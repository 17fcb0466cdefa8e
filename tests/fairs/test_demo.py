"""The live services of `portal serve --demo`: fairs, a presentation, an interview and notices, seeded without
duplicates, and renewed once the time-bound ones are over."""
from datetime import timedelta

from sqlmodel import func, select

from portal import demo
from portal.accounts import service as accounts
from portal.fairs.models import JOB_FAIRS, ExhibitorStatus, Fair, FairExhibitor
from portal.interviews.models import Interview
from portal.notices.models import Notice
from portal.presentations.models import Presentation, PresentationRegistration


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_demo_live_services_once_and_renewed(session, settings):
    demo.seed(session, settings=settings)
    demo.seed(session, settings=settings)
    graduate = accounts.get_user_by_email(session, demo.GRADUATE_EMAIL)
    # Job fairs only: guidance and competitions add their own events (forums, report meetings, group guidance).
    assert count(session, Fair, Fair.kind.in_(JOB_FAIRS)) == 2 and count(session, Fair, Fair.kind == "online") == 1
    assert count(session, FairExhibitor, FairExhibitor.status == ExhibitorStatus.approved) == 2
    assert count(session, Presentation, Presentation.status == "approved") == 1
    assert count(session, PresentationRegistration, PresentationRegistration.graduate_id == graduate.id) == 1
    interview = session.exec(select(Interview).where(Interview.graduate_id == graduate.id)).one()
    assert interview.status == "scheduled"
    assert count(session, Notice) == 3
    for row in (interview, *session.exec(select(Presentation)), *session.exec(select(Fair).where(Fair.kind == "online"))):
        for name in ("starts_at", "ends_at"):  # the demo is started again a day later
            if hasattr(row, name):
                setattr(row, name, getattr(row, name) - timedelta(days=1))
        session.add(row)
    session.commit()
    demo.seed(session, settings=settings)
    assert count(session, Presentation) == 2 and count(session, Fair, Fair.kind == "online") == 2
    assert count(session, Interview, Interview.status == "scheduled") == 1
    assert count(session, Notice) == 3
