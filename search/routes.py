"""Pages: job search (/jobs), recommendations (/recommendations), an employer's candidates per position, and the
similar-positions fragment a position page pulls in with hx-get."""
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from portal.deps import EmployerUser, GraduateUser, IdPath, OptionalUser, SearchDep, SessionDep, SettingsDep
from portal.forms import FormData, FormPage, parse, submit
from portal.invitations import service as invitations
from portal.invitations.schemas import InvitationCreate
from portal.reference import MAJORS, TIANJIN_DISTRICTS
from portal.web import is_htmx, redirect, render
from search import service
from search.schemas import PositionQuery

router = APIRouter(tags=["pages: search"], include_in_schema=False)

LIST_FIELDS = ("district", "kind")
KINDS = ("full_time", "part_time", "traineeship")
DEGREES = ("associate", "bachelor", "master", "doctorate")
SALARY_OPTIONS = (3000, 5000, 8000, 10000, 15000, 20000)
SORTS = ("relevance", "date", "salary", "deadline")


def query_from(request: Request) -> tuple[PositionQuery, dict[str, str]]:
    """The search form's query string as a PositionQuery; blank fields are ignored, bad ones reported."""
    data: dict = {}
    for key in request.query_params.keys():
        values = [v for v in request.query_params.getlist(key) if v.strip()]
        if not values:
            continue
        data[key] = values if key in LIST_FIELDS else values[-1]
    query, errors = parse(PositionQuery, data)
    if query is None:
        query, _ = parse(PositionQuery, {k: v for k, v in data.items() if k not in errors})
    return query or PositionQuery(), errors


def url_for_query(query: PositionQuery, **changes) -> str:
    data = query.model_dump(exclude_defaults=True)
    data.update(changes)
    if "page" not in changes:
        data.pop("page", None)
    pairs = []
    for key, value in data.items():
        if value in (None, "", [], False):
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item).lower() if isinstance(item, bool) else str(item)))
    return "/jobs" + ("?" + urlencode(pairs) if pairs else "")


@router.get("/jobs")
def jobs(request: Request, session: SessionDep, search: SearchDep, settings: SettingsDep, user: OptionalUser):
    query, errors = query_from(request)
    results = service.search_positions(
        search, query=query, show_support=service.sees_support_posts(session, user=user, settings=settings))
    context = {
        "query": query, "results": results, "errors": errors, "url_for_query": url_for_query,
        "districts": TIANJIN_DISTRICTS, "kinds": KINDS, "degrees": DEGREES, "majors": MAJORS,
        "salary_options": SALARY_OPTIONS, "sorts": SORTS,
        "facets": {f: {b.value: b.count for b in buckets} for f, buckets in results.facets.items()},
    }
    return render(request, "search/jobs.html", context, block="results")


@router.get("/skills/suggest")
def suggest_skills(request: Request, user: OptionalUser, skills: str = ""):
    """Completions of a comma-separated skills field as the user types: canonical skills for its last entry."""
    return render(request, "search/_skill_options.html", {"values": service.skill_completions(skills)})


@router.get("/jobs/{position_id}/similar")
def similar(request: Request, search: SearchDep, position_id: IdPath):
    hits = service.similar_positions(search, position_id=position_id)
    return render(request, "search/_similar.html", {"hits": hits})


@router.get("/recommendations")
def recommendations(request: Request, session: SessionDep, search: SearchDep, user: GraduateUser):
    result = service.recommendations(session, search, user=user, limit=20)
    return render(request, "search/recommendations.html", {"result": result, "user": user})


@router.get("/employer/positions/{position_id}/candidates")
def candidates(request: Request, session: SessionDep, search: SearchDep, user: EmployerUser,
               position_id: IdPath):
    position, result = service.candidates(session, search, user=user, position_id=position_id)
    graduate_ids = [c.graduate_id for c in result.applicants + result.suggested]
    return render(request, "search/candidates.html", {
        "position": position, "result": result, "user": user,
        "invitations": invitations.for_position(session, position_id=position.id),
        "names": invitations.names_for_employer(session, position_id=position.id, graduate_ids=graduate_ids),
    })


@router.post("/employer/positions/{position_id}/candidates/{graduate_id}/invite")
def invite(request: Request, session: SessionDep, search: SearchDep, settings: SettingsDep, user: EmployerUser,
           position_id: IdPath,
           graduate_id: IdPath, data: FormData):
    """Invites a graduate the matcher suggests, with its reasons; answers the invite control of that card."""
    def send(form: InvitationCreate):
        match = service.candidate(session, search, user=user, position_id=position_id, graduate_id=graduate_id)
        return invitations.invite(session, settings=settings, employer=user, position_id=position_id,
                                  graduate_id=graduate_id, fit=match.fit, reasons=match.reasons.model_dump(),
                                  message=form.message)

    control = {"position": {"id": position_id}, "candidate": {"graduate_id": graduate_id}}

    def sent(invitation):
        if not is_htmx(request):
            return redirect(request, f"/employer/positions/{position_id}/candidates")
        return render(request, "invitations/_invite.html", {**control, "invitation": invitation, "errors": {}})

    return submit(request, session, InvitationCreate, data, send, done=sent,
                  again=FormPage("invitations/_invite.html", context=lambda errors: {**control, "invitation": None}))
