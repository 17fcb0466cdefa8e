"""Notices: sanitised rich text, attachments checked by content and size, search, tags followed and the new
notice on the follower's home page; only officers publish."""
import pytest
from sqlmodel import select

from portal.errors import Invalid, NotFound
from portal.notices import service as notices
from portal.notices.schemas import NoticeCreate
from portal.notifications.models import Notification
from portal.storage import storage_for
from tests.factories import make_graduate, make_officer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_publish_sanitises_and_tells_followers(session, settings):
    officer, graduate, bystander = make_officer(session), make_graduate(session), make_graduate(session)
    notices.follow(session, user=graduate, tag="就业补贴")
    notice = notices.publish(session, settings=settings, user=officer, create=NoticeCreate(
        kind="policy", title="2026 年高校毕业生就业补贴申领指南",
        body='<p onclick="steal()">申领条件<script>alert(1)</script><a href="javascript:alert(1)">点此</a>'
             '<img src=x onerror=alert(1)><b>重要</b></p>',
        tags="就业补贴, 见习"))
    assert "script" not in notice.body_html and "onclick" not in notice.body_html and "javascript" not in notice.body_html
    assert "<img" not in notice.body_html and "<b>重要</b>" in notice.body_html
    told = session.exec(select(Notification).where(Notification.kind == "notice.published")).all()
    assert [n.user_id for n in told] == [graduate.id] and told[0].link == f"/notices/{notice.id}"
    assert bystander.id not in [n.user_id for n in told]
    found = notices.search(session, q="申领条件")
    assert [v.notice.id for v in found.items] == [notice.id] and set(found.items[0].tags) == {"见习", "就业补贴"}
    assert notices.search(session, tag="见习").total == 1 and notices.search(session, kind="news").total == 0
    with pytest.raises(NotFound):
        notices.publish(session, settings=settings, user=graduate, create=NoticeCreate(kind="news", title="假通知", body="x"))
    with pytest.raises(Invalid):
        notices.publish(session, settings=settings, user=officer, create=NoticeCreate(
            kind="news", title="空白通知", body="<script>only()</script>"))


def test_attachments_are_checked_by_content_and_capped(session, settings):
    officer = make_officer(session)
    storage = storage_for(settings)
    notice = notices.publish(session, settings=settings, user=officer, create=NoticeCreate(
        kind="guide", title="落户办理指南", body="<p>材料清单见附件。</p>"))
    with pytest.raises(Invalid):  # an executable renamed to .pdf
        notices.attach(session, settings=settings, storage=storage, user=officer, notice_id=notice.id,
                       filename="清单.pdf", data=b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(Invalid):
        notices.attach(session, settings=settings, storage=storage, user=officer, notice_id=notice.id,
                       filename="big.pdf", data=PDF + b"0" * settings.upload_max_bytes)
    attachment = notices.attach(session, settings=settings, storage=storage, user=officer, notice_id=notice.id,
                                filename="../../材料清单.txt", data=PDF)
    assert (attachment.filename, attachment.content_type) == ("材料清单.pdf", "application/pdf")
    data, stored = notices.attachment_file(session, storage=storage, notice_id=notice.id, attachment_id=attachment.id)
    assert data == PDF
    with pytest.raises(NotFound):
        notices.attach(session, settings=settings, storage=storage, user=make_officer(session), notice_id=notice.id,
                       filename="x.pdf", data=PDF)


def test_pages_publish_follow_and_home_timeline(session, settings, client_for):
    graduate = make_graduate(session)
    me = client_for(graduate)
    assert me.post("/notices/follow", data={"tag": "#见习"}, follow_redirects=False).status_code == 303
    assert me.get("/api/v1/me/followed-tags").json() == ["见习"]
    desk = client_for(make_officer(session))
    assert desk.get("/officer/notices/new").status_code == 200
    assert me.get("/officer/notices/new").status_code == 403
    bad = desk.post("/officer/notices", data={"kind": "news", "title": "见习岗位发布", "body": "<p>x</p>"},
                    files={"file": ("a.pdf", b"not a pdf", "application/pdf")})
    assert bad.status_code == 422 and notices.search(session).total == 0  # nothing half-written
    made = desk.post("/officer/notices", data={"kind": "news", "title": "见习岗位发布", "body": "<p>新增见习岗位 300 个</p>",
                                               "tags": "见习"},
                     files={"file": ("岗位表.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert made.status_code == 303
    notice_id = int(made.headers["location"].rsplit("/", 1)[1])
    page = me.get(f"/notices/{notice_id}")
    assert "新增见习岗位" in page.text and "岗位表.pdf" in page.text
    attachment_id = notices.get(session, notice_id=notice_id).attachments[0].id
    download = me.get(f"/notices/{notice_id}/attachments/{attachment_id}")
    assert download.content == PDF and download.headers["x-content-type-options"] == "nosniff"
    assert "见习岗位发布" in me.get("/me").text  # the follower's home timeline
    assert "见习岗位发布" in me.get("/notices?q=见习").text
    api = me.get("/api/v1/notices", params={"tag": "见习"}).json()
    assert api["total"] == 1 and api["items"][0]["attachments"][0]["filename"] == "岗位表.pdf"
