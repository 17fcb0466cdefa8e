"""Subsidy services: who may claim, documents checked by content, the officer's decisions, one approval ever."""
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.errors import Conflict, Invalid, NotFound
from portal.storage import storage_for
from portal.subsidies import service
from portal.subsidies.models import SubsidyApplication, SubsidyDocument, SubsidyStatus
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    make_graduate,
    make_ledger_case,
    make_officer,
    make_programme,
    make_subsidy_claim,
    make_trainee,
)


def test_the_graduating_class_turns_over_in_september():
    assert service.graduating_class(date(2026, 6, 30)) == 2026
    assert service.graduating_class(date(2026, 9, 1)) == 2027


def test_a_claim_needs_a_completed_subsidised_programme_and_a_group_it_is_for(session, settings):
    programme, _, graduate = make_trainee(session, settings, completed=False)
    with pytest.raises(Conflict, match="completed"):
        service.start(session, graduate=graduate, programme_id=programme.id)

    only_priority = make_programme(session, started=True, subsidy_groups=["priority_group"])
    _, _, outsider = make_trainee(session, settings, programme=only_priority)
    with pytest.raises(Conflict, match="particular groups"):
        service.start(session, graduate=outsider, programme_id=only_priority.id)

    officer = make_officer(session, city_wide=True)
    make_ledger_case(session, outsider, officer)
    application = service.start(session, graduate=outsider, programme_id=only_priority.id)
    assert application.eligible_group == "priority_group" and application.amount_claimed == only_priority.subsidy_amount


def test_an_unemployed_graduate_of_last_year_is_in_the_group_a_placed_one_is_not(session):
    last_year = make_graduate(session, graduation_year=service.graduating_class() - 1)
    assert service.groups_of(session, last_year.id) == {"unemployed_graduate"}
    long_ago = make_graduate(session, graduation_year=service.graduating_class() - 3)
    assert service.groups_of(session, long_ago.id) == set()


def test_a_second_claim_for_the_same_programme_is_refused(session, settings):
    application, graduate = make_subsidy_claim(session, settings, submitted=False)
    with pytest.raises(Conflict, match="already claimed"):
        service.start(session, graduate=graduate, programme_id=application.programme_id)
    duplicate = SubsidyApplication(graduate_id=graduate.id, programme_id=application.programme_id,
                                   enrolment_id=application.enrolment_id, eligible_group="final_year", amount_claimed=1)
    session.add(duplicate)
    with pytest.raises(IntegrityError):  # the database itself refuses a second row
        session.commit()
    session.rollback()


def test_documents_are_checked_by_content_capped_and_stored_under_our_own_key(session, settings):
    application, graduate = make_subsidy_claim(session, settings, submitted=False)
    with pytest.raises(Invalid, match="PDF, JPEG or PNG"):
        service.add_document(session, settings=settings, graduate=graduate, application_id=application.id,
                             kind="other", filename="evil.pdf", chunks=[b"<html><script>alert(1)</script>"])
    with pytest.raises(Invalid, match="larger than"):
        service.add_document(session, settings=settings, graduate=graduate, application_id=application.id,
                             kind="other", filename="big.png",
                             chunks=[PNG_BYTES, b"\x00" * settings.upload_max_bytes])
    document = service.add_document(session, settings=settings, graduate=graduate, application_id=application.id,
                                    kind="fee_receipt", filename="C:\\Users\\me\\发票.png", chunks=[PNG_BYTES])
    assert document.content_type == "image/png" and document.original_name == "发票.png"
    assert document.storage_key.startswith(f"subsidies/{application.id}/") and "发票" not in document.storage_key
    assert storage_for(settings).read(document.storage_key) == PNG_BYTES
    assert len(session.exec(select(SubsidyDocument)).all()) == 4

    service.remove_document(session, settings=settings, graduate=graduate, document_id=document.id)
    assert not storage_for(settings).exists(document.storage_key)


def test_a_document_whose_file_cannot_be_written_leaves_no_row(session, settings):
    application, graduate = make_subsidy_claim(session, settings, submitted=False)
    blocker = settings.uploads_dir / "subsidies" / str(application.id)
    for child in blocker.iterdir():
        child.unlink()
    blocker.rmdir()
    blocker.write_bytes(b"a file where the folder should be")
    before = len(session.exec(select(SubsidyDocument)).all())
    with pytest.raises(OSError):
        service.add_document(session, settings=settings, graduate=graduate, application_id=application.id,
                             kind="other", filename="x.pdf", chunks=[PDF_BYTES])
    assert len(session.exec(select(SubsidyDocument)).all()) == before


