"""The competition story in Debian's chromium on a 390x844 phone, against the portal under uvicorn: a graduate
registers a team, uploads the pitch deck and submits; a judge scores it on the published criteria; once the results
are out the team reads each judge's score. Phone screenshots go to .cache/screenshots/competition-*.png."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.competitions import service
from tests.browser.pages import PHONE, new_page, sign_in
from tests.factories import deck_pdf, make_competition, make_graduate, make_judge

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["postgres"], indirect=True)]

SCREENSHOTS = Path(__file__).parents[2] / ".cache" / "screenshots"
PROJECT = "职路 AI 求职助手"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"competition-{name}.png"), full_page=True)


def test_a_team_enters_and_receives_the_judges_scores_on_a_phone(session, settings, live_server, chromium, tmp_path):
    competition, (ai, _) = make_competition(session, title="天开杯创新创业大赛")
    leader = make_graduate(session)
    judge = make_judge(session, settings, competition, ai)
    organizer = session.get(User, competition.organizer_id)

    team = new_page(chromium, live_server, PHONE)
    sign_in(team, leader.email)
    team.goto("/competitions")
    team.get_by_role("link", name="天开杯创新创业大赛").click()
    team.select_option("select[name=track_id]", label="人工智能")
    team.fill("input[name=project_name]", PROJECT)
    team.fill("textarea[name=summary]", "基于大模型的简历诊断与岗位匹配助手，已在两所高校试点。")
    team.get_by_role("button", name="提交报名").click()
    team.wait_for_url("**/competitions/entries/*")
    deck = tmp_path / "路演.pdf"
    deck.write_bytes(deck_pdf())
    team.set_input_files("input[type=file][name=file]", str(deck))
    team.get_by_role("button", name="上传").click()
    expect(team.locator("a[data-deck]")).to_have_text("路演.pdf")
    team.get_by_role("button", name="提交项目").click()
    expect(team.locator("h1 + .badge, .badge.status-submitted").first).to_have_text("已提交")
    shot(team, "submitted")

    service.advance(session, settings=settings, officer=organizer, competition_id=competition.id, step="start_judging")
    panel = new_page(chromium, live_server, PHONE)
    sign_in(panel, judge.email)
    panel.goto("/judging")
    panel.get_by_role("link", name=PROJECT).click()
    for box, mark in zip(panel.locator("input[name='marks[]']").all(), ("9", "8", "7")):
        box.fill(mark)
    panel.fill("textarea[name=comment]", "试点数据扎实")
    panel.get_by_role("button", name="提交评分").click()
    expect(panel.locator("main")).to_contain_text("81.00")
    shot(panel, "scored")

    for step in ("close_round", "publish_results"):
        service.advance(session, settings=settings, officer=organizer, competition_id=competition.id, step=step)
    team.reload()
    scores = team.locator("#scores")
    expect(scores).to_contain_text("评委 1: 81.00")
    expect(scores).to_contain_text("试点数据扎实")
    assert team.evaluate("document.documentElement.scrollWidth") <= 390
    shot(team, "scores")
    assert team.js_errors == [] and panel.js_errors == []
