"""Traineeships: batches published on their day, bases in scope, placements against capacity, completions."""
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from portal.clock import today
from portal.errors import Conflict, Forbidden, NotFound
from portal.notifications.models import Notification
from portal.traineeships import service
from portal.traineeships.models import TraineeshipBatch
from portal.traineeships.schemas import BaseCreate, BatchCreate, CompletionRecord
from tests.conftest import api_token
from tests.factories import (
    make_employer,
    make_graduate,
    make_officer,
    make_placement,
    make_traineeship_base,
    position_data,
)


def batch_fields(**overrides) -> dict:
    fields = dict(name="2027 年第一批就业见习基地", publish_on=today() + timedelta(days=3), applications_open_on=today(),
                  applications_close_on=today() + timedelta(days=60))
    fields.update(overrides)
    return fields


def test_a_batch_for_a_later_day_is_published_by_the_scheduler_on_that_day(session, settings):
    officer = make_officer(session, city_wide=True)
    organization, recruiter = make_employer(session)
    batch = service.create_batch(session, settings=settings, officer=officer, batch=BatchCreate(**batch_fields()))
    service.add_base(session, settings=settings, officer=officer, batch_id=batch.id, base=BaseCreate(
        organization=organization.uscc, name="滨海软件见习基地", district="滨海新区", address="新港二号路 1 号", capacity=5))
    assert service.publish_due_batches(session, settings=settings) == 0
    assert service.batches(session, published_only=True) == []

    batch.publish_on = today()
    session.add(batch)
    session.commit()
    assert service.publish_due_batches(session, settings=settings) == 1
    assert [b.id for b in service.batches(session, published_only=True)] == [batch.id]
    told = session.exec(select(Notification).where(Notification.user_id == recruiter.id)).all()
    assert [n.params for n in told] == [{"batch": "2027 年第一批就业见习基地"}]
    assert service.publish_due_batches(session, settings=settings) == 0


def test_only_city_wide_officers_create_batches_and_bases_must_be_in_scope(session, settings):
    district_officer = make_officer(session, schools=(), districts=("南开区",))
    with pytest.raises(Forbidden):
        service.create_batch(session, settings=settings, officer=district_officer,
                             batch=BatchCreate(**batch_fields(publish_on=today())))
    batch = service.create_batch(session, settings=settings, officer=make_officer(session, city_wide=True),
                                 batch=BatchCreate(**batch_fields(publish_on=today())))
    assert batch.status == "published"
    organization, _ = make_employer(session, district="滨海新区")
    base = BaseCreate(organization=organization.name, name="基地", district="滨海新区", address="地址", capacity=2)
    with pytest.raises(NotFound):
        service.add_base(session, settings=settings, officer=district_officer, batch_id=batch.id, base=base)
    local = make_officer(session, schools=(), districts=("滨海新区",))
    service.add_base(session, settings=settings, officer=local, batch_id=batch.id, base=base)
    with pytest.raises(Conflict):
        service.add_base(session, settings=settings, officer=local, batch_id=batch.id, base=base)
    pending, _ = make_employer(session, status="pending", district="滨海新区")
    with pytest.raises(NotFound):
        service.add_base(session, settings=settings, officer=local, batch_id=batch.id,
                         base=base.model_copy(update={"organization": pending.name}))


def test_a_schedule_that_closes_before_it_opens_is_refused():
    with pytest.raises(ValueError, match="close after they open"):
        BatchCreate(**batch_fields(applications_close_on=today() - timedelta(days=1)))


def test_bases_count_current_placements_against_capacity(session):
    organization, _ = make_employer(session)
    base = make_traineeship_base(session, organization, capacity=2)
    make_placement(session, organization)
    make_placement(session, organization)
    [view] = service.bases_of(session, base.batch_id)
    assert (view.placed, view.full) == (2, True)


def test_officers_see_placements_in_scope_and_record_how_they_ended(session, settings):
    organization, _ = make_employer(session, district="滨海新区")
    make_traineeship_base(session, organization)
    application, _, _ = make_placement(session, organization)
    make_placement(session, organization)  # another graduate of 南开大学
    school_officer = make_officer(session, schools=("南开大学",))
    district_officer = make_officer(session, schools=(), districts=("滨海新区",))
    stranger = make_officer(session, schools=("天津大学",), districts=("和平区",))
    assert len(service.placements(session, officer=school_officer)) == 2
    assert len(service.placements(session, officer=district_officer)) == 2
    assert service.placements(session, officer=stranger) == []
    with pytest.raises(NotFound):
        service.record_completion(session, settings=settings, officer=stranger, application_id=application.id,
                                  record=CompletionRecord(outcome="completed", ended_on=today()))
    with pytest.raises(Conflict):
        service.record_completion(session, settings=settings, officer=district_officer, application_id=application.id,
                                  record=CompletionRecord(outcome="completed", ended_on=today() + timedelta(days=1)))
    service.record_completion(session, settings=settings, officer=district_officer, application_id=application.id,
                              record=CompletionRecord(outcome="completed", ended_on=today(), note="表现优秀，已留用"))
    assert [p.application.id for p in service.placements(session, officer=school_officer, ended=True)] == [application.id]
    assert len(service.placements(session, officer=school_officer)) == 1
    assert service.placed_counts(session, [organization.id]) == {organization.id: 1}


