"""Personnel-file pages: the person's application, steps and requests; the agency's files, receipt, contents and
answers; the city's agencies and their officers; the custody certificate."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from portal import xlsx
from portal.accounts.models import User
from portal.archives import service
from portal.archives.models import (
    CONTENTS_CHECKLIST,
    ApplicantKind,
    FileServiceKind,
    FileSource,
    FileStatus,
)
from portal.archives.schemas import (
    AgencyCreate,
    AgencyOfficerAdd,
    Contents,
    CustodyApplication,
    Decision,
    ServiceAnswer,
    ServiceRequest,
)
from portal.deps import CurrentUser, GraduateUser, IdPath, OfficerUser, OptionalUser, SessionDep, SettingsDep
from portal.forms import FormData, FormPage, submit
from portal.storage import attachment
from portal.web import redirect, render

router = APIRouter(tags=["pages: archives"], include_in_schema=False)


# ---------------------------------------------------------------- the person


def _my_page(session, user: User) -> FormPage:
    return FormPage("archives/mine.html", context=lambda errors: {
        "views": service.my_files(session, person=user), "agencies": service.agencies(session),
        "kinds": list(ApplicantKind), "sources": list(FileSource), "service_kinds": list(FileServiceKind)})


@router.get("/me/archive")
def my_archive(request: Request, user: GraduateUser, session: SessionDep):
    return _my_page(session, user).again(request, {}, {"file_source": "school"}, status_code=200)


@router.post("/me/archive")
def apply(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, data: FormData):
    return submit(request, session, CustodyApplication, data,
                  lambda application: service.apply(session, settings=settings, person=user, application=application),
                  done=lambda row: redirect(request, "/me/archive"), again=_my_page(session, user))


@router.post("/me/archive/{file_id}/withdraw")
def withdraw(request: Request, file_id: IdPath, user: GraduateUser, session: SessionDep):
    service.withdraw(session, person=user, file_id=file_id)
    return redirect(request, "/me/archive")


@router.post("/me/archive/{file_id}/services")
def request_service(request: Request, file_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep,
                    data: FormData):
    return submit(request, session, ServiceRequest, data,
                  lambda asked: service.request_service(session, settings=settings, person=user, file_id=file_id,
                                                        request=asked),
                  done=lambda row: redirect(request, "/me/archive"), again=_my_page(session, user))


@router.get("/archive/certificates/{service_id}.pdf")
def certificate(service_id: IdPath, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    pdf, filename = service.certificate_pdf(session, settings=settings, user=user, service_id=service_id)
    return attachment(pdf, filename=filename, media_type="application/pdf")


# Public: the address printed on a certificate; its code is a MAC only the portal can make.
@router.get("/archive/certificates/check/{service_id}/{code}")
def certificate_check(request: Request, service_id: IdPath, code: Annotated[str, Path(max_length=40)],
                      user: OptionalUser, session: SessionDep, settings: SettingsDep):
    check = service.check_certificate(session, settings=settings, service_id=service_id, code=code)
    return render(request, "archives/certificate_check.html", {"check": check})


# ---------------------------------------------------------------- the agency


@router.get("/agency")
def agency_home(request: Request, user: OfficerUser, session: SessionDep,
                status: Annotated[FileStatus | None, Query()] = None):
    return render(request, "archives/agency.html", {
        "agency": service.agency_of(session, user), "rows": service.agency_files(session, officer=user, status=status),
        "status": status or "", "statuses": list(FileStatus)}, block="rows")


@router.get("/agency/export.xlsx")
def agency_register(user: OfficerUser, session: SessionDep, status: Annotated[FileStatus | None, Query()] = None):
    return xlsx.download(service.register_xlsx(session, officer=user, status=status), "personnel-files.xlsx")


def _file_page(session, user: User, file_id: int) -> FormPage:
    def context(errors):
        view = service.file_for_agency(session, officer=user, file_id=file_id)
        return {"view": view, "transfer": service.transfer_of(session, view.file), "checklist": CONTENTS_CHECKLIST}

    return FormPage("archives/agency_file.html", lists=("contents",), context=context)


@router.get("/agency/files/{file_id}")
def agency_file(request: Request, file_id: IdPath, user: OfficerUser, session: SessionDep):
    return _file_page(session, user, file_id).show(request)


def _agency_change(request: Request, session, user: User, file_id: int, schema, data: dict, action):
    return submit(request, session, schema, data, action, again=_file_page(session, user, file_id),
                  done=lambda result: redirect(request, f"/agency/files/{file_id}"))


@router.post("/agency/files/{file_id}/decision")
def decide(request: Request, file_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
           data: FormData):
    return _agency_change(request, session, user, file_id, Decision, data, lambda d: service.decide(
        session, settings=settings, officer=user, file_id=file_id, accept=d.accept, note=d.note))


@router.post("/agency/files/{file_id}/receipt")
def receive(request: Request, file_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
            data: FormData):
    return _agency_change(request, session, user, file_id, Contents, data, lambda c: service.receive(
        session, settings=settings, officer=user, file_id=file_id, contents=c))


@router.post("/agency/files/{file_id}/contents")
def update_contents(request: Request, file_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    return _agency_change(request, session, user, file_id, Contents, data, lambda c: service.update_contents(
        session, officer=user, file_id=file_id, contents=c))


@router.post("/agency/files/{file_id}/services/{service_id}")
def answer_service(request: Request, file_id: IdPath, service_id: IdPath, user: OfficerUser, session: SessionDep,
                   settings: SettingsDep, data: FormData):
    return _agency_change(request, session, user, file_id, ServiceAnswer, data, lambda a: service.answer_service(
        session, settings=settings, officer=user, service_id=service_id, answer=a))


# ---------------------------------------------------------------- the city's agencies


def _agencies_page(session, user: User) -> FormPage:
    return FormPage("archives/agencies.html", context=lambda errors: {
        "listings": service.agency_directory(session, officer=user), "manages": service.manages_agencies(session, user)})


@router.get("/officer/agencies")
def agencies_page(request: Request, user: OfficerUser, session: SessionDep):
    return _agencies_page(session, user).show(request)


@router.post("/officer/agencies")
def create_agency(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    return submit(request, session, AgencyCreate, data,
                  lambda agency: service.create_agency(session, officer=user, agency=agency),
                  done=lambda agency: redirect(request, "/officer/agencies"), again=_agencies_page(session, user))


@router.post("/officer/agencies/{agency_id}/officers")
def add_agency_officer(request: Request, agency_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    return submit(request, session, AgencyOfficerAdd, data,
                  lambda added: service.add_agency_officer(session, officer=user, agency_id=agency_id, email=added.email),
                  done=lambda row: redirect(request, "/officer/agencies"), again=_agencies_page(session, user))
