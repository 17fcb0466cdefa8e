"""Real PAdES signatures on generated agreements, verified with pyHanko, including tampered copies."""
import shutil
import subprocess
import time
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from typer.testing import CliRunner

from portal import events
from portal.agreements import ca, service, signing
from portal.agreements.models import SIGNATURE_FIELDS, AgreementStatus
from portal.destinations import service as destinations
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.settings import Settings
from tests.agreements.conftest import TERMS, sign_all
from tests.factories import PASSWORD, make_graduate, make_officer


def verify(settings, pdf):
    return signing.verify_pdf(pdf, root=ca.root_asn1(settings))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_draft_pdf_has_extractable_chinese_text_and_the_verification_link(session, parties, ca_settings):
    agreement, *_ = parties
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(ca_settings.data_dir / agreement.pdf_file), "-"],
        capture_output=True, check=True, text=True,
    ).stdout
    assert "天津市普通高等学校毕业生就业协议书" in text
    assert "后端开发工程师" in text and "滨海新区" in text
    assert agreement.parties["graduate"]["name"] in text
    assert f"/verify/{agreement.verify_code}" in text


def test_three_parties_sign_in_order_and_every_signature_verifies(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    agreement = sign_all(session, ca_settings, agreement, recruiter, graduate, officer)

    assert agreement.status == AgreementStatus.signed and agreement.signed_at is not None
    pdf = service.read_pdf(ca_settings, agreement)
    report = verify(ca_settings, pdf)
    assert report.valid
    assert [s.signer for s in report.signatures] == [recruiter.display_name, graduate.display_name, officer.display_name]
    assert [s.signer_role for s in report.signatures] == ["employer", "graduate", "school"]
    assert all(s.intact and s.trusted and s.later_changes_allowed for s in report.signatures)
    # Only the last signature covers the whole file; the earlier ones cover their revision plus signatures.
    assert [s.covers_whole_document for s in report.signatures] == [False, False, True]

    rows = service.signatures(session, agreement.id)
    assert [r.party for r in rows] == ["employer", "graduate", "school"]
    assert rows[0].hash_after == rows[1].hash_before and rows[2].hash_after == agreement.document_sha256
    assert all(r.ip == "127.0.0.1" for r in rows)

    # The signed agreement registered the graduate's destination by itself.
    destination = destinations.get_destination(session, graduate.id)
    assert destination.category == "agreement" and destination.agreement_id == agreement.id


def test_the_draft_declares_each_partys_field_and_signing_only_fills_them(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties

    def signature_fields(pdf):
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        return {name: value is not None for name, value, _ in fields.enumerate_sig_fields(reader)}

    assert signature_fields(service.read_pdf(ca_settings, agreement)) == dict.fromkeys(SIGNATURE_FIELDS, False)
    agreement = sign_all(session, ca_settings, agreement, recruiter, graduate, officer)
    signed = service.read_pdf(ca_settings, agreement)
    assert signature_fields(signed) == dict.fromkeys(SIGNATURE_FIELDS, True)
    report = verify(ca_settings, signed)
    assert report.valid and report.changes == [] and report.unsigned_fields == []


def test_redrawing_a_draft_never_overwrites_the_file_the_record_names(session, parties, ca_settings):
    agreement, recruiter, *_ = parties
    first_file, first_hash = agreement.pdf_file, agreement.document_sha256
    edited = service.update_draft(session, settings=ca_settings, employer=recruiter, agreement_id=agreement.id,
                                  terms=TERMS.model_copy(update={"salary_monthly": 10500}))
    assert edited.pdf_file != first_file
    assert signing.sha256((ca_settings.data_dir / first_file).read_bytes()) == first_hash
    assert signing.sha256(service.read_pdf(ca_settings, edited)) == edited.document_sha256 != first_hash


def test_signing_out_of_order_is_refused(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, password=PASSWORD)
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=officer, agreement_id=agreement.id, password=PASSWORD,
                     acknowledge_flags=True)
    service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=officer, agreement_id=agreement.id, password=PASSWORD,
                     acknowledge_flags=True)
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    assert len(service.signatures(session, agreement.id)) == 1


