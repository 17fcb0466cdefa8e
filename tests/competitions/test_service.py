"""Competitions, services on both databases: creating and publishing, teams whose members confirm by their own
accounts, the pitch deck checked by content, judges within their track who see no other scores until the round
closes, conflicts of interest, a judge scoring twice at once on PostgreSQL, results and incubation support."""
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlmodel import select

from portal.accounts.models import User
from portal.competitions import service
from portal.competitions.models import Score, TeamMember
from portal.competitions.schemas import CompetitionCreate, EntryCreate
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from tests.concurrency import require_row_locks, run_together
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    deck_pdf,
    make_competition,
    make_employer,
    make_entry,
    make_graduate,
    make_judge,
    make_officer,
)


def _organizer(session, competition):
    return session.get(User, competition.organizer_id)


def advance(session, settings, competition, *steps):
    for name in steps:
        service.advance(session, settings=settings, officer=_organizer(session, competition),
                        competition_id=competition.id, step=name)


def test_criteria_must_add_up_and_a_draft_is_its_organisers_alone(session):
    with pytest.raises(ValidationError, match="add up to 100"):
        CompetitionCreate(title="天开杯", summary="简介", rules="规则", prizes="奖金", tracks="人工智能",
                          criteria="创新性 40\n可行性 40", registration_closes_at="2030-01-01T09:00",
                          judging_ends_at="2030-01-05T09:00", results_at="2030-01-09T09:00")
    officer = make_officer(session, city_wide=True)
    draft = service.create(session, officer=officer, competition=CompetitionCreate(
        title="天开杯", summary="简介", rules="规则", prizes="奖金", tracks="人工智能\n生物医药",
        criteria="创新性 60\n可行性 40", registration_closes_at="2030-01-01T09:00", judging_ends_at="2030-01-05T09:00",
        results_at="2030-01-09T09:00"))
    assert [t.name for t in service.tracks_of(session, draft.id)] == ["人工智能", "生物医药"]
    assert service.get(session, user=officer, competition_id=draft.id).status == "draft"
    for outsider in (None, make_graduate(session), make_officer(session, city_wide=True)):
        with pytest.raises(NotFound):
            service.get(session, user=outsider, competition_id=draft.id)
    assert service.published(session) == []


def test_a_team_submits_once_its_deck_is_a_pdf_and_every_member_confirmed(session, settings):
    competition, (ai, _) = make_competition(session)
    leader, member = make_graduate(session), make_graduate(session)
    entry = service.register_team(session, settings=settings, leader=leader, competition_id=competition.id,
                                  entry=EntryCreate(track_id=ai.id, project_name="质检大模型", summary="为中小制造企业提供视觉质检服务。"))
    service.add_member(session, settings=settings, leader=leader, entry_id=entry.id, email=member.email)
    for bad in (PNG_BYTES, PDF_BYTES, b"%PDF-1.7\n" + b"\x00" * 500):  # an image, and two files that only claim to be PDFs
        with pytest.raises(Invalid):
            service.upload_deck(session, settings=settings, leader=leader, entry_id=entry.id, filename="deck.pdf",
                                chunks=[bad])
    with pytest.raises(Invalid):
        service.upload_deck(session, settings=settings.model_copy(update={"upload_max_bytes": 100}), leader=leader,
                            entry_id=entry.id, filename="deck.pdf", chunks=[deck_pdf()])
    with pytest.raises(Invalid):
        service.submit(session, settings=settings, leader=leader, entry_id=entry.id)
    service.upload_deck(session, settings=settings, leader=leader, entry_id=entry.id, filename="路演.pdf",
                        chunks=[deck_pdf()])
    with pytest.raises(Conflict):
        service.submit(session, settings=settings, leader=leader, entry_id=entry.id)
    with pytest.raises(NotFound):
        service.add_member(session, settings=settings, leader=member, entry_id=entry.id, email=leader.email)
    service.confirm_membership(session, settings=settings, graduate=member, entry_id=entry.id)
    assert session.exec(select(Notification).where(Notification.user_id == leader.id)).one().link == \
        f"/competitions/entries/{entry.id}"  # the leader waits on this to submit
    assert service.submit(session, settings=settings, leader=leader, entry_id=entry.id).status == "submitted"
    data, name = service.deck(session, settings=settings, user=member, entry_id=entry.id)
    assert data.startswith(b"%PDF") and name == "路演.pdf"

    with pytest.raises(Conflict):  # a graduate is on one team per competition
        service.register_team(session, settings=settings, leader=member, competition_id=competition.id,
                              entry=EntryCreate(track_id=ai.id, project_name="另一个项目", summary="换个方向再试一次试试看。"))
    session.rollback()
    _, recruiter = make_employer(session)
    for outsider in (recruiter, make_graduate(session), make_officer(session, city_wide=True)):
        with pytest.raises(NotFound):
            service.team_entry(session, user=outsider, entry_id=entry.id)


