"""The demo's objects of every domain, reached for by outsiders: every page and API route with an object id (discovered
from the app's routes, so a new domain is covered or this test says which parameter it does not know) is tried
with the demo's ids by a graduate, an employer, an officer, a training provider and a career counsellor who have
nothing to do with them, and anonymously. Each is refused (a 4xx, or a redirect to sign in), bar the pages that are
public by design; never a 5xx; and no demo graduate's address appears in any answer.

It shares the UX checks' demo (built once per package); the outsiders are accounts of their own, so the demo's
pages stay as the other checks expect."""
import re
from dataclasses import dataclass

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from sqlmodel import Session, select

from portal import demo
from portal.accounts.models import GraduateProfile, OidcIdentity, Role, User, UserSession
from portal.agreements.models import Agreement
from portal.applications.models import Application
from portal.archives.models import FileService, PersonnelFile, TalentAgency
from portal.competitions.models import Competition, CompetitionEntry
from portal.destinations.models import FollowUpCase, TransferRequest
from portal.employers.models import Organization, Recruiter
from portal.enrolment.models import EnrolmentChange
from portal.fairs.models import Fair, FairExhibitor
from portal.guidance.models import GuidanceAction, GuidanceAppointment, GuidanceSlot
from portal.interviews.models import Interview
from portal.invitations.models import Invitation
from portal.ledger.models import LedgerCase, LedgerDocument, LedgerEnrolmentRequest, LedgerMeasure, LedgerOffer
from portal.notices.models import Notice, NoticeAttachment
from portal.notifications.models import Notification
from portal.positions.models import Position
from portal.presentations.models import Presentation
from portal.resumes.models import Resume
from portal.subsidies.models import SubsidyApplication, SubsidyDocument
from portal.traineeships.models import TraineeshipBase, TraineeshipBatch
from portal.training.models import TrainingEnrolment, TrainingProgramme, TrainingProvider
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_counsellor, make_employer, make_graduate, make_officer, make_provider

PARAM = re.compile(r"{(\w+)(?::\w+)?}")
# The table each object parameter names; where one name means different things, the path's start decides.
OBJECTS = {
    "action_id": GuidanceAction, "agency_id": TalentAgency, "agreement_id": Agreement, "application_id": Application,
    "appointment_id": GuidanceAppointment, "attachment_id": NoticeAttachment, "base_id": TraineeshipBase,
    "batch_id": TraineeshipBatch, "case_id": LedgerCase, "change_id": EnrolmentChange, "competition_id": Competition,
    "document_id": LedgerDocument, "enrolment_id": TrainingEnrolment, "entry_id": CompetitionEntry,
    "exhibitor_id": FairExhibitor, "fair_id": Fair, "file_id": PersonnelFile, "graduate_id": GraduateProfile,
    "identity_id": OidcIdentity, "interview_id": Interview, "invitation_id": Invitation, "measure_id": LedgerMeasure,
    "notice_id": Notice, "notification_id": Notification, "offer_id": LedgerOffer, "organization_id": Organization,
    "position_id": Position, "presentation_id": Presentation, "programme_id": TrainingProgramme,
    "provider_id": TrainingProvider, "recruiter_id": Recruiter, "request_id": TransferRequest, "resume_id": Resume,
    "service_id": FileService, "slot_id": GuidanceSlot, "token_id": UserSession, "user_id": User,
}
BY_PREFIX = (
    (("/me/subsidies", "/officer/subsidies", "/api/v1/me/subsidies", "/api/v1/subsidies", "/subsidies"),
     {"application_id": SubsidyApplication, "document_id": SubsidyDocument}),
    (("/officer/follow-up", "/api/v1/follow-up"), {"case_id": FollowUpCase}),
    (("/officer/ledger/requests",), {"request_id": LedgerEnrolmentRequest}),
)
# Parameters that name no object: filled with a value the route accepts.
VALUES = {"status": "published", "step": "close", "locale": "en", "section": "education", "code": "x" * 22,
          "token": "x" * 43}
# Routes with a secret or a choice in the path rather than an object, which the rules of the object routes do not fit.
NOT_OBJECT_ROUTES = {"/lang/{locale}", "/me/resume/rows/{section}", "/signup/confirm/{token}", "/invitation/{token}",
                     "/verify/{code}", "/api/v1/verify/{code}"}
