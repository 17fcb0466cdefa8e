"""Notice pages: the searchable list with tags to follow, each notice with its attachments, and publishing."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal.deps import GraduateUser, OfficerUser, OptionalUser, SessionDep, SettingsDep
from portal.errors import ServiceError
from portal.forms import FormData, FormPage, UploadForm, parse, submit
from portal.notices import service
from portal.notices.models import NoticeKind
from portal.notices.schemas import NoticeCreate, TagChoice
from portal.storage import StorageDep, attachment
from portal.web import redirect, render

router = APIRouter(tags=["pages: notices"], include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]


@router.get("/notices")
def notice_list(request: Request, user: OptionalUser, session: SessionDep, q: Text = None, tag: Text = None,
                kind: Annotated[NoticeKind | None, Query()] = None, page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    found = service.search(session, q=q, tag=tag, kind=kind, page=page)
    return render(request, "notices/list.html", {
        "found": found, "q": q or "", "tag": tag or "", "kind": kind or "", "popular": service.popular_tags(session),
        "followed": service.followed(session, user=user),
    }, block="results")


def _detail_page(session, user, notice_id: int) -> FormPage:
    """A notice, with the officers' form adding an attachment."""
    return FormPage("notices/detail.html", context=lambda errors: {
        "view": service.get(session, notice_id=notice_id), "followed": service.followed(session, user=user)})


@router.get("/notices/{notice_id}")
def notice_detail(request: Request, notice_id: int, user: OptionalUser, session: SessionDep):
    return _detail_page(session, user, notice_id).show(request)


@router.get("/notices/{notice_id}/attachments/{attachment_id}")
def notice_attachment(notice_id: int, attachment_id: int, user: OptionalUser, session: SessionDep, storage: StorageDep):
    data, stored = service.attachment_file(session, storage=storage, notice_id=notice_id, attachment_id=attachment_id)
    return attachment(data, filename=stored.filename, media_type=stored.content_type)


@router.post("/notices/follow")
def follow(request: Request, user: GraduateUser, session: SessionDep, data: FormData):
    choice, errors = parse(TagChoice, data)
    if choice is not None:
        if data.get("follow") == "false":
            service.unfollow(session, user=user, tag=choice.tag)
        else:
            service.follow(session, user=user, tag=choice.tag)
    return redirect(request, request.headers.get("Referer") or "/notices")


NOTICE_FORM = FormPage("notices/form.html")


@router.get("/officer/notices/new")
def new_notice(request: Request, user: OfficerUser):
    return NOTICE_FORM.show(request)


@router.post("/officer/notices")
def publish(request: Request, user: OfficerUser, session: SessionDep, settings: SettingsDep, storage: StorageDep,
            form: UploadForm):
    def publish_with_attachment(create: NoticeCreate):
        notice = service.publish(session, settings=settings, user=user, create=create)
        if form.files.get("file") is not None and form.files["file"].filename:
            try:
                service.attach(session, settings=settings, storage=storage, user=user, notice_id=notice.id,
                               filename=form.files["file"].filename, data=form.read("file"))
            except ServiceError:
                service.withdraw(session, storage=storage, user=user, notice_id=notice.id)  # nothing half-written
                raise
        return notice

    return submit(request, session, NoticeCreate, form.data, publish_with_attachment,
                  done=lambda notice: redirect(request, f"/notices/{notice.id}"), again=NOTICE_FORM)


@router.post("/officer/notices/{notice_id}/attachments")
def add_attachment(request: Request, notice_id: int, user: OfficerUser, session: SessionDep, settings: SettingsDep,
                   storage: StorageDep, form: UploadForm):
    return submit(request, session, None, form.data,
                  lambda _data: service.attach(session, settings=settings, storage=storage, user=user,
                                               notice_id=notice_id, filename=form.file("file").filename,
                                               data=form.read("file")),
                  done=lambda _attachment: redirect(request, f"/notices/{notice_id}"),
                  again=_detail_page(session, user, notice_id))


@router.post("/officer/notices/{notice_id}/withdraw")
def withdraw(request: Request, notice_id: int, user: OfficerUser, session: SessionDep, storage: StorageDep):
    service.withdraw(session, storage=storage, user=user, notice_id=notice_id)
    return redirect(request, "/notices")
