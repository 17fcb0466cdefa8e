"""Enrolment pages: the graduate sees what is on record and asks for a change; the school's officer decides,
confirms sign-ups and imports the school's roster."""
from fastapi import APIRouter, Request

from portal.deps import GraduateUser, OfficerUser, SessionDep, SettingsDep, client_ip
from portal.scope import scope_of
from portal.enrolment import service
from portal.enrolment.schemas import EnrolmentChangeCreate
from portal.errors import Invalid
from portal.forms import FormData, FormPage, UploadForm, field_errors, submit
from portal.web import redirect

router = APIRouter(tags=["pages: enrolment"], include_in_schema=False)


def _graduate_page(session, user) -> FormPage:
    """What is on record for the graduate, with the form asking for a change."""
    def context(errors) -> dict:
        source = service.source_of(session, user.id)
        return {"profile": service.profile_of(session, user.id), "source": service.SOURCES.get(source),
                "pending": service.pending_change(session, user.id)}

    return FormPage("enrolment/me.html", context=context)


@router.get("/me/enrolment")
def my_enrolment(request: Request, user: GraduateUser, session: SessionDep):
    return _graduate_page(session, user).show(request, service.profile_of(session, user.id).model_dump())


@router.post("/me/enrolment")
def request_change(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, data: FormData):
    return submit(
        request, session, EnrolmentChangeCreate, data,
        lambda change: service.request_change(session, settings=settings, user=user, change=change),
        done=lambda _: redirect(request, "/me/enrolment"),
        again=_graduate_page(session, user),
    )


def _officer_page(session, user, result=None) -> FormPage:
    """The school's changes to decide and sign-ups to confirm, with the roster upload and what it did (`result`)."""
    return FormPage("enrolment/officer.html", context=lambda errors: {
        "changes": service.changes_to_decide(session, officer=user),
        "unconfirmed": service.unconfirmed(session, officer=user),
        "schools": sorted(scope_of(session, user).schools), "result": result})


@router.get("/officer/enrolment")
def officer_enrolment(request: Request, user: OfficerUser, session: SessionDep):
    return _officer_page(session, user).show(request)


@router.post("/officer/enrolment/changes/{change_id}")
def decide_change(request: Request, change_id: int, user: OfficerUser, session: SessionDep, settings: SettingsDep,
                  data: FormData):
    service.decide(session, settings=settings, officer=user, change_id=change_id, approve=data.get("approve") == "yes",
                   note=str(data.get("note", ""))[:500], ip=client_ip(request))
    return redirect(request, "/officer/enrolment")


@router.post("/officer/enrolment/graduates/{graduate_id}/confirm")
def confirm_graduate(request: Request, graduate_id: int, user: OfficerUser, session: SessionDep):
    service.confirm(session, officer=user, graduate_id=graduate_id, ip=client_ip(request))
    return redirect(request, "/officer/enrolment")


@router.post("/officer/enrolment/roster")
def import_roster(request: Request, user: OfficerUser, session: SessionDep, settings: SettingsDep, form: UploadForm):
    school = str(form.data.get("school", ""))
    try:
        result = service.import_roster(session, settings=settings, officer=user, school=school,
                                       filename=form.file("file").filename, content=form.read("file"))
    except Invalid as error:
        session.rollback()
        return _officer_page(session, user).again(request, field_errors(error), {}, status_code=error.status_code)
    return _officer_page(session, user, result).show(request)
