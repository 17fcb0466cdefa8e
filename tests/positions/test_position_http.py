"""Position pages and API over HTTP: the employer's form and list, review, the public page, authorization."""
from datetime import timedelta

from sqlmodel import select

from portal.applications.models import Application
from portal.clock import today
from portal.employers.models import OrganizationStatus
from portal.positions.models import Position, PositionStatus
from search.models import SearchOutbox
from tests.conftest import api_token
from tests.factories import make_employer, make_graduate, make_officer, make_position, position_data


def form(**overrides) -> dict:
    data = position_data(**overrides)
    data["majors"] = "、".join(data["majors"]) if isinstance(data["majors"], list) else data["majors"]
    data["skills"] = ",".join(data["skills"]) if isinstance(data["skills"], list) else data["skills"]
    for flag in ("is_support", "accessible"):
        if data.pop(flag):
            data[flag] = "true"
    return data


def test_employer_posts_through_the_form_and_an_officer_approves(session, client_for):
    organization, recruiter = make_employer(session)
    employer = client_for(recruiter)
    assert employer.get("/employer/positions/new").status_code == 200
    response = employer.post("/employer/positions", data={**form(is_support=True), "action": "submit"},
                             follow_redirects=False)
    assert response.status_code == 303
    position = session.exec(select(Position)).one()
    assert position.status == "pending_review" and position.is_support and position.skills == ["Excel", "Python", "SQL"]
    assert response.headers["location"] == f"/jobs/{position.id}?notice=submitted"
    assert "已提交审核" in employer.get(response.headers["location"]).text

    officer = client_for(make_officer(session, city_wide=True))
    queue = officer.get("/officer/positions")
    assert position.title in queue.text
    row = officer.post(f"/officer/positions/{position.id}/approve", headers={"HX-Request": "true"})
    assert row.status_code == 200 and "status-published" in row.text and "<html" not in row.text
    session.refresh(position)
    assert position.status == "published"
    page = client_for(make_graduate(session)).get(f"/jobs/{position.id}")
    assert page.status_code == 200
    assert 'action="/applications"' in page.text and f'name="position_id" value="{position.id}"' in page.text
    assert f'hx-get="/jobs/{position.id}/similar"' in page.text
    assert "认证单位" in page.text  # verified badge


def test_bad_form_input_shows_field_messages_and_saves_nothing(session, client_for):
    _organization, recruiter = make_employer(session)
    employer = client_for(recruiter)
    for overrides, message in [
        ({"salary_min": "9000", "salary_max": "6000"}, "最高薪资不能低于最低薪资"),
        ({"deadline": (today() - timedelta(days=1)).isoformat()}, "截止日期不能早于今天"),
        ({"headcount": "0"}, 'name="headcount"'),
    ]:
        response = employer.post("/employer/positions", data=form(**overrides))
        assert response.status_code == 422 and message in response.text
        assert 'class="field has-error"' in response.text
    assert session.exec(select(Position)).all() == []


def test_rejected_position_is_edited_and_resubmitted_through_the_pages(session, client_for):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, status=PositionStatus.pending_review)
    officer = client_for(make_officer(session, city_wide=True))
    empty = officer.post(f"/officer/positions/{position.id}/reject", data={"reason": " "}, headers={"HX-Request": "true"})
    assert empty.status_code == 422
    officer.post(f"/officer/positions/{position.id}/reject", data={"reason": "请补充工作地址"})
    employer = client_for(recruiter)
    home = employer.get("/employer")
    assert "请补充工作地址" in home.text
    edit = employer.get(f"/employer/positions/{position.id}/edit")
    assert "请补充工作地址" in edit.text
    response = employer.post(f"/employer/positions/{position.id}",
                             data={**form(address="天津市滨海新区第三大街 1 号"), "action": "submit"}, follow_redirects=False)
    assert response.status_code == 303
    session.refresh(position)
    assert position.status == "pending_review" and position.address == "天津市滨海新区第三大街 1 号"


def test_double_submit_changes_nothing(session, client_for):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, status=PositionStatus.draft)
    employer = client_for(recruiter)
    assert employer.post(f"/employer/positions/{position.id}/submit", follow_redirects=False).status_code == 303
    again = employer.post(f"/employer/positions/{position.id}/submit", headers={"HX-Request": "true"})
    assert again.status_code == 409 and again.headers["HX-Retarget"] == "#flash"


def test_unverified_employer_saves_but_cannot_submit(session, client_for):
    _organization, recruiter = make_employer(session, status=OrganizationStatus.pending)
    employer = client_for(recruiter)
    response = employer.post("/employer/positions", data={**form(), "action": "submit"}, follow_redirects=False)
    assert response.headers["location"].endswith("notice=saved_not_submitted")
    assert session.exec(select(Position)).one().status == "draft"


def test_employer_list_tabs_and_paging_with_htmx(session, client_for):
    organization, recruiter = make_employer(session)
    for _ in range(23):
        make_position(session, organization)
    make_position(session, organization, status=PositionStatus.draft, title="实习生草稿")
    employer = client_for(recruiter)
    full = employer.get("/employer/positions")
    assert full.status_code == 200 and "<html" in full.text and "page=2" in full.text
    drafts = employer.get("/employer/positions?status=draft", headers={"HX-Request": "true"})
    assert "<html" not in drafts.text and "实习生草稿" in drafts.text and "Python 开发工程师" not in drafts.text
    second = employer.get("/employer/positions?status=published&page=2", headers={"HX-Request": "true"})
    assert second.text.count('class="position-row"') == 3