def test_a_base_of_an_unpublished_batch_is_shown_only_to_its_own_recruiters(session):
    organization, recruiter = make_employer(session)
    batch = TraineeshipBatch(name="下一批", publish_on=today() + timedelta(days=5), applications_open_on=today(),
                             applications_close_on=today() + timedelta(days=30))
    session.add(batch)
    session.commit()
    base = make_traineeship_base(session, organization, batch=batch)
    assert service.base_view(session, base_id=base.id, user=recruiter).base.id == base.id
    with pytest.raises(NotFound):
        service.base_view(session, base_id=base.id, user=make_graduate(session))
    assert [b.id for b in service.bases_of_recruiter(session, user=recruiter)] == [base.id]


def test_officer_pages_and_the_public_list(client, client_for, session):
    organization, _ = make_employer(session)
    base = make_traineeship_base(session, organization, name="滨海软件见习基地")
    application, _, graduate = make_placement(session, organization)
    assert "滨海软件见习基地" in client.get("/traineeships").text
    officer = client_for(make_officer(session, city_wide=True))
    created = officer.post("/officer/traineeships/batches", data={
        "name": "2027 年第二批", "publish_on": today().isoformat(), "applications_open_on": today().isoformat(),
        "applications_close_on": (today() + timedelta(days=30)).isoformat()}, follow_redirects=False)
    assert created.status_code == 303
    added = officer.post(created.headers["location"] + "/bases", headers={"HX-Request": "true"}, data={
        "organization": organization.uscc, "name": "二批基地", "district": organization.district, "address": "地址",
        "capacity": "0"})
    assert added.status_code == 422 and 'id="bases"' in added.text
    placements = officer.get("/officer/traineeships/placements").text
    assert graduate.display_name in placements
    export = officer.get("/officer/traineeships/placements/export.xlsx")
    [header, row] = load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)
    assert (header[0], row[0], row[3]) == ("姓名", graduate.display_name, organization.name)
    recorded = officer.post(f"/officer/traineeships/placements/{application.id}/completion",
                            data={"outcome": "ended_early", "ended_on": today().isoformat()})
    assert recorded.status_code == 200 and graduate.display_name not in recorded.text
    assert officer.get("/api/v1/traineeships/placements?show=ended").json()[0]["outcome"] == "ended_early"
    _, recruiter = make_employer(session)
    employer = client_for(recruiter)
    assert employer.get("/officer/traineeships/placements").status_code == 403
    assert employer.get("/officer/traineeships/placements/export.xlsx").status_code == 403
    assert employer.get("/api/v1/traineeships/placements").status_code == 403
    assert client.get(f"/traineeships/bases/{base.id}/summary").status_code == 200


def test_a_traineeship_post_carries_its_own_fields_and_only_its_organisations_base(client, client_for, session):
    organization, recruiter = make_employer(session)
    base = make_traineeship_base(session, organization, name="滨海软件见习基地")
    other, _ = make_employer(session)
    foreign = make_traineeship_base(session, other)
    headers = api_token(client, recruiter.email)
    post = position_data(kind="traineeship", traineeship_months=6, monthly_allowance=2500, host_subsidy=1800,
                         mentor="王工（高级工程师）", host_base_id=base.id)
    created = client.post("/api/v1/positions", json=post, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["traineeship_months"], body["monthly_allowance"], body["host_subsidy"], body["mentor"],
            body["host_base_id"]) == (6, 2500, 1800, "王工（高级工程师）", base.id)
    refused = client.post("/api/v1/positions", json={**post, "host_base_id": foreign.id}, headers=headers)
    assert refused.status_code == 422 and "见习基地" in refused.text
    full_time = client.post("/api/v1/positions", json={**post, "kind": "full_time"}, headers=headers).json()
    assert full_time["traineeship_months"] is None and full_time["host_base_id"] is None

    employer = client_for(recruiter)
    form = employer.get("/employer/positions/new").text
    assert 'class="field traineeship-only stack"' in form and "/employer/traineeship-bases/options" in form
    options = employer.get("/employer/traineeship-bases/options", params={"selected": base.id}).text
    assert f'<option value="{base.id}" selected>' in options and str(foreign.id) + '"' not in options
    page = employer.get(f"/jobs/{body['id']}").text
    assert "6 个月" in page and "2500 元" in page and "王工（高级工程师）" in page
    assert "滨海软件见习基地" in client.get(f"/traineeships/bases/{base.id}/summary").text
