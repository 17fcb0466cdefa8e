"""The administrators' screens for staff accounts: officers and administrators, their roles and scopes."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal import reference
from portal.accounts import staff
from portal.accounts.schemas import StaffCreate, StaffUpdate
from portal.deps import AdminUser, IdPath, SessionDep, client_ip
from portal.forms import FormData, FormPage, submit
from portal.web import redirect, render

router = APIRouter(tags=["pages: staff"], include_in_schema=False)


def _staff_page(member: staff.StaffMember | None = None) -> FormPage:
    """The staff form: a new account, or `member` being changed."""
    return FormPage("accounts/staff_form.html", context=lambda errors: {
        "member": member, "schools": reference.SCHOOLS, "districts": reference.TIANJIN_DISTRICTS})


@router.get("/admin/staff")
def staff_list(request: Request, user: AdminUser, session: SessionDep,
               q: Annotated[str | None, Query(max_length=100)] = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    listing = staff.list_staff(session, admin=user, q=q, page=page)
    return render(request, "accounts/staff_list.html", {"listing": listing, "q": q or ""}, block="results")


@router.get("/admin/staff/new")
def new_staff_page(request: Request, user: AdminUser):
    return _staff_page().show(request, {"role": "officer"})


@router.post("/admin/staff")
def create_staff(request: Request, user: AdminUser, session: SessionDep, data: FormData):
    return submit(
        request, session, StaffCreate, data,
        lambda created: staff.create_staff(session, admin=user, staff=created, ip=client_ip(request)),
        done=lambda account: redirect(request, f"/admin/staff/{account.id}?saved=1"),
        again=_staff_page(),
    )


@router.get("/admin/staff/{user_id}")
def staff_page(request: Request, user_id: IdPath, user: AdminUser, session: SessionDep):
    member = staff.get_staff(session, admin=user, user_id=user_id)
    values = {"display_name": member.user.display_name, "role": member.user.role, **member.scope_summary()}
    return _staff_page(member).show(request, values)


@router.post("/admin/staff/{user_id}")
def update_staff(request: Request, user_id: IdPath, user: AdminUser, session: SessionDep, data: FormData):
    member = staff.get_staff(session, admin=user, user_id=user_id)
    return submit(
        request, session, StaffUpdate, data,
        lambda update: staff.update_staff(session, admin=user, user_id=user_id, update=update, ip=client_ip(request)),
        done=lambda account: redirect(request, f"/admin/staff/{account.id}?saved=1"),
        again=_staff_page(member),
    )


@router.post("/admin/staff/{user_id}/deactivate")
def deactivate_staff(request: Request, user_id: IdPath, user: AdminUser, session: SessionDep):
    staff.set_active(session, admin=user, user_id=user_id, active=False, ip=client_ip(request))
    return redirect(request, f"/admin/staff/{user_id}")


@router.post("/admin/staff/{user_id}/activate")
def activate_staff(request: Request, user_id: IdPath, user: AdminUser, session: SessionDep):
    staff.set_active(session, admin=user, user_id=user_id, active=True, ip=client_ip(request))
    return redirect(request, f"/admin/staff/{user_id}")
