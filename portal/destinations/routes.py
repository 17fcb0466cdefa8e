"""Destination pages: the graduate's own report and transfers; the officers' checks, statistics, follow-up list."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import select

from portal import xlsx
from portal.accounts.models import GraduateProfile, User
from portal.agreements.models import Agreement
from portal.clock import today
from portal.deps import GraduateUser, OfficerUser, SessionDep, SettingsDep
from portal.destinations import categories, followup, service, transfers
from portal.destinations.models import FollowUpService, TransferKind, TransferTarget
from portal.destinations.schemas import (
    DestinationReport,
    FollowUpBuild,
    FollowUpEntryCreate,
    TransferAdvance,
    TransferCreate,
)
from portal.forms import FormData, FormPage, require, submit
from portal.scope import scope_of
from portal.web import redirect, render

router = APIRouter(tags=["pages: destinations"], include_in_schema=False)


def _year(value: int | None) -> int:
    return value or today().year


# --- the graduate ------------------------------------------------------------------------------


def _me_page(session, user) -> FormPage:
    def context(errors) -> dict:
        destination = service.get_destination(session, user.id)
        agreement_id = destination.agreement_id if destination else None
        return {
            "destination": destination,
            "category": categories.get(destination.category) if destination else None,
            "agreement": session.get(Agreement, agreement_id) if agreement_id else None,
            "changes": service.changes(session, user.id), "get_category": categories.get,
            "categories": [c for c in categories.all_categories() if c.code != categories.AGREEMENT],
        }

    return FormPage("destinations/me.html", context=context)


@router.get("/me/destination")
def my_destination(request: Request, user: GraduateUser, session: SessionDep):
    destination = service.get_destination(session, user.id)
    return _me_page(session, user).show(request, values=destination.model_dump() if destination else {})


@router.post("/me/destination")
def my_destination_save(request: Request, user: GraduateUser, session: SessionDep, data: FormData):
    return submit(request, session, DestinationReport, data,
                  lambda report: service.register(session, graduate=user, report=report),
                  done=lambda destination: redirect(request, "/me/destination?saved=1"),
                  again=_me_page(session, user))


def _transfers_page(session, user) -> FormPage:
    def context(errors) -> dict:
        requests = transfers.for_graduate(session, graduate=user)
        return {"requests": requests, "steps": transfers.steps(session, [r.id for r in requests]),
                "kinds": [k.value for k in TransferKind], "targets": [t.value for t in TransferTarget]}

    return FormPage("destinations/transfers_me.html", context=context)


@router.get("/me/transfers")
def my_transfers(request: Request, user: GraduateUser, session: SessionDep):
    return _transfers_page(session, user).show(request)


@router.post("/me/transfers")
def my_transfer_request(request: Request, user: GraduateUser, session: SessionDep, data: FormData):
    return submit(request, session, TransferCreate, data,
                  lambda body: transfers.request_transfer(session, graduate=user, data=body),
                  done=lambda transfer: redirect(request, "/me/transfers"), again=_transfers_page(session, user))


# --- officers: checking and statistics ---------------------------------------------------------


@router.get("/officer/destinations")
def officer_destinations(
    request: Request, user: OfficerUser, session: SessionDep,
    year: int | None = None, status: Annotated[str | None, Query(max_length=16)] = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
):
    rows = service.graduates_in_scope(session, officer=user, graduation_year=_year(year), status=status or None,
                                      category=category or None)
    return render(request, "destinations/officer_list.html", {
        "rows": rows, "year": _year(year), "status": status or "", "category": category or "",
        "categories": categories.all_categories(), "get_category": categories.get,
    }, block="results")


@router.post("/officer/destinations/{graduate_id}/review")
def officer_review(request: Request, graduate_id: int, user: OfficerUser, session: SessionDep, data: FormData):
    service.review(session, officer=user, graduate_id=graduate_id, confirm=data.get("confirm") == "yes",
                   note=str(data.get("note", ""))[:1000])
    return redirect(request, request.headers.get("Referer") or "/officer/destinations")


@router.get("/officer/destinations/stats")
def officer_stats(request: Request, user: OfficerUser, session: SessionDep,
                  by: Annotated[str, Query(max_length=16)] = "school", year: int | None = None):
    rows = service.stats(session, officer=user, by=by, graduation_year=_year(year))
    return render(request, "destinations/stats.html", {
        "rows": rows, "total": service.totals(rows), "by": by, "year": _year(year),
        "dimensions": {code: grouping.label for code, grouping in service.GROUPINGS.items()},
    }, block="results")


@router.get("/officer/destinations/export.xlsx")
def officer_export(user: OfficerUser, session: SessionDep, year: int | None = None):
    return xlsx.download(service.export_xlsx(session, officer=user, graduation_year=_year(year)),
                         f"destinations-{_year(year)}.xlsx")


# --- officers: the follow-up list (实名制) ------------------------------------------------------


@router.get("/officer/follow-up")
def followup_list(request: Request, user: OfficerUser, session: SessionDep,
                  level: Annotated[str | None, Query(max_length=8)] = None, closed: bool = False):
    rows = followup.list_cases(session, officer=user, open_only=not closed, level=level or None)
    return render(request, "destinations/followup_list.html", {
        "rows": rows, "level": level or "", "closed": closed, "year": today().year, "get_category": categories.get,
    }, block="results")


@router.post("/officer/follow-up/build")
def followup_build(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    form = require(FollowUpBuild, data)
    followup.build_list(session, officer=user, graduation_year=form.year or today().year)
    return redirect(request, "/officer/follow-up")


@router.get("/officer/follow-up/export.xlsx")
def followup_export(user: OfficerUser, session: SessionDep, closed: bool = True):
    return xlsx.download(followup.export_xlsx(session, officer=user, open_only=not closed), "follow-up.xlsx")


def _case_page(session, user, case_id: int) -> FormPage:
    def context(errors) -> dict:
        case = followup.get_case(session, officer=user, case_id=case_id)
        history = followup.entries(session, case.id)
        officer_ids = {e.officer_id for e in history if e.officer_id}
        names = ({u.id: u.display_name for u in session.exec(select(User).where(User.id.in_(officer_ids)))}
                 if officer_ids else {})
        return {
            "case": case, "graduate": session.get(User, case.graduate_id),
            "profile": session.get(GraduateProfile, case.graduate_id),
            "destination": service.get_destination(session, case.graduate_id), "entries": history, "names": names,
            "services": [s.value for s in FollowUpService], "categories": categories.all_categories(),
            "get_category": categories.get, "my_level": "city" if scope_of(session, user).city else "school",
        }

    return FormPage("destinations/followup_case.html", context=context)


@router.get("/officer/follow-up/{case_id}")
def followup_case(request: Request, case_id: int, user: OfficerUser, session: SessionDep):
    return _case_page(session, user, case_id).show(request)


@router.post("/officer/follow-up/{case_id}/entries")
def followup_entry(request: Request, case_id: int, user: OfficerUser, session: SessionDep, data: FormData):
    data["service"] = data.get("service") or None
    return submit(request, session, FollowUpEntryCreate, data,
                  lambda entry: followup.add_entry(session, officer=user, case_id=case_id, entry=entry),
                  done=lambda entry: redirect(request, f"/officer/follow-up/{case_id}"),
                  again=_case_page(session, user, case_id))


@router.post("/officer/follow-up/{case_id}/handover")
def followup_handover(request: Request, case_id: int, user: OfficerUser, session: SessionDep, data: FormData):
    followup.hand_over(session, officer=user, case_id=case_id, note=str(data.get("note", ""))[:2000])
    return redirect(request, f"/officer/follow-up/{case_id}")


@router.post("/officer/follow-up/{case_id}/close")
def followup_close(request: Request, case_id: int, user: OfficerUser, session: SessionDep, data: FormData):
    followup.close_case(session, officer=user, case_id=case_id, outcome=str(data.get("outcome", "")),
                        note=str(data.get("note", ""))[:2000])
    return redirect(request, f"/officer/follow-up/{case_id}")


# --- officers: file and household transfers ----------------------------------------------------


@router.get("/officer/transfers")
def officer_transfers(request: Request, user: OfficerUser, session: SessionDep,
                      status: Annotated[str | None, Query(max_length=16)] = None):
    rows = transfers.for_officer(session, officer=user, status=status or None)
    return render(request, "destinations/transfers_officer.html", {
        "rows": rows, "steps": transfers.steps(session, [r.id for r, _ in rows]), "status": status or "",
    }, block="results")


@router.post("/officer/transfers/{request_id}/advance")
def officer_transfer_advance(request: Request, request_id: int, user: OfficerUser, session: SessionDep,
                             settings: SettingsDep, data: FormData):
    body = require(TransferAdvance, data)
    transfers.advance(session, settings=settings, officer=user, request_id=request_id, data=body)
    return redirect(request, request.headers.get("Referer") or "/officer/transfers")
