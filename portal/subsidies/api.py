"""JSON API for training subsidies: the same services as the pages."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import GraduateUser, IdPath, OfficerUser, SessionDep, SettingsDep
from portal.forms import UploadForm
from portal.subsidies import service
from portal.subsidies.models import SubsidyApplication
from portal.subsidies.routes import chunks_of
from portal.subsidies.schemas import (
    Approval,
    DocumentPublic,
    EventPublic,
    MoreRequest,
    PaymentRecord,
    Rejection,
    SubmitRequest,
    SubsidyPublic,
    SubsidyRow,
    SubsidyRowPage,
    SubsidyStart,
)
from portal.training import service as training

router = APIRouter(prefix="/api/v1", tags=["subsidies"])


def public(session, application: SubsidyApplication) -> SubsidyPublic:
    return SubsidyPublic.model_validate({
        **application.model_dump(),
        "programme_title": training.get_programme(session, application.programme_id).title,
        "documents": [DocumentPublic.model_validate(d, from_attributes=True)
                      for d in service.documents_of(session, application.id)],
        "events": [EventPublic.model_validate(e, from_attributes=True) for e in service.events_of(session, application.id)],
    })


@router.get("/me/subsidies", response_model=list[SubsidyPublic])
def my_subsidies(user: GraduateUser, session: SessionDep):
    return [public(session, a) for a in service.my_applications(session, graduate=user)]


@router.post("/me/subsidies", response_model=SubsidyPublic, status_code=201)
def start(body: SubsidyStart, user: GraduateUser, session: SessionDep):
    """Opens the graduate's claim for a completed, subsidised programme (one per programme, ever)."""
    return public(session, service.start(session, graduate=user, programme_id=body.programme_id))


@router.get("/me/subsidies/{application_id}", response_model=SubsidyPublic)
def my_subsidy(application_id: IdPath, user: GraduateUser, session: SessionDep):
    return public(session, service.own_application(session, graduate=user, application_id=application_id))


@router.post("/me/subsidies/{application_id}/documents", response_model=DocumentPublic, status_code=201)
def upload(application_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep, form: UploadForm):
    """Multipart: `kind` and one `file` (PDF, JPEG or PNG, checked by content)."""
    file = form.file("file")
    document = service.add_document(session, settings=settings, graduate=user, application_id=application_id,
                                    kind=form.data.get("kind", ""), filename=file.filename, chunks=chunks_of(file))
    return DocumentPublic.model_validate(document, from_attributes=True)


@router.post("/me/subsidies/{application_id}/submit", response_model=SubsidyPublic)
def submit(application_id: IdPath, body: SubmitRequest, user: GraduateUser, session: SessionDep,
           settings: SettingsDep):
    return public(session, service.submit(session, settings=settings, graduate=user, application_id=application_id,
                                          note=body.note))


@router.get("/subsidies", response_model=SubsidyRowPage)
def officer_list(user: OfficerUser, session: SessionDep,
                 status: Annotated[str | None, Query(pattern="^(submitted|resubmitted|more_requested|approved|rejected)$")] = None,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    """Claims of graduates in the officer's scope."""
    listing = service.list_for_officer(session, officer=user, status=status, page=page)
    return SubsidyRowPage(items=[
        SubsidyRow(id=r.application.id, graduate_name=r.graduate.display_name, school=r.profile.school,
                   programme_title=r.programme.title, amount_claimed=r.application.amount_claimed,
                   status=r.application.status, approved_amount=r.application.approved_amount,
                   payment_status=r.application.payment_status, submitted_at=r.application.submitted_at)
        for r in listing.items], total=listing.total, page=listing.page, pages=listing.pages)


@router.get("/subsidies/{application_id}", response_model=SubsidyPublic)
def officer_read(application_id: IdPath, user: OfficerUser, session: SessionDep):
    return public(session, service.application_for_officer(session, officer=user, application_id=application_id))


@router.post("/subsidies/{application_id}/approve", response_model=SubsidyPublic)
def approve(application_id: IdPath, body: Approval, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    """Approves once: a second approval, however close in time, is refused with 409."""
    return public(session, service.approve(session, settings=settings, officer=user, application_id=application_id,
                                           amount=body.amount))


@router.post("/subsidies/{application_id}/reject", response_model=SubsidyPublic)
def reject(application_id: IdPath, body: Rejection, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    return public(session, service.reject(session, settings=settings, officer=user, application_id=application_id,
                                          reason=body.reason))


@router.post("/subsidies/{application_id}/more", response_model=SubsidyPublic)
def ask_for_more(application_id: IdPath, body: MoreRequest, user: OfficerUser, session: SessionDep,
                 settings: SettingsDep):
    return public(session, service.request_more(session, settings=settings, officer=user,
                                                application_id=application_id, note=body.note))


@router.post("/subsidies/{application_id}/payment", response_model=SubsidyPublic)
def record_payment(application_id: IdPath, body: PaymentRecord, user: OfficerUser, session: SessionDep,
                   settings: SettingsDep):
    return public(session, service.record_payment(session, settings=settings, officer=user,
                                                  application_id=application_id, reference=body.reference))
