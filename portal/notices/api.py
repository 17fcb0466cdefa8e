"""JSON API for notices: search and read (public), follow tags (graduates)."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import GraduateUser, SessionDep
from portal.notices import service
from portal.notices.models import NoticeKind
from portal.notices.schemas import AttachmentPublic, NoticePage, NoticePublic, TagChoice

router = APIRouter(prefix="/api/v1", tags=["notices"])


def public(view: service.NoticeView) -> NoticePublic:
    n = view.notice
    return NoticePublic(
        id=n.id, kind=n.kind, title=n.title, body_html=n.body_html, tags=view.tags, published_at=n.published_at,
        attachments=[AttachmentPublic(id=a.id, filename=a.filename, content_type=a.content_type, size=a.size)
                     for a in view.attachments],
    )


@router.get("/notices", response_model=NoticePage)
def search_notices(session: SessionDep, q: Annotated[str | None, Query(max_length=100)] = None,
                   tag: Annotated[str | None, Query(max_length=20)] = None, kind: NoticeKind | None = None,
                   page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    """Notices newest first; q searches titles and text."""
    found = service.search(session, q=q, tag=tag, kind=kind, page=page)
    return NoticePage(items=[public(v) for v in found.items], total=found.total, page=found.page, pages=found.pages)


@router.get("/notices/{notice_id}", response_model=NoticePublic)
def get_notice(notice_id: int, session: SessionDep):
    return public(service.get(session, notice_id=notice_id))


@router.get("/me/followed-tags", response_model=list[str])
def followed_tags(user: GraduateUser, session: SessionDep):
    return service.followed(session, user=user)


@router.post("/me/followed-tags", response_model=list[str])
def follow_tag(choice: TagChoice, user: GraduateUser, session: SessionDep):
    service.follow(session, user=user, tag=choice.tag)
    return service.followed(session, user=user)