def test_judges_score_their_track_blind_until_the_round_closes_and_skip_declared_conflicts(session, settings):
    competition, (ai, manufacturing) = make_competition(session)
    first, second = make_entry(session, settings, competition, ai), make_entry(session, settings, competition, ai)
    elsewhere = make_entry(session, settings, competition, manufacturing)
    judge_a, judge_b = make_judge(session, settings, competition, ai), make_judge(session, settings, competition, ai)
    with pytest.raises(Conflict):  # not before judging starts
        service.score(session, judge=judge_a, entry_id=first.id, marks=[8, 8, 8])
    advance(session, settings, competition, "start_judging")
    told = session.exec(select(Notification).where(Notification.user_id == judge_b.id,
                                                   Notification.link == "/judging")).all()
    assert [n.title for n in told][-1].startswith("Judging of %(competition)s has begun")  # the judge waits on this

    assert {v.entry.id for v in service.to_judge(session, judge=judge_a)} == {first.id, second.id}
    with pytest.raises(NotFound):
        service.score(session, judge=judge_a, entry_id=elsewhere.id, marks=[5, 5, 5])
    with pytest.raises(Invalid):
        service.score(session, judge=judge_a, entry_id=first.id, marks=[8, 8])
    assert service.score(session, judge=judge_a, entry_id=first.id, marks=[9, 8, 7], comment="亮点突出").total == 81.0
    assert service.score(session, judge=judge_b, entry_id=first.id, marks=[7, 7, 7]).total == 70.0
    assert service.judge_entry(session, judge=judge_b, entry_id=first.id).others == []
    with pytest.raises(Conflict):
        service.score(session, judge=judge_a, entry_id=first.id, marks=[1, 1, 1])
    session.rollback()

    service.declare_conflict(session, judge=judge_b, entry_id=second.id, reason="项目负责人是我的学生")
    assert second.id not in {v.entry.id for v in service.to_judge(session, judge=judge_b)}
    with pytest.raises(NotFound):
        service.score(session, judge=judge_b, entry_id=second.id, marks=[9, 9, 9])
    service.score(session, judge=judge_a, entry_id=second.id, marks=[6, 6, 6])

    advance(session, settings, competition, "close_round")
    session.refresh(first)
    assert first.final_score == 75.5
    assert [s.total for s in service.judge_entry(session, judge=judge_b, entry_id=first.id).others] == [81.0]
    progress = {p.entry.id: p for p in service.progress(session, officer=_organizer(session, competition),
                                                        competition_id=competition.id)}
    assert (progress[second.id].scores, progress[second.id].judges) == (1, 1)


def test_results_reach_the_team_with_each_judges_score_and_winners_ask_for_incubation(session, settings):
    competition, (ai, _) = make_competition(session)
    entry = make_entry(session, settings, competition, ai)
    judges = [make_judge(session, settings, competition, ai) for _ in range(2)]
    advance(session, settings, competition, "start_judging")
    for judge, marks in zip(judges, ([10, 9, 8], [8, 8, 8])):
        service.score(session, judge=judge, entry_id=entry.id, marks=marks, comment="很好")
    organizer = _organizer(session, competition)
    with pytest.raises(Conflict):
        service.set_award(session, officer=organizer, entry_id=entry.id, award="一等奖")
    advance(session, settings, competition, "close_round")
    service.set_award(session, officer=organizer, entry_id=entry.id, award="一等奖")
    leader = session.get(User, entry.leader_id)
    assert service.team_entry(session, user=leader, entry_id=entry.id).scores == []  # not before publication
    with pytest.raises(Conflict):
        service.request_incubation(session, settings=settings, leader=leader, entry_id=entry.id, needs="需要场地和导师辅导")
    advance(session, settings, competition, "publish_results")

    view = service.team_entry(session, user=leader, entry_id=entry.id)
    assert sorted(s.total for s in view.scores) == [80.0, 91.0] and view.entry.final_score == 85.5
    [header, row] = load_workbook(BytesIO(service.results_xlsx(session, officer=organizer,
                                                                competition_id=competition.id))).active.iter_rows(values_only=True)
    assert (header[6], row[1], row[5], row[6], row[7]) == ("得分", entry.project_name, "2 / 2", 85.5, "一等奖")
    assert [(r.entry.id, r.entry.award) for r in service.results(session, competition=competition)] == [(entry.id, "一等奖")]
    service.request_incubation(session, settings=settings, leader=leader, entry_id=entry.id, needs="需要场地和导师辅导")
    answered = service.answer_incubation(session, settings=settings, officer=organizer, entry_id=entry.id, offer=True,
                                         answer="欢迎入驻天开园，请联系孵化器。")
    assert answered.incubation_status == "offered"


def test_a_judge_submitting_twice_at_once_is_counted_once(engine, session, settings):
    require_row_locks(engine)
    competition, (ai, _) = make_competition(session)
    entry = make_entry(session, settings, competition, ai)
    judge = make_judge(session, settings, competition, ai)
    advance(session, settings, competition, "start_judging")
    outcomes = run_together(engine, [
        lambda s: service.score(s, judge=judge, entry_id=entry.id, marks=[9, 9, 9]),
        lambda s: service.score(s, judge=judge, entry_id=entry.id, marks=[3, 3, 3]),
    ])
    assert sum(isinstance(o, Score) for o in outcomes) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert len(session.exec(select(Score)).all()) == 1


def test_a_member_may_decline_but_the_leader_stays(session, settings):
    competition, (ai, _) = make_competition(session)
    entry = make_entry(session, settings, competition, ai, submitted=False)
    leader = session.get(User, entry.leader_id)
    invited = make_graduate(session)
    service.add_member(session, settings=settings, leader=leader, entry_id=entry.id, email=invited.email)
    service.leave_team(session, graduate=invited, entry_id=entry.id)
    assert [m.graduate_id for m in session.exec(select(TeamMember)).all()] == [leader.id]
    with pytest.raises(Conflict):
        service.leave_team(session, graduate=leader, entry_id=entry.id)
