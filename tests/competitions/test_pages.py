"""Competitions through real HTTP: the organiser creates and runs one, a team registers, uploads its deck and
submits, a judge scores from the pages (and the API refuses a second score), results reach the team; who may see
what."""
from datetime import timedelta

import pytest

from portal.accounts.models import User
from portal.clock import utcnow
from portal.competitions import service
from portal.competitions.models import CompetitionEntry
from portal.localtime import to_local
from tests.conftest import api_token, csrf_from
from tests.factories import (
    PASSWORD,
    deck_pdf,
    make_competition,
    make_employer,
    make_entry,
    make_graduate,
    make_judge,
    make_officer,
)

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)


def local(delta: timedelta) -> str:
    return to_local(utcnow() + delta).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_creates_publishes_and_invites_a_judge(session, client, client_for):
    officer = client_for(make_officer(session, city_wide=True))
    form = {"title": "天开杯创新创业大赛", "summary": "面向毕业生", "rules": "团队 1–5 人", "prizes": "一等奖 5 万元",
            "tracks": "人工智能\n智能制造", "criteria": "创新性 40\n可行性 40", "registration_closes_at": local(timedelta(days=7)),
            "judging_ends_at": local(timedelta(days=14)), "results_at": local(timedelta(days=21)), "series_id": ""}
    refused = officer.post("/officer/competitions", data=form)
    assert refused.status_code == 422 and "权重合计须为 100" in refused.text and "天开杯创新创业大赛" in refused.text
    created = officer.post("/officer/competitions", data={**form, "criteria": "创新性 40\n可行性 30\n团队 30"},
                           follow_redirects=False)
    competition_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/competitions/{competition_id}").status_code == 404  # a draft
    officer.post(f"/officer/competitions/{competition_id}/steps/publish")
    page = client.get(f"/competitions/{competition_id}").text
    assert "人工智能" in page and "权重 40%" in page and "报名中" in page
    track_id = service.tracks_of(session, competition_id)[0].id
    invited = officer.post(f"/officer/competitions/{competition_id}/judges",
                           data={"track_id": str(track_id), "display_name": "王教授", "email": "wang@expert.example.cn"})
    link = invited.text.split("data-invitation-link>")[1].split("<")[0]
    judge = client.post(link[link.index("/invitation/"):], data={"password": PASSWORD,
                                                                  "csrf_token": _csrf(client, link)},
                        follow_redirects=False)
    assert judge.headers["location"] == "/judging"
    assert "组织方开始评审后" in client.get("/judging").text  # nothing yet, and the judge knows why
    assert officer.post(f"/officer/competitions/{competition_id}/steps/nonsense").status_code == 404


def _csrf(client, link):
    return csrf_from(client.get(link[link.index("/invitation/"):]).text)


def test_a_team_registers_uploads_its_deck_and_submits(session, client_for):
    competition, (ai, _) = make_competition(session)
    leader, member = make_graduate(session), make_graduate(session)
    me = client_for(leader)
    created = me.post(f"/competitions/{competition.id}/entries", data={
        "track_id": str(ai.id), "project_name": "质检大模型", "summary": "为中小制造企业提供视觉质检服务。"},
        follow_redirects=False)
    entry_id = int(created.headers["location"].rsplit("/", 1)[1])
    me.post(f"/competitions/entries/{entry_id}/members", data={"email": member.email})
    not_pdf = me.post(f"/competitions/entries/{entry_id}/deck", files={"file": ("deck.pdf", b"<html>", "application/pdf")})
    assert not_pdf.status_code == 422 and "路演材料须为 PDF 文件" in not_pdf.text
    me.post(f"/competitions/entries/{entry_id}/deck", files={"file": ("路演.pdf", deck_pdf(), "application/pdf")})
    waiting = me.post(f"/competitions/entries/{entry_id}/submit")
    assert waiting.status_code == 422 and "所有成员确认后才能提交项目" in waiting.text

    teammate = client_for(member)
    assert "确认加入团队" in teammate.get("/me/competitions").text
    teammate.post(f"/competitions/entries/{entry_id}/confirm")
    assert me.post(f"/competitions/entries/{entry_id}/submit", follow_redirects=False).status_code == 303
    assert session.get(CompetitionEntry, entry_id).status == "submitted"
    deck = teammate.get(f"/competitions/entries/{entry_id}/deck.pdf")
    assert deck.status_code == 200 and deck.content.startswith(b"%PDF")

    _, recruiter = make_employer(session)
    employer = client_for(recruiter)
    assert employer.get(f"/competitions/entries/{entry_id}").status_code == 404
    assert employer.get(f"/competitions/entries/{entry_id}/deck.pdf").status_code == 404
    assert client_for(make_graduate(session)).get(f"/competitions/entries/{entry_id}").status_code == 404


def test_a_judge_scores_from_the_page_once_and_the_team_gets_the_scores(session, settings, client, client_for):
    competition, (ai, manufacturing) = make_competition(session)
    entry = make_entry(session, settings, competition, ai)
    other_track = make_entry(session, settings, competition, manufacturing)
    judge = make_judge(session, settings, competition, ai)
    organizer = client_for(session.get(User, competition.organizer_id))
    organizer.post(f"/officer/competitions/{competition.id}/steps/start_judging")

    panel = client_for(judge)
    assert entry.project_name in panel.get("/judging").text and other_track.project_name not in panel.get("/judging").text
    assert panel.get(f"/judging/entries/{other_track.id}").status_code == 404
    assert panel.get(f"/competitions/entries/{other_track.id}/deck.pdf").status_code == 404
    assert panel.get(f"/competitions/entries/{entry.id}/deck.pdf").status_code == 200
    bad = panel.post(f"/judging/entries/{entry.id}/score", data={"marks[]": ["9", "11", "7"], "comment": ""})
    assert bad.status_code == 422 and 'value="11"' in bad.text
    panel.post(f"/judging/entries/{entry.id}/score", data={"marks[]": ["9", "8", "7"], "comment": "市场分析扎实"})
    again = client.post(f"/api/v1/judging/entries/{entry.id}/score", json={"marks": [1, 1, 1]},
                        headers=api_token(client, judge.email))
    assert again.status_code == 409

    for step in ("close_round", "publish_results"):
        organizer.post(f"/officer/competitions/{competition.id}/steps/{step}")
    leader = client_for(session.get(User, entry.leader_id))
    page = leader.get(f"/competitions/entries/{entry.id}").text
    assert "评委 1" in page and "81.00" in page and "市场分析扎实" in page
    mine = leader.get("/api/v1/me/competition-entries").json()
    assert mine[0]["scores"][0]["total"] == 81.0 and "judge" not in str(mine[0]["scores"]).lower()
    assert "81.00" in client.get(f"/competitions/{competition.id}").text
    assert client.get(f"/api/v1/competitions/{competition.id}/results").json()[0]["final_score"] == 81.0
    export = organizer.get(f"/officer/competitions/{competition.id}/results.xlsx")
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert panel.get(f"/officer/competitions/{competition.id}/results.xlsx").status_code == 403  # a judge's account
