"""Demo personnel files for `portal serve --demo`: the city's talent service centre and its archivist, and a
secondary vocational graduate whose file it keeps, with a custody certificate issued. Idempotent, through the
services."""
from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup, OfficerCreate
from portal.archives import service
from portal.archives.models import TalentAgency
from portal.archives.schemas import (
    AgencyCreate,
    Contents,
    CustodyApplication,
    ServiceAnswer,
    ServiceRequest,
)
from portal.settings import Settings

AGENCY_NAME = "天津市人才服务中心"
ARCHIVIST_EMAIL = "archive@demo.jinying.cn"
KEPT_EMAIL = "zhaoxy@demo.jinying.cn"


def seed_archives(session: Session, *, settings: Settings, officer_email: str, password: str) -> list[tuple[str, str]]:
    officer = accounts.get_user_by_email(session, officer_email)
    if officer is None:
        return []
    agency = session.exec(select(TalentAgency).where(TalentAgency.name == AGENCY_NAME)).first() or service.create_agency(
        session, officer=officer, agency=AgencyCreate(name=AGENCY_NAME, district="和平区", address="天津市和平区西康路 35 号",
                                                      phone="022-23300000"))
    archivist = accounts.get_user_by_email(session, ARCHIVIST_EMAIL)
    if archivist is None:
        archivist = accounts.create_officer(session, officer=OfficerCreate(
            email=ARCHIVIST_EMAIL, password=password, display_name="孙老师（档案管理）"))
        service.add_agency_officer(session, officer=officer, agency_id=agency.id, email=ARCHIVIST_EMAIL)
    person = accounts.get_user_by_email(session, KEPT_EMAIL)
    if person is None:
        person = accounts.register_graduate(session, signup=GraduateSignup(
            email=KEPT_EMAIL, password=password, display_name="赵小雨", school="天津市第一商业学校",
            student_number="SY2024031", major="会计事务", degree="secondary", graduation_year=2024))
    if not service.my_files(session, person=person):
        _keep_with_certificate(session, settings=settings, agency=agency, archivist=archivist, person=person)
    return [("talent service agency", ARCHIVIST_EMAIL), ("graduate (secondary vocational)", KEPT_EMAIL)]


def _keep_with_certificate(session: Session, *, settings: Settings, agency, archivist, person) -> None:
    row = service.apply(session, settings=settings, person=person, application=CustodyApplication(
        agency_id=agency.id, applicant_kind="no_employer", id_number="120101200503150023", phone="13920240315",
        file_source="elsewhere", file_holder="天津市东丽区人才服务中心"))
    service.decide(session, settings=settings, officer=archivist, file_id=row.id, accept=True,
                   note="请原存档机构以机要方式寄送档案。")
    service.receive(session, settings=settings, officer=archivist, file_id=row.id, contents=Contents(
        contents=["graduate_registration_form", "transcript", "student_status_records", "physical_examination",
                  "admission_records"], location="A 库 03 架 12 格"))
    asked = service.request_service(session, settings=settings, person=person, file_id=row.id,
                                    request=ServiceRequest(kind="custody_certificate", details="办理社保缴费使用"))
    service.answer_service(session, settings=settings, officer=archivist, service_id=asked.id,
                           answer=ServiceAnswer(outcome="done", answer="存档证明已出具，可在线下载。"))
