"""The search pages and JSON API over HTTP (embedded backend, as the app runs without PORTAL_SEARCH_URL)."""
import pytest

from portal.applications.models import Application
from tests.conftest import api_token
from tests.search.conftest import build_world


@pytest.fixture
def world(session):
    return build_world(session)


def test_job_search_page_in_chinese_with_highlights_and_facets(client, world):
    page = client.get("/jobs", params={"q": "数据分析"})
    assert page.status_code == 200
    html = page.text
    assert "找工作" in html
    assert "<mark>数据分析师</mark>" in html  # the title, highlighted as a whole word
    assert "会计助理" not in html


def test_htmx_search_returns_only_the_results_block(client, world):
    response = client.get("/jobs", params={"district": "滨海新区", "sort": "salary"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="job-search"' not in response.text
    assert response.text.index("算法工程师") < response.text.index("Python 后端开发工程师")


def test_bad_filter_values_are_ignored_not_fatal(client, world):
    assert client.get("/jobs", params={"salary_min": "lots", "page": "0"}).status_code == 200


def test_recommendations_page_explains_each_match(client_for, world):
    client = client_for(world.graduates["li"])
    html = client.get("/recommendations").text
    assert "为你推荐" in html
    assert html.index("Python 后端开发工程师") < html.index("数据分析师")
    assert "专业对口" in html and 'class="tag match">Linux' in html
    assert 'class="tag missing" href="/training?skill=Tableau">Tableau' in html  # a gap links to training


def test_recommendations_need_a_graduate(client, world):
    assert client.get("/recommendations", follow_redirects=False).status_code in (303, 401)


def test_employer_sees_ranked_applicants_and_discoverable_graduates_of_own_positions_only(session, client_for, world):
    position = world.positions["backend"]
    for key in ("sun", "li"):
        session.add(Application(position_id=position.id, graduate_id=world.graduates[key].id))
    session.commit()
    from portal.employers.models import Recruiter
    from portal.accounts.models import User
    from sqlmodel import select
    recruiter_id = session.exec(select(Recruiter.user_id).where(Recruiter.organization_id == world.orgs["soft"].id)).first()
    client = client_for(session.get(User, recruiter_id))
    html = client.get(f"/employer/positions/{position.id}/candidates").text
    assert "按匹配度排列的申请人" in html and "推荐人才" in html
    assert "统计学" in html  # zhao is discoverable and suggested
    for g in world.graduates.values():  # never contact data
        assert g.email not in html
    # Names: of the applicants and of graduates who chose to be discoverable, never of anyone else.
    assert world.graduates["li"].display_name in html and world.graduates["zhao"].display_name in html
    assert world.graduates["qian"].display_name not in html
    other = world.positions["analyst"]  # another organisation's
    assert client.get(f"/employer/positions/{other.id}/candidates").status_code == 404
    api = client.get(f"/api/v1/search/positions/{position.id}/candidates").json()
    assert [c["graduate_id"] for c in api["applicants"]][0] == world.graduates["li"].id
    assert world.graduates["li"].id not in [c["graduate_id"] for c in api["suggested"]]


def test_similar_fragment(client, world):
    response = client.get(f"/jobs/{world.positions['backend'].id}/similar", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "相似职位" in response.text


def test_api_search_and_recommendations(client, world):
    body = client.get("/api/v1/search/positions", params={"q": "python", "sort": "salary", "kind": "full_time"}).json()
    assert body["total"] == 3 and body["hits"][0]["title"].startswith("算法工程师")
    assert {"district", "kind", "salary"} <= body["facets"].keys()
    headers = api_token(client, world.graduates["li"].email)
    recs = client.get("/api/v1/search/recommendations", headers=headers).json()
    assert recs["items"][0]["reasons"]["matched_skills"] == ["Python", "SQL", "Linux"]
    assert recs["backend"] == "embedded" and recs["degraded"] is False
    assert client.get("/api/v1/search/status").json()["ok"] is True