# Read by anyone by design: published positions, fairs, presentations, notices (and their attachments), programmes,
# competitions (and their published results), traineeship batches and bases, advisers' open slots.
PUBLIC_GETS = {
    "/jobs/{position_id}", "/jobs/{position_id}/similar", "/api/v1/positions/{position_id}",
    "/api/v1/search/positions/{position_id}/similar", "/api/v1/organizations/{organization_id}",
    "/api/v1/organizations/{organization_id}/responsiveness", "/fairs/{fair_id}", "/presentations/{presentation_id}",
    "/api/v1/presentations/{presentation_id}", "/notices/{notice_id}", "/notices/{notice_id}/attachments/{attachment_id}",
    "/api/v1/notices/{notice_id}", "/training/{programme_id}", "/api/v1/training/programmes/{programme_id}",
    "/competitions/{competition_id}", "/api/v1/competitions/{competition_id}",
    "/api/v1/competitions/{competition_id}/results", "/traineeships/bases/{base_id}/summary",
    "/api/v1/traineeships/batches/{batch_id}/bases", "/guidance/slots/{slot_id}",
}
# What any account of a role may do with a public object (take part, and see its own part in it): not tried by that
# role, so the outsiders change nothing of the demo that the other UX checks walk.
SELF_SERVICE = {
    "graduate": {"/training/{programme_id}/enrol", "/training/{programme_id}/plan",
                 "/api/v1/training/programmes/{programme_id}/enrolments", "/fairs/{fair_id}/register",
                 "/fairs/{fair_id}/ticket", "/fairs/{fair_id}/ticket.svg", "/fairs/{fair_id}/chat/{organization_id}",
                 "/presentations/{presentation_id}/register", "/presentations/{presentation_id}/live",
                 "/api/v1/presentations/{presentation_id}/registration",
                 "/api/v1/presentations/{presentation_id}/questions", "/competitions/{competition_id}/entries",
                 "/guidance/slots/{slot_id}/book", "/api/v1/guidance/slots/{slot_id}/book"},
    "employer": {"/fairs/{fair_id}/exhibit", "/employer/fairs/{fair_id}/chats"},
    "officer": {"/officer/traineeships/batches/{batch_id}"},  # the city's batches; bases are added in scope
}
SITE = "http://testserver"
REFUSED = {401, 403, 404, 405, 409, 422, 429}
SKIPPED = {"/logout", "/api/v1/auth/logout"}


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    path: str


def table_of(template: str, name: str):
    for prefixes, tables in BY_PREFIX:
        if template.startswith(prefixes) and name in tables:
            return tables[name]
    return OBJECTS[name]


def demo_id(session: Session, table) -> int:
    key = table.user_id if table in (GraduateProfile, Recruiter) else table.id
    found = session.exec(select(key).order_by(key)).first()
    return found if found is not None else 1


def object_routes(app, session: Session, *, all_routes: bool = False) -> list[Route]:
    """Every route with an object in its path, filled with the demo's ids (with `all_routes`, the others too)."""
    routes = []
    for context in iter_route_contexts(app.router.routes):
        names = PARAM.findall(context.path)
        if not all_routes and (not names or context.path in SKIPPED | NOT_OBJECT_ROUTES):
            continue
        values = {name: VALUES[name] if name in VALUES else demo_id(session, table_of(context.path, name))
                  for name in names}
        path = PARAM.sub(lambda m: str(values[m.group(1)]), context.path)
        routes += [Route(method, context.path, path) for method in sorted(context.methods or {"WEBSOCKET"})
                   if method not in ("HEAD", "OPTIONS")]
    return routes


def socket_close_code(client: TestClient, path: str, origin: str) -> int | None:
    """The code the portal closed the socket with before accepting it; None if it let the client in."""
    try:
        with client.websocket_connect(path, headers={"Origin": origin}):
            return None
    except WebSocketDisconnect as refused:
        return refused.code


def test_every_route_parameter_is_known(demo_portal):
    """A new domain's object routes are covered once its parameters are named here, not silently skipped."""
    unknown = {name for context in iter_route_contexts(demo_portal.app.router.routes)
               for name in PARAM.findall(context.path) if name not in OBJECTS and name not in VALUES}
    assert not unknown, f"name the table of {sorted(unknown)} in OBJECTS (or its value in VALUES)"


