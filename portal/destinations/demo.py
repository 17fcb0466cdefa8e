"""Demo data for destinations: a file transfer on its way for the graduate whose agreement is signed, and a graduate
without a destination on the officer's follow-up list. Called from portal/demo.py after the agreements' demo; runs
once, through the services."""
from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup
from portal.destinations import followup, service, transfers
from portal.destinations.schemas import DestinationReport, FollowUpEntryCreate, TransferAdvance, TransferCreate
from portal.settings import Settings

JOBLESS_GRADUATE_EMAIL = "graduate.followup@demo.jinying.cn"


def seed_destinations(session: Session, *, settings: Settings, officer_email: str, placed_graduate_email: str,
                      password: str) -> list[tuple[str, str]]:
    """Returns the extra demo login as (role, email); does nothing once the follow-up graduate exists."""
    officer = accounts.get_user_by_email(session, officer_email)
    placed = accounts.get_user_by_email(session, placed_graduate_email)
    if officer is None or placed is None:
        return []
    if accounts.get_user_by_email(session, JOBLESS_GRADUATE_EMAIL) is None:
        _transfer(session, settings=settings, officer=officer, graduate=placed)
        _follow_up(session, officer=officer, password=password)
    return [("graduate", JOBLESS_GRADUATE_EMAIL)]


def _transfer(session: Session, *, settings: Settings, officer, graduate) -> None:
    employer_name = service.get_destination(session, graduate.id).employer_name
    transfer = transfers.request_transfer(session, graduate=graduate, data=TransferCreate(
        kind="personnel_file", target="employer", receiving_unit=f"{employer_name} 人力资源部",
        receiving_address="天津市滨海新区第三大街 16 号",
    ))
    transfers.advance(session, settings=settings, officer=officer, request_id=transfer.id,
                      data=TransferAdvance(status="received", note="材料齐全"))


def _follow_up(session: Session, *, officer, password: str) -> None:
    jobless = accounts.register_graduate(session, signup=GraduateSignup(
        email=JOBLESS_GRADUATE_EMAIL, password=password, display_name="陈浩然", school="南开大学",
        student_number="2021010412", major="法学", degree="bachelor", graduation_year=2025,
    ))
    service.register(session, graduate=jobless, report=DestinationReport(category="seeking_work"))
    followup.build_list(session, officer=officer, graduation_year=2025)
    case = next(c for c, user, *_ in followup.list_cases(session, officer=officer) if user.id == jobless.id)
    # The demo officer is city-wide, so the case sits with the city's service from the start.
    followup.add_entry(session, officer=officer, case_id=case.id, entry=FollowUpEntryCreate(
        kind="contact", channel="电话", note="已电话联系，本人希望在南开区从事法务相关工作。"))
    followup.add_entry(session, officer=officer, case_id=case.id, entry=FollowUpEntryCreate(
        kind="service", service="recommendation", note="推荐两家律所的法务助理岗位。"))