def test_submitting_needs_every_required_document(session, settings):
    application, graduate = make_subsidy_claim(session, settings, submitted=False)
    certificate = session.exec(select(SubsidyDocument).where(SubsidyDocument.kind == "certificate")).one()
    service.remove_document(session, settings=settings, graduate=graduate, document_id=certificate.id)
    with pytest.raises(Invalid, match="missing"):
        service.submit(session, settings=settings, graduate=graduate, application_id=application.id)
    assert service.missing_documents(session, application.id) == ["certificate"]


def test_more_requested_then_resubmitted_then_approved_and_paid(session, settings):
    application, graduate = make_subsidy_claim(session, settings)
    officer = make_officer(session)
    service.request_more(session, settings=settings, officer=officer, application_id=application.id,
                         note="银行卡照片不清楚，请重新上传")
    with pytest.raises(Conflict):
        service.approve(session, settings=settings, officer=officer, application_id=application.id, amount=100)
    service.add_document(session, settings=settings, graduate=graduate, application_id=application.id,
                         kind="bank_card", filename="card.png", chunks=[PNG_BYTES])
    assert service.submit(session, settings=settings, graduate=graduate, application_id=application.id,
                          note="已重新拍摄").status == SubsidyStatus.resubmitted
    with pytest.raises(Invalid, match="at most"):
        service.approve(session, settings=settings, officer=officer, application_id=application.id, amount=10**5)
    approved = service.approve(session, settings=settings, officer=officer, application_id=application.id, amount=1500)
    assert (approved.status, approved.approved_amount, approved.payment_status) == ("approved", 1500, "unpaid")
    with pytest.raises(Conflict):
        service.add_document(session, settings=settings, graduate=graduate, application_id=application.id,
                             kind="other", filename="late.pdf", chunks=[PDF_BYTES])
    paid = service.record_payment(session, settings=settings, officer=officer, application_id=application.id,
                                  reference="CZ-2026-118")
    assert paid.payment_status == "paid" and paid.paid_at is not None
    actions = [e.action for e in service.events_of(session, application.id)]
    assert actions == ["created", "submitted", "more_requested", "resubmitted", "approved", "paid"]


def test_a_rejection_needs_a_reason_and_is_final(session, settings):
    application, _ = make_subsidy_claim(session, settings)
    officer = make_officer(session)
    service.reject(session, settings=settings, officer=officer, application_id=application.id, reason="证书与项目不符")
    with pytest.raises(Conflict):
        service.approve(session, settings=settings, officer=officer, application_id=application.id, amount=1)


def test_officers_reach_only_graduates_in_their_scope_and_every_look_is_audited(session, settings):
    application, graduate = make_subsidy_claim(session, settings)
    outsider = make_officer(session, schools=("天津大学",))
    with pytest.raises(NotFound):
        service.application_for_officer(session, officer=outsider, application_id=application.id)
    with pytest.raises(NotFound):
        service.approve(session, settings=settings, officer=outsider, application_id=application.id, amount=1)
    assert service.list_for_officer(session, officer=outsider).items == []
    document = session.exec(select(SubsidyDocument)).first()
    with pytest.raises(NotFound):
        service.read_document(session, settings=settings, user=outsider, document_id=document.id)
    with pytest.raises(NotFound):
        service.read_document(session, settings=settings, user=make_graduate(session), document_id=document.id)

    insider = make_officer(session, schools=("南开大学",))
    assert [r.application.id for r in service.list_for_officer(session, officer=insider).items] == [application.id]
    service.application_for_officer(session, officer=insider, application_id=application.id)
    assert service.read_document(session, settings=settings, user=insider, document_id=document.id)[1] == PDF_BYTES
    audited = session.exec(select(AuditEntry.action).where(AuditEntry.actor_id == insider.id,
                                                           AuditEntry.subject_user_id == graduate.id)).all()
    assert sorted(audited) == ["subsidy.document.view", "subsidy.view"]


def test_the_finance_export_lists_approved_claims_in_scope(session, settings):
    approved, graduate = make_subsidy_claim(session, settings)
    make_subsidy_claim(session, settings)  # submitted, not approved
    officer = make_officer(session)
    service.approve(session, settings=settings, officer=officer, application_id=approved.id, amount=1800)
    sheet = load_workbook(BytesIO(service.export_xlsx(session, officer=officer))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == approved.id and rows[1][1] == graduate.display_name and rows[1][7] == 1800
