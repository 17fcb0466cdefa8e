"""The access-control matrix: every object-level route the app has, page and API (discovered from its routes, so new
domains are covered), tried with owner A's ids by every other role and by another owner of the same role (B), and
anonymously. Each is refused: never a 2xx (bar the public pages), never a 5xx, 404 for a same-role owner's GET of
someone else's object, nothing of A's in any answer, and A's objects unchanged afterwards."""
import re
from dataclasses import dataclass

import pytest
from fastapi.routing import iter_route_contexts
from sqlmodel import select

from portal.agreements import ca, service as agreements
from portal.applications.models import Application
from portal.notifications.models import Notification
from portal.resumes.models import Resume
from tests.agreements.conftest import TERMS
from tests.factories import (
    make_application, make_employer, make_graduate, make_ledger_case, make_offer, make_officer, make_position,
    make_resume,
)

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)
PARAM = re.compile(r"{(\w+)(?::\w+)?}")
# Read by anyone by design: a verified employer's public profile and responsiveness, the public page of a position
# and the positions like it (which list only published ones).
PUBLIC_GETS = {"/jobs/{position_id}", "/jobs/{position_id}/similar", "/api/v1/search/positions/{position_id}/similar",
               "/api/v1/organizations/{organization_id}", "/api/v1/organizations/{organization_id}/responsiveness"}
REFUSED = {401, 403, 404, 405, 409, 422, 429}
# Ends the attacker's own session: tried last would still hide the rest of the matrix.
SKIPPED = {"/logout", "/api/v1/auth/logout"}
ROLE_OF_PREFIX = (("/api/v1/me/", "graduate"), ("/me/", "graduate"), ("/employer/", "employer"),
                  ("/api/v1/employer/", "employer"), ("/officer/", "officer"), ("/api/v1/officer/", "officer"))


@dataclass
class Side:
    graduate: object
    employer: object
    officer: object


@pytest.fixture
def world(session, settings):
    """Owner side A with one object of each kind; side B of the same roles, out of A's reach."""
    ca.init_ca(settings)
    a = Side(make_graduate(session, display_name="甲方毕业生", school="南开大学"), None,
             make_officer(session, schools=("南开大学",)))
    organization, a.employer = make_employer(session, district="滨海新区")
    make_resume(session, a.graduate, headline="甲方的私密简历")
    application = make_application(session, a.graduate, make_position(session, organization), settings=settings)
    draft = make_position(session, organization, status="draft", title="甲方草稿岗位")
    offer, _, offer_recruiter, _ = make_offer(session, graduate=make_graduate(session, school="南开大学"),
                                              organization=organization)
    agreement = agreements.draft_agreement(session, settings=settings, employer=a.employer, application_id=offer.id,
                                           terms=TERMS)
    case = make_ledger_case(session, a.graduate, a.officer, family_income_note="甲方家庭收入")
    notification = session.exec(select(Notification).where(Notification.user_id == a.graduate.id)).first()
    b_org, b_employer = make_employer(session, district="和平区")
    b = Side(make_graduate(session, school="天津大学"), b_employer, make_officer(session, schools=("天津大学",)))
    ids = {
        "application_id": application.id, "position_id": draft.id, "agreement_id": agreement.id, "case_id": case.id,
        "notification_id": notification.id, "resume_id": session.exec(
            select(Resume.id).where(Resume.graduate_id == a.graduate.id)).one(),
        "organization_id": organization.id, "graduate_id": a.graduate.id, "user_id": a.graduate.id,
        "offer_id": offer.id,
    }
    return a, b, ids


def object_routes(app, ids):
    """(method, template path, filled path) of every route whose parameters all name one of A's objects."""
    for context in iter_route_contexts(app.router.routes):
        names = PARAM.findall(context.path)
        if not names or context.path in SKIPPED or any(name not in ids for name in names):
            continue
        filled = PARAM.sub(lambda m: str(ids[m.group(1)]), context.path)
        for method in sorted(context.methods or ()):
            if method not in ("HEAD", "OPTIONS"):
                yield method, context.path, filled


def route_role(path: str) -> str | None:
    return next((role for prefix, role in ROLE_OF_PREFIX if path.startswith(prefix)), None)


def test_nobody_reaches_another_owners_objects(app, world, client_for, client, session):
    a, b, ids = world
    attackers = {"graduate": client_for(b.graduate), "employer": client_for(b.employer),
                 "officer": client_for(b.officer), "anonymous": client}
    secrets = ("甲方的私密简历", "甲方家庭收入", "甲方草稿岗位", a.graduate.email)
    failures, tried = [], 0
    for method, template, path in object_routes(app, ids):
        for role, http in attackers.items():
            response = http.request(method, path, follow_redirects=False,
                                    **({"data": {}} if method not in ("GET", "DELETE") else {}))
            tried += 1
            status = response.status_code
            to_login = status in (302, 303, 307) and "/login" in response.headers.get("location", "")
            public = method == "GET" and template in PUBLIC_GETS
            if not (status in REFUSED or to_login or (public and status < 400)):
                failures.append(f"{role} {method} {path}: {status}")
            elif method == "GET" and route_role(template) == role and status != 404:
                failures.append(f"{role} {method} {path}: {status}, not 404, for another owner's object")
            elif any(secret in response.text for secret in secrets):
                failures.append(f"{role} {method} {path}: {status} shows A's data")
    assert tried > 100, tried
    assert not failures, "\n".join(failures)

    session.expire_all()
    assert session.get(Application, ids["application_id"]).status == "received"
    assert session.get(Resume, ids["resume_id"]).headline == "甲方的私密简历"
    assert session.get(Notification, ids["notification_id"]).read_at is None
