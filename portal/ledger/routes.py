"""Support ledger pages: the officer's home and ledger, one file and one plan per person; the graduate's support page."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal import xlsx
from portal.clock import today
from portal.deps import GraduateUser, IdPath, OfficerUser, SearchDep, SessionDep, SettingsDep
from portal.errors import Forbidden
from portal.forms import FormData, FormPage, UploadForm, require, submit
from portal.ledger import panels, service
from portal.ledger.models import ContactChannel, MeasureKind, MeasureStatus
from portal.ledger.schemas import (
    CaseUpdateForm,
    CategoryForm,
    CloseForm,
    ContactForm,
    DecisionForm,
    EnrolForm,
    MeasureForm,
    MeasureStatusForm,
    SupportRequestForm,
)
from portal.reference import TIANJIN_DISTRICTS
from portal.storage import attachment
from portal.web import redirect, render

router = APIRouter(tags=["pages: ledger"], include_in_schema=False)


# ---- the shortfall list (the officer's home shows it first: ledger/panels.py) ---------------------------------------
@router.get("/officer/ledger/shortfall")
def shortfall_fragment(request: Request, user: OfficerUser, session: SessionDep):
    """The shortfall list alone, for any page that wants it at its top (hx-get, hx-trigger="load")."""
    return render(request, "ledger/_shortfall.html", panels.shortfall_context(session, user))


def _shortfall_changed(request: Request, session, user, **extra):
    return render(request, "ledger/_shortfall.html", {**panels.shortfall_context(session, user), **extra})


@router.post("/officer/ledger/top-up")
def top_up(request: Request, user: OfficerUser, session: SessionDep, search: SearchDep, settings: SettingsDep):
    result = service.top_up_with_settings(session, settings=settings, search=search, actor=user,
                                          case_ids=service.cases_in_scope(session, officer=user))
    return _shortfall_changed(request, session, user, topup=result)


# ---- the ledger ----------------------------------------------------------------------------------------------------
@router.get("/officer/ledger")
def ledger_list(
    request: Request, user: OfficerUser, session: SessionDep,
    status: Annotated[str, Query(max_length=16)] = "active", category: Annotated[str, Query(max_length=40)] = "",
    shortfall: bool = False, q: Annotated[str, Query(max_length=60)] = "", page: Annotated[int, Query(ge=1, le=10_000)] = 1,
):
    rows, total = service.list_cases(session, officer=user, status=status or None, category=category or None,
                                     shortfall_only=shortfall, q=q.strip(), page=page, per_page=50)
    return render(request, "ledger/list.html", {
        "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // 50)),
        "filters": {"status": status, "category": category, "shortfall": shortfall, "q": q},
        "categories": service.list_categories(session, active_only=False), "shortfall_message": service.shortfall_message,
        "category_map": {c.code: c for c in service.list_categories(session, active_only=False)},
    }, block="results")


def _enrol_page(session) -> FormPage:
    return FormPage("ledger/enrol.html", lists=("categories", "preferred_districts"), context=lambda errors: {
        "categories": service.list_categories(session), "districts": TIANJIN_DISTRICTS})


@router.get("/officer/ledger/enrol")
def enrol_page(request: Request, user: OfficerUser, session: SessionDep,
               graduate: Annotated[str, Query(max_length=254)] = ""):
    return _enrol_page(session).show(request, values={"graduate": graduate})


@router.post("/officer/ledger/enrol")
def enrol(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    def enrol_found(form: EnrolForm):
        graduate = service.find_graduate(session, officer=user, text=form.graduate)
        return service.enrol(
            session, officer=user, graduate_id=graduate.id, categories=form.categories, evidence=form.evidence,
            consent_given=form.consent_given, consent_note=form.consent_note,
            preferred_districts=form.preferred_districts, needs_accessible=form.needs_accessible,
            family_income_note=form.family_income_note or None,
        )

    return submit(request, session, EnrolForm, data, enrol_found,
                  done=lambda case: redirect(request, f"/officer/ledger/cases/{case.id}"),
                  again=_enrol_page(session))


def _import_page(session, result: service.BulkResult | None = None) -> FormPage:
    """The upload form, with what the last upload did (`result`) once there is one."""
    return FormPage("ledger/import.html", context=lambda errors: {
        "result": result, "categories": service.list_categories(session)})


@router.get("/officer/ledger/import")
def import_page(request: Request, user: OfficerUser, session: SessionDep):
    return _import_page(session).show(request)


@router.post("/officer/ledger/import")
def import_file(request: Request, user: OfficerUser, session: SessionDep, settings: SettingsDep, upload: UploadForm):
    def enrol_rows(data):
        file = upload.file("file")
        return service.bulk_enrol(session, officer=user, filename=file.filename, content=upload.read("file"),
                                  limits=xlsx.Limits.of(settings))

    def imported(result: service.BulkResult):
        # Rows refused: the page answers 422 like a refused form, with each row's reason in the result.
        return _import_page(session, result).again(request, {}, {}, status_code=200 if result.ok else 422)

    return submit(request, session, None, upload.data, enrol_rows, done=imported, again=_import_page(session))


@router.get("/officer/ledger/dashboard")
def dashboard(request: Request, user: OfficerUser, session: SessionDep):
    figures = service.report(session, officer=user)
    labels = {c.code: c for c in service.list_categories(session, active_only=False)}
    return render(request, "ledger/dashboard.html", {"f": figures, "category_labels": labels})


@router.get("/officer/ledger/export.xlsx")
def export(user: OfficerUser, session: SessionDep, shortfall: bool = False):
    data = service.export_xlsx(session, officer=user, shortfall_only=shortfall)
    return xlsx.download(data, f"ledger-{'shortfall-' if shortfall else ''}{today().isoformat()}.xlsx")


@router.get("/officer/ledger/requests")
def requests_page(request: Request, user: OfficerUser, session: SessionDep):
    return render(request, "ledger/requests.html", {
        "requests": service.requests_for_officer(session, officer=user),
        "categories": {c.code: c for c in service.list_categories(session, active_only=False)}})


@router.post("/officer/ledger/requests/{request_id}/decide")
def decide(request: Request, request_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
           data: FormData):
    form = require(DecisionForm, data)
    case = service.decide_request(session, officer=user, request_id=request_id, approve=form.decision == "approve",
                                  evidence=form.evidence, note=form.note, settings=settings)
    return redirect(request, f"/officer/ledger/cases/{case.id}" if case else "/officer/ledger/requests")


def _categories_page(session, user) -> FormPage:
    return FormPage("ledger/categories.html", context=lambda errors: {
        "categories": service.list_categories(session, active_only=False),
        "can_add": service.can_manage_categories(session, user)})


@router.get("/officer/ledger/categories")
def categories_page(request: Request, user: OfficerUser, session: SessionDep):
    return _categories_page(session, user).show(request)


@router.post("/officer/ledger/categories")
def add_category(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    if not service.can_manage_categories(session, user):
        raise Forbidden("Only city-wide officers can add categories.")
    return submit(
        request, session, CategoryForm, data,
        lambda form: service.add_category(session, actor=user, code=form.code, label_zh=form.label_zh,
                                          label_en=form.label_en, needs_accessible=form.needs_accessible),
        done=lambda category: redirect(request, "/officer/ledger/categories"),
        again=_categories_page(session, user),
    )


# ---- one file and one plan per person ------------------------------------------------------------------------------
def _case_page(session, officer, case_id: int, section: str | None = None) -> FormPage:
    """The case page; `section` is the part whose form was refused."""
    def context(errors) -> dict:
        file = service.case_file(session, officer=officer, case_id=case_id)
        return {
            "file": file, "case": file.case, "shortfall_message": service.shortfall_message,
            "all_categories": service.list_categories(session), "districts": TIANJIN_DISTRICTS,
            "channels": [c.value for c in ContactChannel], "measure_kinds": [k.value for k in MeasureKind],
            "measure_statuses": [s.value for s in MeasureStatus], "today": today(),
            "constraints": service.constraints_of(session, file.case), "section": section,
        }

    return FormPage("ledger/case.html", context=context)


@router.get("/officer/ledger/cases/{case_id}")
def case_page(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep):
    return _case_page(session, user, case_id).show(request)


def _case_form(request: Request, session, user, case_id: int, section: str, schema, data, action):
    """A form on the case page: back to its section when done, or the page again with the errors there."""
    return submit(request, session, schema, data, action,
                  done=lambda result: redirect(request, f"/officer/ledger/cases/{case_id}#{section}"),
                  again=_case_page(session, user, case_id, section))


@router.post("/officer/ledger/cases/{case_id}/contacts")
def add_contact(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    return _case_form(request, session, user, case_id, "contacts", ContactForm, data, lambda f: service.add_contact(
        session, officer=user, case_id=case_id, contacted_on=f.contacted_on, channel=f.channel, who=f.who,
        summary=f.summary, agreed=f.agreed))


@router.post("/officer/ledger/cases/{case_id}/measures")
def add_measure(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    return _case_form(request, session, user, case_id, "plan", MeasureForm, data, lambda f: service.add_measure(
        session, officer=user, case_id=case_id, kind=f.kind, description=f.description, target_date=f.target_date))


@router.post("/officer/ledger/measures/{measure_id}/status")
def measure_status(request: Request, measure_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    form = require(MeasureStatusForm, data)
    measure = service.set_measure_status(session, officer=user, measure_id=measure_id, status=form.status,
                                         outcome=form.outcome)
    return redirect(request, request.headers.get("HX-Current-URL") or f"/officer/ledger/cases/{measure.case_id}#plan")


@router.post("/officer/ledger/cases/{case_id}/update")
def update_case(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    return _case_form(request, session, user, case_id, "profile", CaseUpdateForm, data, lambda f: service.update_case(
        session, officer=user, case_id=case_id, categories=f.categories, evidence=f.evidence,
        preferred_districts=f.preferred_districts, needs_accessible=f.needs_accessible,
        family_income_note=f.family_income_note))


@router.post("/officer/ledger/cases/{case_id}/documents")
def add_document(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
                 upload: UploadForm):
    return _case_form(request, session, user, case_id, "documents", None, upload.data, lambda data: service.add_document(
        session, officer=user, case_id=case_id, title=str(data.get("title") or ""), filename=upload.file("file").filename,
        content=upload.read("file"), settings=settings))


@router.get("/officer/ledger/documents/{document_id}")
def document(document_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    doc, data = service.read_document(session, officer=user, document_id=document_id, settings=settings)
    return attachment(data, filename=doc.original_name, media_type=doc.content_type)


@router.post("/officer/ledger/offers/{offer_id}/confirm")
def confirm_offer(request: Request, offer_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    offer = service.confirm_offer(session, officer=user, offer_id=offer_id, settings=settings)
    return _after_offer_change(request, session, user, offer.case_id)


@router.post("/officer/ledger/cases/{case_id}/confirm-all")
def confirm_all(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    service.confirm_all(session, officer=user, case_id=case_id, settings=settings)
    return _after_offer_change(request, session, user, case_id)


@router.post("/officer/ledger/offers/{offer_id}/withdraw")
def withdraw_offer(request: Request, offer_id: IdPath, user: OfficerUser, session: SessionDep):
    offer = service.withdraw_offer(session, officer=user, offer_id=offer_id)
    return _after_offer_change(request, session, user, offer.case_id)


def _after_offer_change(request, session, user, case_id):
    """From the officer home the shortfall list re-renders in place; elsewhere the case page reloads."""
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "shortfall":
        return _shortfall_changed(request, session, user)
    return redirect(request, f"/officer/ledger/cases/{case_id}#offers")


@router.post("/officer/ledger/cases/{case_id}/top-up")
def top_up_case(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, search: SearchDep,
                settings: SettingsDep):
    case = service.get_case(session, officer=user, case_id=case_id, action="ledger.case.topup")
    service.refresh_case(session, case=case, search=search, settings=settings, actor=user)
    return redirect(request, f"/officer/ledger/cases/{case_id}#offers")


@router.post("/officer/ledger/cases/{case_id}/close")
def close_case(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    return _case_form(request, session, user, case_id, "status", CloseForm, data, lambda f: service.officer_close(
        session, officer=user, case_id=case_id, note=f.note))


@router.post("/officer/ledger/cases/{case_id}/reopen")
def reopen_case(request: Request, case_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    service.officer_reopen(session, officer=user, case_id=case_id, note=str(data.get("note", ""))[:500])
    return redirect(request, f"/officer/ledger/cases/{case_id}")


# ---- the graduate --------------------------------------------------------------------------------------------------
def _support_page(session, user, block: str | None = None) -> FormPage:
    def context(errors) -> dict:
        return {"view": service.my_support(session, graduate=user), "categories": service.list_categories(session),
                "districts": TIANJIN_DISTRICTS, "requests": service.my_requests(session, graduate=user)}

    return FormPage("ledger/me_support.html", block=block, lists=("categories", "preferred_districts"),
                    context=context)


@router.get("/me/support")
def my_support(request: Request, user: GraduateUser, session: SessionDep):
    return _support_page(session, user).show(request)


@router.post("/me/support/request")
def request_support(request: Request, user: GraduateUser, session: SessionDep, data: FormData):
    return submit(
        request, session, SupportRequestForm, data,
        lambda form: service.request_enrolment(
            session, graduate=user, categories=form.categories, statement=form.statement,
            preferred_districts=form.preferred_districts, needs_accessible=form.needs_accessible,
            consent_given=form.consent_given),
        done=lambda support_request: redirect(request, "/me/support"),
        again=_support_page(session, user),
    )


@router.post("/me/support/offers/{offer_id}/apply")
def apply_to_offer(request: Request, offer_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.apply_to_offer(session, settings=settings, graduate=user, offer_id=offer_id)
    if request.headers.get("HX-Request") == "true":
        return _support_page(session, user, block="offers").show(request)
    return redirect(request, "/me/support")
