"""The agreements API: the same services as the pages, JSON in and out."""
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from portal.agreements import service, verification
from portal.agreements.models import Agreement
from portal.agreements.schemas import (
    AgreementDraftCreate,
    AgreementPublic,
    AgreementTerms,
    CancellationCreate,
    CancellationDecision,
    ChangePublic,
    FlagPublic,
    SignaturePublic,
    SignRequest,
    VerificationPublic,
)
from portal.deps import CurrentUser, EmployerUser, OfficerUser, SessionDep, SettingsDep, client_ip
from portal.errors import NotFound
from portal.forms import capped_bytes
from portal.i18n import gettext
from portal.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["agreements"])


def _public(session: Session, settings: Settings, agreement: Agreement) -> AgreementPublic:
    next_party = service.next_party(agreement) if agreement.status != "cancelled" else None
    return AgreementPublic(
        **agreement.model_dump(exclude={"verify_code", "pdf_file"}),
        verify_url=service.verify_url(settings, agreement),
        next_party=next_party.value if next_party else None,
        signatures=[SignaturePublic.model_validate(s, from_attributes=True)
                    for s in service.signatures(session, agreement.id)],
    )


@router.get("/agreements", response_model=list[AgreementPublic])
def list_agreements(user: CurrentUser, session: SessionDep, settings: SettingsDep, status: str | None = None):
    return [_public(session, settings, a) for a in service.list_agreements(session, user=user, status=status)]


@router.post("/agreements", response_model=AgreementPublic, status_code=201)
def create_agreement(body: AgreementDraftCreate, request: Request, user: EmployerUser, session: SessionDep,
                     settings: SettingsDep):
    agreement = service.draft_agreement(session, settings=settings, employer=user, application_id=body.application_id,
                                        terms=body.terms(), ip=client_ip(request))
    return _public(session, settings, agreement)


@router.get("/agreements/{agreement_id}", response_model=AgreementPublic)
def read_agreement(agreement_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    return _public(session, settings, service.get_agreement(session, user=user, agreement_id=agreement_id))


@router.put("/agreements/{agreement_id}", response_model=AgreementPublic)
def update_agreement(agreement_id: int, terms: AgreementTerms, user: EmployerUser, session: SessionDep,
                     settings: SettingsDep):
    agreement = service.update_draft(session, settings=settings, employer=user, agreement_id=agreement_id, terms=terms)
    return _public(session, settings, agreement)


@router.get("/agreements/{agreement_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def agreement_pdf(agreement_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    agreement = service.get_agreement(session, user=user, agreement_id=agreement_id)
    return Response(service.read_pdf(settings, agreement), media_type="application/pdf")


@router.get("/agreements/{agreement_id}/flags", response_model=list[FlagPublic])
def agreement_flags(agreement_id: int, user: OfficerUser, session: SessionDep):
    agreement = service.get_agreement(session, user=user, agreement_id=agreement_id)
    return [FlagPublic(code=f.code, message=gettext(f.message, **f.params))
            for f in service.fabrication_flags(session, agreement)]


@router.post("/agreements/{agreement_id}/sign", response_model=AgreementPublic)
def sign_agreement(agreement_id: int, body: SignRequest, request: Request, user: CurrentUser, session: SessionDep,
                   settings: SettingsDep):
    agreement = service.sign(session, settings=settings, user=user, agreement_id=agreement_id, password=body.password,
                             code=body.code, ip=client_ip(request), acknowledge_flags=body.acknowledge_flags)
    return _public(session, settings, agreement)


@router.post("/agreements/{agreement_id}/signing-code", status_code=204)
def send_signing_code(agreement_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    """Emails the signer a one-time code to use instead of their password."""
    service.send_signing_code(session, settings=settings, user=user, agreement_id=agreement_id)


@router.post("/agreements/{agreement_id}/cancellation", response_model=AgreementPublic, status_code=201)
def request_cancellation(agreement_id: int, body: CancellationCreate, request: Request, user: CurrentUser,
                         session: SessionDep, settings: SettingsDep):
    service.request_cancellation(session, settings=settings, user=user, agreement_id=agreement_id, reason=body.reason, ip=client_ip(request))
    return _public(session, settings, service.get_agreement(session, user=user, agreement_id=agreement_id))


@router.post("/agreements/{agreement_id}/cancellation/consent", response_model=AgreementPublic)
def consent_cancellation(agreement_id: int, body: CancellationDecision, user: CurrentUser, session: SessionDep,
                         settings: SettingsDep):
    service.respond_cancellation(session, user=user, agreement_id=agreement_id, consent=body.approve, note=body.note)
    return _public(session, settings, service.get_agreement(session, user=user, agreement_id=agreement_id))


@router.post("/agreements/{agreement_id}/cancellation/decision", response_model=AgreementPublic)
def decide_cancellation(agreement_id: int, body: CancellationDecision, request: Request, user: OfficerUser,
                        session: SessionDep, settings: SettingsDep):
    service.decide_cancellation(session, officer=user, agreement_id=agreement_id, approve=body.approve, note=body.note,
                                ip=client_ip(request))
    return _public(session, settings, service.get_agreement(session, user=user, agreement_id=agreement_id))


def _verification(result: verification.Verification) -> VerificationPublic:
    report, record = result.report, result.record
    return VerificationPublic(
        **report.as_dict() | {"changes": [ChangePublic(revision=c.revision, message=gettext(c.message, **c.params))
                                           for c in report.changes]},
        verdict=result.verdict, verdict_message=gettext(result.verdict_message),
        agreement_number=record.agreement.number if record else None,
        # Only the document as it stands speaks for the agreement's status: an earlier version is not "signed".
        agreement_status=record.agreement.status if result.on_record else None,
        record_version=record.version if record else None, record_revision=record.revision if record else None,
        record_message=record.message if record else None,
    )


@router.post("/verify", response_model=VerificationPublic)
def verify(file: Annotated[UploadFile, File(description="The agreement as a PDF file.")], session: SessionDep,
           settings: SettingsDep):
    """Public: checks the signatures of an uploaded agreement PDF, and where it stands against the record.

    A file that is not a PDF at all (by its content) is refused with 422; a PDF that does not verify is answered
    200 with the verdict `invalid` and the reason in `error`."""
    pdf = verification.require_pdf(capped_bytes(file, settings.upload_max_bytes))
    return _verification(verification.verify_document(session, settings=settings, pdf=pdf))


@router.get("/verify/{code}", response_model=VerificationPublic)
def verify_by_code(code: str, session: SessionDep, settings: SettingsDep):
    """Public: the verification of the agreement a QR code points to."""
    agreement = service.by_verify_code(session, code[:40])
    if agreement is None or agreement.status == "draft":
        raise NotFound("No agreement has this verification code.")
    return _verification(verification.verify_document(session, settings=settings,
                                                      pdf=service.read_pdf(settings, agreement)))
