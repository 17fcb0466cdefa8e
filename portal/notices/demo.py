"""Demo: a policy notice, a news item and a guide, tagged; the demo graduate follows one of the tags."""
from sqlmodel import Session, select

from portal.accounts.models import User
from portal.notices import service
from portal.notices.models import Notice
from portal.notices.schemas import NoticeCreate
from portal.settings import Settings

NOTICES = (
    NoticeCreate(kind="policy", title="天津市 2026 年高校毕业生就业创业补贴政策解读", tags=["就业补贴", "政策解读"], body=(
        "<h3>一、一次性求职创业补贴</h3><p>对在毕业学年有就业创业意愿并积极求职创业的低保家庭、脱贫家庭等毕业生，"
        "按每人 <strong>3000 元</strong> 标准发放。</p><h3>二、申领方式</h3><ul><li>登录津英就业平台提交申请；</li>"
        "<li>学校就业指导中心审核；</li><li>区人社局复核后发放。</li></ul>")),
    NoticeCreate(kind="news", title="津英就业·信息技术专场系列招聘会即将启幕", tags=["招聘会", "信息技术"], body=(
        "<p>本系列专场每月一场，首场将在滨海新区文化中心举行，40 家企业带来 600 余个岗位。报名即可领取电子入场券。</p>")),
    NoticeCreate(kind="guide", title="视频面试准备指南：设备、环境与礼仪", tags=["面试技巧"], body=(
        "<ol><li>提前 15 分钟进入面试间，检查摄像头与麦克风；</li><li>选择安静、光线充足的环境；</li>"
        "<li>准备好简历与作品，随时可以共享屏幕。</li></ol>")),
)


def seed(session: Session, *, settings: Settings, officer: User, graduate: User) -> None:
    """Once: the demo graduate follows 招聘会, then the three notices are published (so one reaches their home)."""
    if session.exec(select(Notice).where(Notice.title == NOTICES[0].title)).first() is not None:
        return
    service.follow(session, user=graduate, tag="招聘会")
    for notice in NOTICES:
        service.publish(session, settings=settings, user=officer, create=notice)
