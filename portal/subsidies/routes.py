"""Subsidy pages: the graduate's claim with its documents, and the officers' review, payments and export."""
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal import xlsx
from portal.accounts.models import User
from portal.deps import CurrentUser, GraduateUser, IdPath, OfficerUser, SessionDep, SettingsDep
from portal.forms import FormData, FormPage, UploadForm, submit
from portal.storage import attachment
from portal.subsidies import service
from portal.subsidies.models import REQUIRED_DOCUMENTS, DocumentKind, SubsidyStatus
from portal.subsidies.schemas import (
    Approval,
    DocumentUpload,
    MoreRequest,
    PaymentRecord,
    Rejection,
    SubmitRequest,
    SubsidyStart,
)
from portal.training import service as training
from portal.web import redirect, render
from portal.validation import MAX_ROW_ID

router = APIRouter(tags=["pages: subsidies"], include_in_schema=False)

OFFICER_TABS = ("submitted", "resubmitted", "more_requested", "approved", "rejected")
CHUNK = 64 * 1024


def chunks_of(upload) -> Iterator[bytes]:
    return iter(lambda: upload.file.read(CHUNK), b"")


# ---------------------------------------------------------------- graduates


@router.get("/me/subsidies")
def my_subsidies(request: Request, user: GraduateUser, session: SessionDep):
    applications = service.my_applications(session, graduate=user)
    titles = {a.programme_id: training.get_programme(session, a.programme_id).title for a in applications}
    return render(request, "subsidies/mine.html", {"applications": applications, "titles": titles})


def start_page(session, user: User, programme_id: int) -> FormPage:
    def context(errors):
        view = training.programme_view(session, user=user, programme_id=programme_id)
        return {"view": view, "required": REQUIRED_DOCUMENTS,
                "completed": training.completed_enrolment(session, graduate_id=user.id, programme_id=programme_id)}

    return FormPage("subsidies/new.html", context=context)


@router.get("/me/subsidies/new")
def new_subsidy(request: Request, user: GraduateUser, session: SessionDep,
                programme_id: Annotated[int, Query(ge=1, le=MAX_ROW_ID)]):
    existing = service.application_for(session, graduate=user, programme_id=programme_id)
    if existing is not None:
        return redirect(request, f"/me/subsidies/{existing.id}")
    return start_page(session, user, programme_id).again(request, {}, {"programme_id": programme_id}, status_code=200)


@router.post("/me/subsidies")
def start_subsidy(request: Request, user: GraduateUser, session: SessionDep, data: FormData):
    programme_id = data.get("programme_id", "")
    return submit(request, session, SubsidyStart, data,
                  lambda start: service.start(session, graduate=user, programme_id=start.programme_id),
                  done=lambda application: redirect(request, f"/me/subsidies/{application.id}"),
                  again=start_page(session, user, int(programme_id) if str(programme_id).isdigit() else 0))


def claim_page(session, user: User, application_id: int) -> FormPage:
    def context(errors):
        application = service.own_application(session, graduate=user, application_id=application_id)
        return {"application": application, **_claim_context(session, application)}

    return FormPage("subsidies/detail.html", block="claim", context=context)


def _claim_context(session, application) -> dict:
    return {"programme": training.get_programme(session, application.programme_id),
            "documents": service.documents_of(session, application.id),
            "missing": service.missing_documents(session, application.id),
            "events": service.events_of(session, application.id), "kinds": list(DocumentKind),
            "editable": application.status in (SubsidyStatus.draft, SubsidyStatus.more_requested)}


@router.get("/me/subsidies/{application_id}")
def my_subsidy(request: Request, application_id: IdPath, user: GraduateUser, session: SessionDep):
    return claim_page(session, user, application_id).show(request)


@router.post("/me/subsidies/{application_id}/documents")
def upload_document(request: Request, application_id: IdPath, user: GraduateUser, session: SessionDep,
                    settings: SettingsDep, upload: UploadForm):
    page = claim_page(session, user, application_id)

    def store(document: DocumentUpload):
        file = upload.file("file")
        return service.add_document(session, settings=settings, graduate=user, application_id=application_id,
                                    kind=document.kind, filename=file.filename, chunks=chunks_of(file))

    return submit(request, session, DocumentUpload, upload.data, store,
                  done=lambda _document: page.show(request), again=page)


