"""Demo competitions for `portal serve --demo`: the 天开杯 challenge with its forum and report meeting, the demo
graduate's team judged by two judges with the results published (the team sees each judge's score), and a second
competition open for registration. Idempotent, through the services."""
from datetime import timedelta
from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.accounts.models import User
from portal.clock import utcnow
from portal.competitions import service
from portal.competitions.models import Competition, CompetitionStatus
from portal.competitions.schemas import CompetitionCreate, EntryCreate
from portal.fairs import service as fairs
from portal.fairs.models import FairKind
from portal.fairs.schemas import FairCreate, SeriesCreate
from portal.settings import Settings

JUDGED_TITLE = "2026 天开杯创新创业大赛 · 高校毕业生专项"
OPEN_TITLE = "天开杯创新创业大赛 · 秋季赛"
JUDGE_EMAILS = ("judge@demo.jinying.cn", "judge2@demo.jinying.cn")
FONT = "STSong-Light"
CRITERIA = [{"name": "创新性", "weight": 30}, {"name": "市场前景", "weight": 25}, {"name": "可行性", "weight": 25},
            {"name": "团队", "weight": 20}]
RULES = ("1. 参赛团队 1–5 人，负责人须为在津高校、中职或技工院校的应届或往届毕业生；\n2. 提交项目简介与路演材料（PDF）；\n"
         "3. 评委按公布的评审标准独立打分，与团队存在利益关系的评委须回避；\n4. 获奖项目可申请入驻天开高教科创园孵化器。")


def seed_competitions(session: Session, *, settings: Settings, officer_email: str, graduate_email: str,
                      teammate_email: str, password: str) -> list[tuple[str, str]]:
    officer, graduate = (accounts.get_user_by_email(session, e) for e in (officer_email, graduate_email))
    if officer is None or graduate is None:
        return []
    if _by_title(session, JUDGED_TITLE) is None:
        _judged_competition(session, settings=settings, officer=officer, graduate=graduate,
                            teammate=accounts.get_user_by_email(session, teammate_email), password=password)
    now = utcnow()
    if not any(c.status == CompetitionStatus.open and c.registration_closes_at > now for c in service.published(session)):
        competition = service.create(session, officer=officer, competition=_create(OPEN_TITLE, days=30))
        service.advance(session, settings=settings, officer=officer, competition_id=competition.id, step="publish")
    return [("judge", JUDGE_EMAILS[0])]


def _by_title(session: Session, title: str) -> Competition | None:
    return session.exec(select(Competition).where(Competition.title == title)).first()


def _create(title: str, *, days: int, series_id: int | None = None) -> CompetitionCreate:
    now = utcnow()
    return CompetitionCreate(
        title=title, summary="天津市面向高校与职业院校毕业生的创新创业大赛，优秀项目可获奖金与孵化支持。", rules=RULES,
        prizes="一等奖 1 项（奖金 5 万元）、二等奖 2 项（各 2 万元）、三等奖 3 项（各 1 万元）；获奖项目优先入驻天开园孵化器。",
        tracks=["人工智能", "智能制造", "生物医药"], criteria=CRITERIA, registration_closes_at=now + timedelta(days=days),
        judging_ends_at=now + timedelta(days=days + 14), results_at=now + timedelta(days=days + 21), series_id=series_id)


def _judged_competition(session: Session, *, settings: Settings, officer: User, graduate: User, teammate: User | None,
                        password: str) -> None:
    series = fairs.create_series(session, user=officer, create=SeriesCreate(
        title="天开杯创新创业系列活动", description="大赛配套的创新创业论坛与报告会。"))
    for kind, title, days, venue in ((FairKind.forum, "天开杯青年创业论坛：从实验室到市场", 5, "天开高教科创园会议中心"),
                                     (FairKind.report_meeting, "创业政策与融资报告会", 12, "南开大学八里台校区东方艺术大楼")):
        start = utcnow() + timedelta(days=days)
        fairs.create_fair(session, user=officer, create=FairCreate(
            kind=kind, title=title, series_id=series.id, starts_at=start, ends_at=start + timedelta(hours=3),
            registration_deadline=start, venue=venue, district="南开区", capacity=300,
            description="天开杯创新创业大赛配套活动，参赛团队优先报名。"))
    competition = service.create(session, officer=officer, competition=_create(JUDGED_TITLE, days=1, series_id=series.id))
    service.advance(session, settings=settings, officer=officer, competition_id=competition.id, step="publish")
    ai = service.tracks_of(session, competition.id)[0]
    entry = service.register_team(session, settings=settings, leader=graduate, competition_id=competition.id,
                                  entry=EntryCreate(track_id=ai.id, project_name="职路 AI：毕业生求职智能助手",
                                                    summary="基于大模型的简历诊断与岗位匹配助手，已在两所高校试点，服务 1200 名毕业生。"))
    if teammate is not None:
        service.add_member(session, settings=settings, leader=graduate, entry_id=entry.id, email=teammate.email)
        service.confirm_membership(session, settings=settings, graduate=teammate, entry_id=entry.id)
    service.upload_deck(session, settings=settings, leader=graduate, entry_id=entry.id, filename="职路AI路演.pdf",
                        chunks=[_deck("职路 AI：毕业生求职智能助手")])
    service.submit(session, settings=settings, leader=graduate, entry_id=entry.id)
    judges = [_judge(session, settings=settings, officer=officer, competition=competition, track=ai, email=email,
                     name=name, password=password) for email, name in zip(JUDGE_EMAILS, ("陈教授", "刘总（天使投资人）"))]
    service.advance(session, settings=settings, officer=officer, competition_id=competition.id, step="start_judging")
    for judge, marks, comment in zip(judges, ([9, 8, 8, 9], [8, 9, 7, 8]),
                                     ("技术路线清晰，试点数据扎实。", "商业模式可行，建议尽快拓展付费客户。")):
        service.score(session, judge=judge, entry_id=entry.id, marks=marks, comment=comment)
    service.advance(session, settings=settings, officer=officer, competition_id=competition.id, step="close_round")
    service.set_award(session, officer=officer, entry_id=entry.id, award="一等奖")
    service.advance(session, settings=settings, officer=officer, competition_id=competition.id, step="publish_results")


def _judge(session: Session, *, settings: Settings, officer: User, competition, track, email: str, name: str,
           password: str) -> User:
    _, link = service.invite_judge(session, settings=settings, officer=officer, competition_id=competition.id,
                                   track_id=track.id, email=email, display_name=name)
    return accounts.accept_invitation(session, token=link.rsplit("/", 1)[1], password=password) if link \
        else accounts.get_user_by_email(session, email)


def _deck(title: str) -> bytes:
    """A two-page pitch deck in Chinese."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = BytesIO()
    pages = canvas.Canvas(buffer, pagesize=landscape(A4))
    for heading, line in ((title, "天开杯创新创业大赛路演材料"), ("市场与试点", "两所高校试点，1200 名毕业生使用，简历通过率提升 35%")):
        pages.setFont(FONT, 28)
        pages.drawString(60, 480, heading)
        pages.setFont(FONT, 16)
        pages.drawString(60, 420, line)
        pages.showPage()
    pages.save()
    return buffer.getvalue()