@pytest.fixture(scope="module")
def outsiders(demo_portal):
    """Signed-in clients of accounts with nothing of the demo's: a graduate of another school, an employer, an officer
    of another school and district, a training provider and a counsellor that officer invited; and nobody."""
    with demo_portal.session() as session:
        officer = make_officer(session, schools=("天津理工大学",), districts=("蓟州区",))
        users = {
            "graduate": make_graduate(session, school="天津理工大学"),
            "employer": make_employer(session, district="蓟州区")[1],
            "officer": officer,
            "provider": make_provider(session, district="蓟州区")[1],
            "counsellor": make_counsellor(session, demo_portal.settings, officer=officer),
        }
        routes = object_routes(demo_portal.app, session)
        changes = [route for route in object_routes(demo_portal.app, session, all_routes=True)
                   if route.method not in ("GET", "WEBSOCKET")]
        known = [user.email for user in session.exec(select(User).where(User.role == Role.graduate,
                                                                         User.email.like("%@demo.jinying.cn")))]
    clients = {role: sign_in(TestClient(demo_portal.app).__enter__(), user.email, PASSWORD)
               for role, user in users.items()}
    clients["anonymous"] = TestClient(demo_portal.app).__enter__()
    yield clients, routes, known, changes
    for client in clients.values():
        client.__exit__(None, None, None)


def test_outsiders_reach_none_of_the_demos_objects(outsiders):
    clients, routes, graduates, _ = outsiders
    failures = []
    for route in routes:
        if route.method == "WEBSOCKET":
            continue
        for role, client in clients.items():
            if route.template in SELF_SERVICE.get(role, ()):
                continue
            body = {"data": {}} if route.method not in ("GET", "DELETE") else {}
            response = client.request(route.method, route.path, follow_redirects=False, **body)
            status = response.status_code
            to_login = status in (302, 303, 307) and "/login" in response.headers.get("location", "")
            public = route.method == "GET" and route.template in PUBLIC_GETS
            if not (status in REFUSED or to_login or (public and status < 400)):
                failures.append(f"{role} {route.method} {route.path}: {status}")
            elif shown := [email for email in graduates if email in response.text]:
                failures.append(f"{role} {route.method} {route.path}: {status} shows {shown[0]}")
    assert len(routes) > 200, len(routes)
    assert not failures, "\n".join(failures)


def test_outsiders_and_foreign_pages_are_kept_out_of_every_room(outsiders, demo_portal):
    """Interview and guidance video rooms, live presentations, fair chats: a stranger's socket is closed unopened
    (4401 not signed in, 4404 not their room), and so is the demo graduate's own when another site's page opens it."""
    clients, routes, _, _ = outsiders
    sockets = [route for route in routes if route.method == "WEBSOCKET"]
    assert len(sockets) >= 4
    member = sign_in(TestClient(demo_portal.app).__enter__(), demo.GRADUATE_EMAIL, demo.DEMO_PASSWORD)
    failures = [f"{role} {route.path}: {code}" for route in sockets for role, client in clients.items()
                if (code := socket_close_code(client, route.path, SITE)) not in (4401, 4404)]
    failures += [f"foreign page {route.path}: {code}" for route in sockets
                 if (code := socket_close_code(member, route.path, "https://evil.example")) != 4401]
    member.__exit__(None, None, None)
    assert not failures, "\n".join(failures)


def test_every_change_ridden_on_the_cookie_needs_the_csrf_token(outsiders):
    """No state-changing route of any domain opted out of the app-wide CSRF check (bar the two that act for nobody)."""
    clients, _, _, changes = outsiders
    exempt = {"/api/v1/auth/token", "/api/v1/verify"}
    forged = [route for route in changes if route.path not in exempt]
    assert len(forged) > 150
    failures = [f"{route.method} {route.path}: {status}" for route in forged
                if (status := clients["graduate"].request(route.method, route.path, headers={"X-CSRF-Token": ""},
                                                          follow_redirects=False).status_code) != 403]
    assert not failures, "\n".join(failures)