@router.post("/me/subsidies/documents/{document_id}/delete")
def delete_document(request: Request, document_id: IdPath, user: GraduateUser, session: SessionDep,
                    settings: SettingsDep):
    application = service.remove_document(session, settings=settings, graduate=user, document_id=document_id)
    return claim_page(session, user, application.id).show(request)


@router.post("/me/subsidies/{application_id}/submit")
def submit_claim(request: Request, application_id: IdPath, user: GraduateUser, session: SessionDep,
                 settings: SettingsDep, data: FormData):
    return submit(request, session, SubmitRequest, data,
                  lambda sent: service.submit(session, settings=settings, graduate=user, application_id=application_id,
                                              note=sent.note),
                  done=lambda application: redirect(request, f"/me/subsidies/{application.id}"),
                  again=claim_page(session, user, application_id))


@router.get("/subsidies/documents/{document_id}")
def document_file(document_id: IdPath, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    document, data = service.read_document(session, settings=settings, user=user, document_id=document_id)
    return attachment(data, filename=document.original_name, media_type=document.content_type)


# ---------------------------------------------------------------- officers


@router.get("/officer/subsidies")
def officer_list(request: Request, user: OfficerUser, session: SessionDep,
                 status: Annotated[str, Query(pattern="^(submitted|resubmitted|more_requested|approved|rejected)$")] = "submitted",
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    listing = service.list_for_officer(session, officer=user, status=status, page=page)
    return render(request, "subsidies/officer_list.html", {"listing": listing, "status": status, "tabs": OFFICER_TABS},
                  block="results")


def review_page(session, officer: User, application_id: int) -> FormPage:
    def context(errors):
        application = service.application_for_officer(session, officer=officer, application_id=application_id)
        return {"application": application, "graduate": session.get(User, application.graduate_id),
                "earlier": service.earlier_claims(session, application=application),
                "case_id": service.support_case_id(session, graduate_id=application.graduate_id),
                **_claim_context(session, application)}

    return FormPage("subsidies/review.html", block="decision", context=context)


@router.get("/officer/subsidies/export.xlsx")
def export(user: OfficerUser, session: SessionDep,
           status: Annotated[str, Query(pattern="^(approved|rejected|submitted|resubmitted|more_requested)$")] = "approved"):
    return xlsx.download(service.export_xlsx(session, officer=user, status=status), f"training-subsidies-{status}.xlsx")


@router.get("/officer/subsidies/{application_id}")
def review(request: Request, application_id: IdPath, user: OfficerUser, session: SessionDep):
    return review_page(session, user, application_id).show(request)


def _decision(request, session, user, application_id, schema, data, action):
    return submit(request, session, schema, data, action,
                  done=lambda application: redirect(request, f"/officer/subsidies/{application.id}"),
                  again=review_page(session, user, application_id))


@router.post("/officer/subsidies/{application_id}/more")
def ask_for_more(request: Request, application_id: IdPath, user: OfficerUser, session: SessionDep,
                 settings: SettingsDep, data: FormData):
    return _decision(request, session, user, application_id, MoreRequest, data, lambda more: service.request_more(
        session, settings=settings, officer=user, application_id=application_id, note=more.note))


@router.post("/officer/subsidies/{application_id}/approve")
def approve(request: Request, application_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
            data: FormData):
    return _decision(request, session, user, application_id, Approval, data, lambda approval: service.approve(
        session, settings=settings, officer=user, application_id=application_id, amount=approval.amount))


@router.post("/officer/subsidies/{application_id}/reject")
def reject(request: Request, application_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
           data: FormData):
    return _decision(request, session, user, application_id, Rejection, data, lambda rejection: service.reject(
        session, settings=settings, officer=user, application_id=application_id, reason=rejection.reason))


@router.post("/officer/subsidies/{application_id}/paid")
def paid(request: Request, application_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
         data: FormData):
    return _decision(request, session, user, application_id, PaymentRecord, data, lambda payment: service.record_payment(
        session, settings=settings, officer=user, application_id=application_id, reference=payment.reference))
