"""Agreement pages: the employer drafts, the three parties sign in turn, anyone verifies."""
from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.agreements import service, verification
from portal.agreements.models import Agreement, AgreementStatus
from portal.agreements.schemas import (
    AgreementDraftCreate,
    AgreementTerms,
    CancellationCreate,
    SignRequest,
    TemplateVersion,
)
from portal.deps import CurrentUser, EmployerUser, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.errors import NotFound
from portal.forms import FormData, FormPage, capped_bytes, require, submit
from portal.scope import scope_of
from portal.settings import Settings
from portal.web import redirect, render

router = APIRouter(tags=["pages: agreements"], include_in_schema=False)


def _names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.exec(select(User).where(User.id.in_(ids)))}


def _detail_page(session: Session, settings: Settings, user: User, agreement_id: int) -> FormPage:
    """An agreement with its signing form."""
    return FormPage("agreements/detail.html", context=lambda errors: _detail(
        session, settings, user, service.get_agreement(session, user=user, agreement_id=agreement_id)))


def _detail(session: Session, settings: Settings, user: User, agreement: Agreement) -> dict:
    signatures = service.signatures(session, agreement.id)
    history = service.history(session, agreement.id)
    cancellations = service.cancellations(session, agreement.id)
    party = service.party_of(session, user, agreement)
    officer_view = user.role in (Role.officer, Role.admin)
    names = _names(session, [s.signer_id for s in signatures] + [e.actor_id for e in history]
                   + [c.requested_by_id for c in cancellations] + [c.decided_by_id for c in cancellations])
    return {
        "agreement": agreement,
        "party": party,
        "next_party": service.next_party(agreement),
        "signatures": signatures,
        "history": history,
        "names": names,
        "cancellation": service.open_cancellation(session, agreement.id),
        "cancellations": cancellations,
        "flags": service.fabrication_flags(session, agreement) if officer_view else [],
        "can_decide": service.decides_cancellations(session, user, agreement),
        "verify_url": service.verify_url(settings, agreement),
    }


@router.get("/agreements")
def agreement_list(request: Request, user: CurrentUser, session: SessionDep,
                   status: Annotated[str | None, Query(max_length=20)] = None):
    agreements = service.list_agreements(session, user=user, status=status or None)
    offers = service.offers_to_draft(session, employer=user) if user.role == Role.employer else []
    return render(request, "agreements/list.html", {
        "agreements": agreements, "offers": offers, "status": status or "",
        "waiting": service.waiting_for(session, user=user),
        "statuses": [s.value for s in AgreementStatus],
    }, block="results")


def _template_values(session: Session) -> dict:
    template = service.active_template(session)
    session.commit()
    return {"breach_terms": template.default_breach_terms, "probation_months": template.default_probation_months}


@router.get("/agreements/new")
def agreement_new(request: Request, user: EmployerUser, session: SessionDep, application_id: int | None = None):
    if application_id is None:  # reached without choosing an offer: the list shows the offers to draft from
        return redirect(request, "/agreements")
    offer = next((o for o in service.offers_to_draft(session, employer=user) if o[0].id == application_id), None)
    if offer is None:
        raise NotFound("We could not find that offer.")
    application, position, graduate = offer
    values = _template_values(session) | {
        "application_id": application.id, "position_title": position.title, "salary_monthly": position.salary_min,
        "work_place": service.work_place_of(position),
    }
    return _form_page(session, graduate=graduate, position=position).show(request, values)


def _form_page(session: Session, agreement: Agreement | None = None, graduate=None, position=None) -> FormPage:
    """The agreement form: a new draft from an offer (its graduate and position), or a draft being changed."""
    return FormPage("agreements/form.html", context=lambda errors: {
        "graduate": graduate, "position": position, "agreement": agreement,
        "template": service.active_template(session),
    })


def _form_again(request: Request, session: Session, agreement: Agreement | None = None):
    """The agreement form again, for a refused draft or change."""
    page = _form_page(session, agreement)

    def again(errors: dict, values, status_code: int):
        if "application_id" in errors:  # a hidden field: what is wrong with it is said at the top of the form
            errors.setdefault("__all__", errors.pop("application_id"))
        return page.again(request, errors, values, status_code)

    return again


@router.post("/agreements")
def agreement_create(request: Request, user: EmployerUser, session: SessionDep, settings: SettingsDep,
                     data: FormData):
    return submit(
        request, session, AgreementDraftCreate, data,
        lambda draft: service.draft_agreement(session, settings=settings, employer=user,
                                              application_id=draft.application_id, terms=draft.terms(),
                                              ip=client_ip(request)),
        done=lambda agreement: redirect(request, f"/agreements/{agreement.id}"), again=_form_again(request, session),
    )