def test_reconfirm_and_close_from_the_list(session, client_for):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    employer = client_for(recruiter)
    row = employer.post(f"/employer/positions/{position.id}/reconfirm", headers={"HX-Request": "true"})
    assert row.status_code == 200 and f'id="position-{position.id}"' in row.text
    closed = employer.post(f"/employer/positions/{position.id}/close", headers={"HX-Request": "true"})
    assert "status-closed" in closed.text
    session.refresh(position)
    assert position.status == "closed"
    assert session.exec(select(SearchOutbox).where(SearchOutbox.entity_id == position.id)).first()


def test_recruiter_of_another_organisation_gets_404_everywhere(session, client_for, client):
    organization, _ = make_employer(session)
    draft = make_position(session, organization, status=PositionStatus.draft, title="保密草稿")
    _other, stranger = make_employer(session)
    c = client_for(stranger)
    assert c.get(f"/jobs/{draft.id}").status_code == 404
    assert c.get(f"/employer/positions/{draft.id}/edit").status_code == 404
    assert c.post(f"/employer/positions/{draft.id}", data=form()).status_code == 404
    for action in ("submit", "close", "reconfirm", "duplicate"):
        assert c.post(f"/employer/positions/{draft.id}/{action}").status_code == 404
    headers = api_token(client, stranger.email)
    assert client.get(f"/api/v1/positions/{draft.id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/positions/{draft.id}", json={"title": "改"}, headers=headers).status_code == 404
    assert "保密草稿" not in c.get("/employer/positions").text
    session.refresh(draft)
    assert draft.status == "draft" and draft.title == "保密草稿"


def test_unpublished_positions_404_for_the_public_and_graduates(session, client, client_for):
    organization, recruiter = make_employer(session)
    graduate = client_for(make_graduate(session))
    for status in ("draft", "pending_review", "rejected", "closed", "expired"):
        position = make_position(session, organization, status=status)
        assert client.get(f"/jobs/{position.id}").status_code == 404
        assert graduate.get(f"/jobs/{position.id}").status_code == 404
        assert client.get(f"/api/v1/positions/{position.id}").status_code == 404
        assert client_for(recruiter).get(f"/jobs/{position.id}").status_code == 200
    lapsed = make_position(session, organization, deadline=today() - timedelta(days=1))
    assert client.get(f"/jobs/{lapsed.id}").status_code == 404


def test_graduate_who_applied_sees_already_applied(session, client_for):
    organization, _ = make_employer(session)
    position = make_position(session, organization)
    graduate = make_graduate(session)
    session.add(Application(position_id=position.id, graduate_id=graduate.id))
    session.commit()
    page = client_for(graduate).get(f"/jobs/{position.id}")
    assert 'action="/applications"' not in page.text and "您已于" in page.text


def test_graduates_cannot_reach_officer_or_employer_pages(session, client_for):
    organization, _ = make_employer(session)
    position = make_position(session, organization, status=PositionStatus.pending_review)
    c = client_for(make_graduate(session))
    assert c.get("/officer/positions").status_code == 403
    assert c.post(f"/officer/positions/{position.id}/approve").status_code == 403
    assert c.get("/employer/positions").status_code == 403
    assert c.post("/employer/positions", data=form()).status_code == 403
    session.refresh(position)
    assert position.status == "pending_review"


def test_api_lifecycle(session, client):
    organization, recruiter = make_employer(session)
    employer = api_token(client, recruiter.email)
    officer = api_token(client, make_officer(session, city_wide=True).email)
    created = client.post("/api/v1/positions", json=position_data(kind="traineeship"), headers=employer)
    assert created.status_code == 201, created.text
    position_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["employer"]["verified"] is True
    bad = client.patch(f"/api/v1/positions/{position_id}", json={"salary_min": 50000}, headers=employer)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "salary_max"
    assert client.post(f"/api/v1/positions/{position_id}/submit", headers=employer).json()["status"] == "pending_review"
    assert client.post(f"/api/v1/positions/{position_id}/submit", headers=employer).status_code == 409
    queue = client.get("/api/v1/review/positions", headers=officer).json()
    assert [p["id"] for p in queue["items"]] == [position_id]
    assert client.post(f"/api/v1/positions/{position_id}/approve", headers=employer).status_code == 403
    approved = client.post(f"/api/v1/positions/{position_id}/approve", headers=officer).json()
    assert approved["status"] == "published" and approved["reconfirm_due"]
    public = client.get(f"/api/v1/positions/{position_id}").json()
    assert public["is_open"] is True and "review_note" not in public
    assert client.post(f"/api/v1/positions/{position_id}/reconfirm", headers=employer).status_code == 200
    listed = client.get("/api/v1/employer/positions?status=published", headers=employer).json()
    assert listed["total"] == 1
    closed = client.post(f"/api/v1/positions/{position_id}/close", json={"filled": True}, headers=employer).json()
    assert closed["status"] == "closed" and closed["close_reason"] == "filled"
    assert client.get(f"/api/v1/positions/{position_id}").status_code == 404


def test_api_rejects_past_deadline_and_nul_characters(session, client):
    _organization, recruiter = make_employer(session)
    employer = api_token(client, recruiter.email)
    past = client.post("/api/v1/positions", headers=employer,
                       json=position_data(deadline=(today() - timedelta(days=3)).isoformat()))
    assert past.status_code == 422
    nul = client.post("/api/v1/positions", headers=employer, json=position_data(title="A\x00B"))
    assert nul.status_code == 422
    assert client.get("/api/v1/positions/99999999999").status_code == 422
    assert session.exec(select(Position)).all() == []
