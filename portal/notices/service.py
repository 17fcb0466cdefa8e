"""Notices: officers publish policy notices, news and guides as rich text (sanitised here, whatever the editor
sent) with attachments checked by their content; everyone reads and searches them; graduates follow tags and
hear about new notices in their messages, which their home page's timeline shows."""
import html
import re
import secrets
import zipfile
from dataclasses import dataclass
from io import BytesIO

import nh3
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, func, or_, select

from portal.accounts.models import Role, User
from portal.audit import service as audit
from portal.errors import Conflict, Invalid, NotFound
from portal.notices.models import Notice, NoticeAttachment, NoticeTag, TagFollow
from portal.notices.schemas import NoticeCreate
from portal.notifications import service as notifications
from portal.pagination import PAGE_SIZE, Page, paginate
from portal.settings import Settings
from portal.storage import Storage, read_stored

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
                "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Block elements end a word in the searchable text; inline ones (<b>) do not.
BLOCK_START = re.compile(r"<(/?(?:p|br|h[2-4]|li|tr|td|th|blockquote|hr)\b)")
MAX_ATTACHMENTS = 5
# What an attachment may be, recognised by its first bytes (and, for Office files, by what the zip holds).
PDF, PNG, JPEG = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
OFFICE = {"word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
          "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")}


@dataclass
class NoticeView:
    notice: Notice
    tags: list[str]
    attachments: list[NoticeAttachment]