@router.get("/agreements/{agreement_id}")
def agreement_detail(request: Request, agreement_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    return _detail_page(session, settings, user, agreement_id).show(request)


@router.get("/agreements/{agreement_id}/edit")
def agreement_edit(request: Request, agreement_id: int, user: EmployerUser, session: SessionDep):
    agreement = service.get_agreement(session, user=user, agreement_id=agreement_id)
    return _form_page(session, agreement).show(request, agreement.model_dump())


@router.post("/agreements/{agreement_id}/edit")
def agreement_update(request: Request, agreement_id: int, user: EmployerUser, session: SessionDep,
                     settings: SettingsDep, data: FormData):
    agreement = service.get_agreement(session, user=user, agreement_id=agreement_id)
    return submit(
        request, session, AgreementTerms, data,
        lambda terms: service.update_draft(session, settings=settings, employer=user, agreement_id=agreement_id,
                                           terms=terms),
        done=lambda updated: redirect(request, f"/agreements/{agreement_id}"),
        again=_form_again(request, session, agreement),
    )


@router.post("/agreements/{agreement_id}/discard")
def agreement_discard(request: Request, agreement_id: int, user: EmployerUser, session: SessionDep):
    service.discard_draft(session, employer=user, agreement_id=agreement_id)
    return redirect(request, "/agreements")


@router.get("/agreements/{agreement_id}/pdf")
def agreement_pdf(agreement_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    agreement = service.get_agreement(session, user=user, agreement_id=agreement_id)
    return Response(service.read_pdf(settings, agreement), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{agreement.number}.pdf"', "Cache-Control": "private, no-store",
    })


@router.post("/agreements/{agreement_id}/sign")
def agreement_sign(request: Request, agreement_id: int, user: CurrentUser, session: SessionDep,
                   settings: SettingsDep, data: FormData):
    data["acknowledge_flags"] = data.get("acknowledge_flags") in ("on", "true", "1", True)
    return submit(
        request, session, SignRequest, data,
        lambda sign: service.sign(session, settings=settings, user=user, agreement_id=agreement_id,
                                  password=sign.password, code=sign.code, ip=client_ip(request),
                                  acknowledge_flags=sign.acknowledge_flags),
        done=lambda signed: redirect(request, f"/agreements/{agreement_id}?signed=1"),
        again=_detail_page(session, settings, user, agreement_id),
    )


@router.post("/agreements/{agreement_id}/sign-code")
def agreement_sign_code(request: Request, agreement_id: int, user: CurrentUser, session: SessionDep,
                        settings: SettingsDep):
    service.send_signing_code(session, settings=settings, user=user, agreement_id=agreement_id)
    return redirect(request, f"/agreements/{agreement_id}?code_sent=1")


@router.post("/agreements/{agreement_id}/cancel")
def cancel_request(request: Request, agreement_id: int, user: CurrentUser, session: SessionDep,
                   settings: SettingsDep, data: FormData):
    body = require(CancellationCreate, data)
    service.request_cancellation(session, settings=settings, user=user, agreement_id=agreement_id, reason=body.reason, ip=client_ip(request))
    return redirect(request, f"/agreements/{agreement_id}")


@router.post("/agreements/{agreement_id}/cancel/respond")
def cancel_respond(request: Request, agreement_id: int, user: CurrentUser, session: SessionDep, data: FormData):
    service.respond_cancellation(session, user=user, agreement_id=agreement_id, consent=data.get("consent") == "yes",
                                 note=str(data.get("note", ""))[:2000])
    return redirect(request, f"/agreements/{agreement_id}")


@router.post("/agreements/{agreement_id}/cancel/withdraw")
def cancel_withdraw(request: Request, agreement_id: int, user: CurrentUser, session: SessionDep):
    service.withdraw_cancellation(session, user=user, agreement_id=agreement_id)
    return redirect(request, f"/agreements/{agreement_id}")


@router.post("/agreements/{agreement_id}/cancel/decide")
def cancel_decide(request: Request, agreement_id: int, user: OfficerUser, session: SessionDep, data: FormData):
    service.decide_cancellation(session, officer=user, agreement_id=agreement_id, approve=data.get("approve") == "yes",
                                note=str(data.get("note", ""))[:2000], ip=client_ip(request))
    return redirect(request, f"/agreements/{agreement_id}")


# --- the city's template -----------------------------------------------------------------------


def _template_page(session: Session, user: User) -> FormPage:
    """The city's template, with the form publishing its next version."""
    return FormPage("agreements/template.html", context=lambda errors: {
        "template": service.active_template(session), "can_edit": scope_of(session, user).city})


@router.get("/agreements-template")
def template_page(request: Request, user: OfficerUser, session: SessionDep):
    response = _template_page(session, user).show(request)
    session.commit()  # the standard text put in place to show it is kept
    return response


@router.post("/agreements-template")
def template_publish(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    return submit(
        request, session, TemplateVersion, data,
        lambda version: service.publish_template(session, officer=user, **version.model_dump()),
        done=lambda template: redirect(request, "/agreements-template"),
        again=_template_page(session, user),
    )


# --- verification, open to everyone ------------------------------------------------------------


@router.get("/verify")
def verify_page(request: Request, user: OptionalUser):
    return render(request, "agreements/verify.html", {"verification": None, "agreement": None, "code": None})


# The verification code is unguessable (128 random bits) and printed only on the document itself, so the page
# may name the parties, as the signatures inside the file do anyway; an uploaded file names them itself.
@router.post("/verify")
def verify_upload(request: Request, user: OptionalUser, session: SessionDep, settings: SettingsDep,
                  file: UploadFile):
    result = verification.verify_document(session, settings=settings, pdf=capped_bytes(file, settings.upload_max_bytes))
    return render(request, "agreements/verify.html", {
        "verification": result, "agreement": result.agreement, "code": None, "filename": file.filename,
    }, block="report")


@router.get("/verify/{code}")
def verify_code(request: Request, code: str, user: OptionalUser, session: SessionDep, settings: SettingsDep):
    agreement = service.by_verify_code(session, code[:40])
    if agreement is None:
        raise NotFound("No agreement has this verification code.")
    result = None
    if agreement.pdf_file and agreement.status != AgreementStatus.draft:
        result = verification.verify_document(session, settings=settings, pdf=service.read_pdf(settings, agreement))
    return render(request, "agreements/verify.html", {"verification": result, "agreement": agreement, "code": code})
