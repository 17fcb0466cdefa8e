"""/privacy (the notice, for everyone) and /me/privacy (a graduate's copy of their data, who looked, deleting)."""
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from portal.deps import GraduateUser, OptionalUser, SessionDep, SettingsDep
from portal.forms import FormData, FormPage, submit
from portal.privacy import service
from portal.privacy.pdf import render_export
from portal.privacy.schemas import DeletionRequest
from portal.storage import attachment
from portal.web import redirect, render

router = APIRouter(tags=["pages: privacy"], include_in_schema=False)


@router.get("/privacy")
def notice(request: Request, user: OptionalUser):
    return render(request, "privacy/notice.html", {"retention": service.RETENTION})


def _centre_page(session, user, block: str | None = None) -> FormPage:
    """A graduate's privacy centre, with the deletion form; `block` for a refused deletion sent by HTMX."""
    return FormPage("privacy/centre.html", block=block,
                    context=lambda errors: {"accesses": service.who_accessed(session, user=user)})


@router.get("/me/privacy")
def centre(request: Request, user: GraduateUser, session: SessionDep):
    return _centre_page(session, user).show(request)


@router.get("/me/privacy/export.json")
def export_json(user: GraduateUser, session: SessionDep):
    return JSONResponse(service.export(session, user=user), headers={
        "Content-Disposition": 'attachment; filename="jinying-my-data.json"', "Cache-Control": "private, no-store"})


@router.get("/me/privacy/export.pdf")
def export_pdf(user: GraduateUser, session: SessionDep):
    return attachment(render_export(service.export(session, user=user)), filename="jinying-my-data.pdf",
                      media_type="application/pdf")


@router.post("/me/privacy/delete")
def delete_account(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, data: FormData):
    def signed_out(_report):
        request.session.clear()
        return redirect(request, "/privacy?deleted=1")

    return submit(
        request, session, DeletionRequest, data,
        lambda form: service.delete_account(session, settings=settings, user=user, password=form.password),
        done=signed_out,
        again=_centre_page(session, user, block="delete"),
    )