def test_only_the_graduate_signs_as_the_graduate(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    other_graduate = make_graduate(session)
    city_officer = make_officer(session, schools=(), city_wide=True)
    other_school_officer = make_officer(session, schools=("天津大学",))
    with pytest.raises(NotFound):  # someone else's agreement does not exist for them
        service.sign(session, settings=ca_settings, user=other_graduate, agreement_id=agreement.id, password=PASSWORD)
    with pytest.raises(NotFound):
        service.sign(session, settings=ca_settings, user=other_school_officer, agreement_id=agreement.id, password=PASSWORD)
    with pytest.raises(Forbidden):  # a city officer may look, but signs for no party
        service.sign(session, settings=ca_settings, user=city_officer, agreement_id=agreement.id, password=PASSWORD)
    with pytest.raises(Conflict):  # the school's officer is a party, but not the graduate
        service.sign(session, settings=ca_settings, user=officer, agreement_id=agreement.id, password=PASSWORD,
                     acknowledge_flags=True)
    assert service.get_agreement(session, user=graduate, agreement_id=agreement.id).status == "awaiting_graduate"


def test_wrong_password_signs_nothing(session, parties, ca_settings):
    agreement, recruiter, *_ = parties
    with pytest.raises(Invalid):
        service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password="not-it")
    assert service.signatures(session, agreement.id) == []
    assert service.get_agreement(session, user=recruiter, agreement_id=agreement.id).status == "draft"


def test_a_changed_byte_breaks_every_signature(session, parties, ca_settings):
    agreement = sign_all(session, ca_settings, *parties)
    pdf = service.read_pdf(ca_settings, agreement)
    at = pdf.index(b"stream", 1000) + 40  # inside a content stream covered by all three signatures
    tampered = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
    report = verify(ca_settings, tampered)
    assert not report.valid
    assert all(not s.intact and not s.valid for s in report.signatures)
    assert all(s.trusted is None for s in report.signatures)  # a broken signature's chain is not checked


def test_a_page_added_after_signing_is_reported(session, parties, ca_settings):
    agreement = sign_all(session, ca_settings, *parties)
    writer = IncrementalPdfFileWriter(BytesIO(service.read_pdf(ca_settings, agreement)))
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
    }))
    out = BytesIO()
    writer.write(out)
    report = verify(ca_settings, out.getvalue())
    assert not report.valid
    # The signed bytes are untouched; what fails is what came after them.
    assert all(s.intact and not s.later_changes_allowed and not s.valid for s in report.signatures)
    assert not report.signatures[-1].covers_whole_document


def test_a_file_with_many_revisions_is_refused_without_reading_each(session, parties, ca_settings):
    agreement = sign_all(session, ca_settings, *parties)
    pdf = service.read_pdf(ca_settings, agreement)
    for n in range(40):  # each an incremental update that only touches the document information
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        writer.set_info(generic.DictionaryObject({generic.NameObject("/Subject"): generic.TextStringObject(str(n))}))
        out = BytesIO()
        writer.write(out)
        pdf = out.getvalue()
    started = time.monotonic()
    report = verify(ca_settings, pdf)
    assert time.monotonic() - started < 5
    assert not report.valid and report.modified and report.revisions == 45
    assert report.error == "The file has more signatures or revisions than an agreement can have."


def test_a_signature_by_a_key_from_another_authority_is_invalid(session, parties, ca_settings, tmp_path):
    agreement, *_ = parties
    impostor = Settings(data_dir=tmp_path / "impostor", secret_key="another-secret", _env_file=None)
    ca.init_ca(impostor)  # same name as the portal's root, different key
    cert = ca.issue_party_certificate(impostor, user_id=999, common_name="冒名顶替", organization="南开大学", role="school")
    forged = signing.sign_pdf(
        service.read_pdf(ca_settings, agreement),
        credential=ca.load_party_credential(impostor, certificate_pem=ca.pem(cert)),
        root=ca.root_asn1(impostor), field_name="sig_school", signer_name="冒名顶替", reason="forged",
    )
    report = verify(ca_settings, forged)
    assert not report.valid
    assert report.signatures[0].intact and report.signatures[0].trusted is False


