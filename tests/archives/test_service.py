"""Personnel files in custody, services on both databases: the whole story from the school through the transfer flow,
a secondary vocational graduate's file from elsewhere, what people ask of a kept file, the agency scope, and the audit
of every read of a file's contents."""
import subprocess

import pytest
from pydantic import ValidationError
from sqlmodel import select

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup
from portal.archives import service
from portal.archives.models import FileStatus
from portal.archives.schemas import (
    Contents,
    CustodyApplication,
    ServiceAnswer,
    ServiceRequest,
)
from portal.audit.models import AuditEntry
from portal.destinations import transfers
from portal.destinations.models import TransferRequest
from portal.destinations.schemas import TransferAdvance
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.scope import scope_of
from tests.factories import (
    ID_NUMBER,
    PASSWORD,
    make_agency,
    make_graduate,
    make_kept_file,
    make_officer,
)

CONTENTS = Contents(contents=["transcript", "graduate_registration_form", "physical_examination"], location="B 库 01-07")


def application(agency, **overrides) -> CustodyApplication:
    fields = {"agency_id": agency.id, "applicant_kind": "no_employer", "id_number": ID_NUMBER, "phone": "13800138000",
              "file_source": "school"}
    fields.update(overrides)
    return CustodyApplication(**fields)


def test_a_file_comes_from_the_school_by_the_transfer_flow_and_the_graduate_sees_each_step(session, settings):
    agency, staff = make_agency(session)
    graduate = make_graduate(session)  # 南开大学
    school_officer = make_officer(session, schools=("南开大学",))
    row = service.apply(session, settings=settings, person=graduate, application=application(agency))
    transfer = session.get(TransferRequest, row.transfer_request_id)
    assert (transfer.kind, transfer.target, transfer.receiving_unit) == ("personnel_file", "talent_service", agency.name)

    service.decide(session, settings=settings, officer=staff, file_id=row.id, accept=True)
    with pytest.raises(Conflict):  # the school has not posted it yet
        service.receive(session, settings=settings, officer=staff, file_id=row.id, contents=CONTENTS)
    session.rollback()
    for status, tracking in (("received", ""), ("sent", "EMS1234567890")):
        transfers.advance(session, settings=settings, officer=school_officer, request_id=transfer.id,
                          data=TransferAdvance(status=status, tracking_number=tracking))
    kept = service.receive(session, settings=settings, officer=staff, file_id=row.id, contents=CONTENTS)
    assert kept.status == FileStatus.in_custody and kept.archive_number.startswith(f"TJ{agency.id:03d}-")
    session.refresh(transfer)
    assert transfer.status == "arrived"

    view = service.my_files(session, person=graduate)[0]
    assert [step.kind for step in view.steps] == ["applied", "accepted", "in_custody"]
    with pytest.raises(Conflict):
        service.apply(session, settings=settings, person=graduate, application=application(agency))


def test_a_secondary_vocational_graduate_from_elsewhere_is_kept_and_their_school_officer_covers_them(session, settings):
    person = accounts.register_graduate(session, signup=GraduateSignup(
        email="zz@example.cn", password=PASSWORD, display_name="赵中职", school="天津市第一商业学校",
        student_number="ZZ2026001", major="会计事务", degree="secondary", graduation_year=2026))
    school_officer = make_officer(session, schools=("天津市第一商业学校",))
    assert scope_of(session, school_officer).covers_graduate(accounts.graduate_profile(session, person.id))
    assert not scope_of(session, make_officer(session)).covers_graduate(accounts.graduate_profile(session, person.id))
    row, _, _ = make_kept_file(session, settings, person=person)
    assert row.transfer_request_id is None and row.status == FileStatus.in_custody
    with pytest.raises(ValidationError, match="does not award"):
        GraduateSignup(email="x@example.cn", password=PASSWORD, display_name="钱", school="天津市第一商业学校",
                       student_number="1", major="会计事务", degree="bachelor", graduation_year=2026)