def sanitise(body: str) -> tuple[str, str]:
    """(safe HTML, plain text for search) of what an editor sent."""
    safe = nh3.clean(body, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow")
    text = html.unescape(nh3.clean(BLOCK_START.sub(r" <\1", safe), tags=set()))
    return safe, " ".join(text.split())


def _officer(user: User) -> None:
    if user.role not in (Role.officer, Role.admin):
        raise NotFound("We could not find that notice.")


def publish(session: Session, *, settings: Settings, user: User, create: NoticeCreate) -> Notice:
    _officer(user)
    body_html, body_text = sanitise(create.body)
    if not body_text:
        raise Invalid("Write the notice's text.", field="body")
    notice = Notice(kind=create.kind, title=create.title.strip(), body_html=body_html, body_text=body_text,
                    author_id=user.id)
    session.add(notice)
    session.flush()
    session.add_all(NoticeTag(notice_id=notice.id, tag=tag) for tag in create.tags)
    audit.record(session, actor_id=user.id, action="notice.publish", object_type="notice", object_id=notice.id)
    _tell_followers(session, settings, notice, create.tags)
    session.commit()
    return notice


def _tell_followers(session: Session, settings: Settings, notice: Notice, tags: list[str]) -> None:
    followers = session.exec(
        select(User).where(User.id.in_(select(TagFollow.user_id).where(TagFollow.tag.in_(tags or [""]))),
                           User.is_active.is_(True))
    ).all()
    for follower in followers:
        notifications.notify(session, settings=settings, user=follower, kind="notice.published",
                             title="New notice: %(title)s", body="Tagged %(tags)s, which you follow.",
                             link=f"/notices/{notice.id}", params={"title": notice.title, "tags": "、".join(tags)})


def withdraw(session: Session, *, storage: Storage, user: User, notice_id: int) -> None:
    """Removes a notice with its tags and attachments (its author or an administrator)."""
    view = get(session, notice_id=notice_id)
    if not (user.id == view.notice.author_id or user.role == Role.admin):
        raise NotFound("We could not find that notice.")
    for attachment in view.attachments:
        storage.delete(attachment.storage_key)
        session.delete(attachment)
    session.execute(delete(NoticeTag).where(NoticeTag.notice_id == notice_id))
    session.delete(view.notice)
    audit.record(session, actor_id=user.id, action="notice.withdraw", object_type="notice", object_id=notice_id)
    session.commit()


def recognise(data: bytes) -> tuple[str, str]:
    """(media type, extension) of an allowed attachment, judged by its content."""
    if data.startswith(PDF):
        return "application/pdf", ".pdf"
    if data.startswith(PNG):
        return "image/png", ".png"
    if data.startswith(JPEG):
        return "image/jpeg", ".jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            names = set()
        for member, kind in OFFICE.items():
            if member in names:
                return kind
    raise Invalid("Attach a PDF, an image (PNG or JPEG), or a Word or Excel file.", field="file")


def attach(session: Session, *, settings: Settings, storage: Storage, user: User, notice_id: int, filename: str,
           data: bytes) -> NoticeAttachment:
    view = get(session, notice_id=notice_id)
    if not (user.id == view.notice.author_id or user.role == Role.admin):
        raise NotFound("We could not find that notice.")
    if len(data) > settings.upload_max_bytes:
        raise Invalid("The file is larger than %(mb)s MB.", field="file", mb=settings.upload_max_bytes // (1024 * 1024))
    if len(view.attachments) >= MAX_ATTACHMENTS:
        raise Conflict("A notice has at most %(n)s attachments.", field="file", n=MAX_ATTACHMENTS)
    media_type, extension = recognise(data)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:150] or "attachment"
    if not name.lower().endswith(extension):
        name = name.rsplit(".", 1)[0] + extension
    key = f"notices/{notice_id}/{secrets.token_hex(12)}{extension}"
    storage.write(key, data)
    attachment = NoticeAttachment(notice_id=notice_id, filename=name, content_type=media_type, size=len(data),
                                  storage_key=key)
    session.add(attachment)
    audit.record(session, actor_id=user.id, action="notice.attach", object_type="notice", object_id=notice_id)
    session.commit()
    return attachment


def attachment_file(session: Session, *, storage: Storage, notice_id: int, attachment_id: int
                    ) -> tuple[bytes, NoticeAttachment]:
    attachment = session.get(NoticeAttachment, attachment_id)
    if attachment is None or attachment.notice_id != notice_id:
        raise NotFound("We could not find that attachment.")
    return read_stored(storage, attachment.storage_key), attachment


# ---------------------------------------------------------------- reading


def _views(session: Session, notices: list[Notice]) -> list[NoticeView]:
    ids = [n.id for n in notices] or [-1]
    tags: dict[int, list[str]] = {}
    for row in session.exec(select(NoticeTag).where(NoticeTag.notice_id.in_(ids)).order_by(NoticeTag.tag)):
        tags.setdefault(row.notice_id, []).append(row.tag)
    files: dict[int, list[NoticeAttachment]] = {}
    for row in session.exec(select(NoticeAttachment).where(NoticeAttachment.notice_id.in_(ids)).order_by(NoticeAttachment.id)):
        files.setdefault(row.notice_id, []).append(row)
    return [NoticeView(n, tags.get(n.id, []), files.get(n.id, [])) for n in notices]


def get(session: Session, *, notice_id: int) -> NoticeView:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound("We could not find that notice.")
    return _views(session, [notice])[0]


def search(session: Session, *, q: str | None = None, tag: str | None = None, kind: str | None = None,
           page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of notices (as NoticeViews), newest first; q matches the title or the text, tag and kind narrow it."""
    query = select(Notice)
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Notice.title.ilike(pattern), Notice.body_text.ilike(pattern)))
    if tag:
        query = query.where(Notice.id.in_(select(NoticeTag.notice_id).where(NoticeTag.tag == tag.lower())))
    if kind:
        query = query.where(Notice.kind == kind)
    found = paginate(session, query, page=page, per_page=per_page, order=(Notice.published_at.desc(), Notice.id.desc()))
    found.items = _views(session, found.items)
    return found


def popular_tags(session: Session, *, limit: int = 30) -> list[str]:
    rows = session.exec(select(NoticeTag.tag).group_by(NoticeTag.tag)
                        .order_by(func.count().desc(), NoticeTag.tag).limit(limit)).all()
    return list(rows)


# ---------------------------------------------------------------- following tags


def followed(session: Session, *, user: User | None) -> list[str]:
    if user is None:
        return []
    return list(session.exec(select(TagFollow.tag).where(TagFollow.user_id == user.id).order_by(TagFollow.tag)))


def follow(session: Session, *, user: User, tag: str) -> None:
    if user.role != Role.graduate:
        raise Invalid("Only graduates follow tags.")
    if len(followed(session, user=user)) >= 50:
        raise Conflict("You follow 50 tags already.")
    session.add(TagFollow(user_id=user.id, tag=tag))
    try:
        session.commit()
    except IntegrityError:  # already followed: nothing to do
        session.rollback()


def unfollow(session: Session, *, user: User, tag: str) -> None:
    session.execute(delete(TagFollow).where(TagFollow.user_id == user.id, TagFollow.tag == tag))
    session.commit()