def test_an_unsigned_or_unreadable_file_is_not_valid(session, parties, ca_settings):
    agreement, *_ = parties
    assert verify(ca_settings, service.read_pdf(ca_settings, agreement)).error == "The file has no digital signatures."
    assert not verify(ca_settings, b"%PDF-1.7 nonsense").valid


def test_cancelled_agreement_cannot_be_signed_and_destination_is_updated(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    seen = []
    listener = events.on(events.AGREEMENT_CANCELLED, lambda session, agreement: seen.append(agreement.id))
    try:
        agreement = sign_all(session, ca_settings, agreement, recruiter, graduate, officer)
        service.request_cancellation(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, reason="考取研究生")
        with pytest.raises(Conflict):  # the officer cannot approve before the employer consents
            service.decide_cancellation(session, officer=officer, agreement_id=agreement.id, approve=True)
        with pytest.raises(Forbidden):  # nor can the asking party consent to their own request
            service.respond_cancellation(session, user=graduate, agreement_id=agreement.id, consent=True)
        service.respond_cancellation(session, user=recruiter, agreement_id=agreement.id, consent=True)
        service.decide_cancellation(session, officer=officer, agreement_id=agreement.id, approve=True, note="同意")
    finally:
        events.off(events.AGREEMENT_CANCELLED, listener)
    agreement = service.get_agreement(session, user=graduate, agreement_id=agreement.id)
    assert agreement.status == AgreementStatus.cancelled and agreement.cancel_reason == "考取研究生"
    assert seen == [agreement.id]
    kinds = [e.kind for e in service.history(session, agreement.id)]
    assert kinds[-3:] == ["cancel_requested", "cancel_consented", "cancel_approved"]
    assert destinations.get_destination(session, graduate.id).category == "seeking_work"
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=officer, agreement_id=agreement.id, password=PASSWORD,
                     acknowledge_flags=True)


def test_cancellation_in_the_middle_of_signing_stops_it(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    service.request_cancellation(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, reason="岗位取消")
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, password=PASSWORD)
    service.respond_cancellation(session, user=graduate, agreement_id=agreement.id, consent=True)
    service.decide_cancellation(session, officer=officer, agreement_id=agreement.id, approve=True)
    with pytest.raises(Conflict):
        service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, password=PASSWORD)
    # The offer can be drafted again afterwards.
    again = service.draft_agreement(session, settings=ca_settings, employer=recruiter,
                                    application_id=agreement.application_id, terms=TERMS)
    assert again.id != agreement.id


def test_signed_event_reaches_listeners(session, parties, ca_settings):
    seen = []
    listener = events.on(events.AGREEMENT_SIGNED, lambda session, agreement: seen.append(agreement.status))
    broken = events.on(events.AGREEMENT_SIGNED, lambda session, agreement: 1 / 0)
    try:
        agreement = sign_all(session, ca_settings, *parties)
    finally:
        events.off(events.AGREEMENT_SIGNED, listener)
        events.off(events.AGREEMENT_SIGNED, broken)
    assert seen == ["signed"] and agreement.status == "signed"  # a failing listener does not undo the signature


def test_cli_verify_reports_valid_and_tampered_files(session, parties, ca_settings, tmp_path, monkeypatch):
    from portal.cli import app

    agreement = sign_all(session, ca_settings, *parties)
    good = tmp_path / "good.pdf"
    good.write_bytes(service.read_pdf(ca_settings, agreement))
    bad = tmp_path / "bad.pdf"
    data = good.read_bytes()
    at = data.index(b"stream", 1000) + 40
    bad.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
    monkeypatch.setenv("PORTAL_DATA_DIR", str(ca_settings.data_dir))
    monkeypatch.setenv("PORTAL_SECRET_KEY", ca_settings.secret_key)
    monkeypatch.setenv("PORTAL_DATABASE_URL", ca_settings.resolved_database_url)
    from portal.settings import get_settings

    get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(app, ["agreement", "verify", str(good)])
        assert result.exit_code == 0, result.output
        assert "VALID" in result.output and parties[2].display_name in result.output
        result = runner.invoke(app, ["agreement", "verify", str(bad)])
        assert result.exit_code == 1 and "INVALID" in result.output
    finally:
        get_settings.cache_clear()