def test_what_people_ask_of_a_kept_file(session, settings, tmp_path):
    row, person, staff = make_kept_file(session, settings)
    ask = lambda **fields: service.request_service(session, settings=settings, person=person, file_id=row.id,
                                                   request=ServiceRequest(**fields))
    answer = lambda asked, **fields: service.answer_service(
        session, settings=settings, officer=staff, service_id=asked.id, answer=ServiceAnswer(**fields))

    certificate = ask(kind="custody_certificate")
    with pytest.raises(Conflict):
        ask(kind="custody_certificate")
    session.rollback()
    issued = answer(certificate, outcome="done")
    assert issued.certificate_number.startswith(row.archive_number)
    pdf, filename = service.certificate_pdf(session, settings=settings, user=person, service_id=certificate.id)
    assert filename == f"存档证明-{issued.certificate_number}.pdf"
    (tmp_path / "c.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "存档证明" in text and person.display_name in text and row.archive_number in text

    review = ask(kind="political_review", receiving_unit="天津港集团", receiving_address="天津市滨海新区津港路 99 号")
    with pytest.raises(Invalid):
        answer(review, outcome="done")
    session.rollback()
    answer(review, outcome="done", tracking_number="EMS00112233")

    lost = ask(kind="lost_item", details="报到证遗失")
    answer(lost, outcome="follow_up", answer="已联系原学校补办")
    answer(lost, outcome="done", answer="补办件已归档")

    out = ask(kind="transfer_out", receiving_unit="天津港集团", receiving_address="天津市滨海新区津港路 99 号")
    answer(out, outcome="done", tracking_number="EMS99887766")
    session.refresh(row)
    assert row.status == FileStatus.transferred_out
    kinds = [step.kind for step in service.my_files(session, person=person)[0].steps]
    assert "lost_item.follow_up" in kinds and kinds[-1] == "transfer_out.done"
    with pytest.raises(Conflict):
        ask(kind="custody_certificate")


def test_only_the_agencys_officers_see_a_file_and_every_read_of_its_contents_is_audited(session, settings):
    row, person, staff = make_kept_file(session, settings)
    view = service.file_for_agency(session, officer=staff, file_id=row.id)
    assert view.file.contents == ["graduate_registration_form", "transcript"] and view.file.location == "A 库 03-12"
    reads = session.exec(select(AuditEntry).where(AuditEntry.action == "archives.file.read")).all()
    assert [(r.actor_id, r.subject_user_id) for r in reads] == [(staff.id, person.id)]

    _, other_agency_staff = make_agency(session)
    for outsider in (other_agency_staff, make_officer(session, city_wide=True)):
        with pytest.raises(NotFound):
            service.file_for_agency(session, officer=outsider, file_id=row.id)
    with pytest.raises(NotFound):
        service.request_service(session, settings=settings, person=make_graduate(session), file_id=row.id,
                                request=ServiceRequest(kind="custody_certificate"))
    with pytest.raises(Forbidden):
        make_agency_by(session, staff)


def make_agency_by(session, officer):
    from portal.archives.schemas import AgencyCreate

    return service.create_agency(session, officer=officer, agency=AgencyCreate(
        name="不该建立的中心", district="和平区", address="天津市和平区", phone="022-23456789"))


def test_a_refused_application_says_why_and_the_person_may_apply_again(session, settings):
    agency, staff = make_agency(session)
    person = make_graduate(session)
    row = service.apply(session, settings=settings, person=person, application=application(
        agency, file_source="elsewhere", file_holder="某公司", applicant_kind="study_abroad", abroad_country="英国"))
    service.decide(session, settings=settings, officer=staff, file_id=row.id, accept=False, note="请到户籍所在区办理")
    assert service.my_files(session, person=person)[0].steps[-1].note == "请到户籍所在区办理"
    again = service.apply(session, settings=settings, person=person, application=application(
        agency, file_source="elsewhere", file_holder="某公司"))
    service.withdraw(session, person=person, file_id=again.id)
    assert session.get(type(again), again.id).status == FileStatus.withdrawn
