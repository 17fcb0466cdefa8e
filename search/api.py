"""JSON API under /api/v1/search: the same services as the pages."""
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from portal.deps import EmployerUser, GraduateUser, OptionalUser, SearchDep, SessionDep, SettingsDep
from search import service
from search.schemas import CandidateList, PositionHit, PositionQuery, RecommendationList, SearchResults

router = APIRouter(prefix="/api/v1/search", tags=["search"])


class SearchStatus(BaseModel):
    backend: str
    ok: bool


@router.get("/positions", response_model=SearchResults)
def search_positions(query: Annotated[PositionQuery, Query()], search: SearchDep, session: SessionDep,
                     settings: SettingsDep, user: OptionalUser):
    """Open positions: full text (Chinese or English, words not characters, English titles and skills find Chinese
    postings, small typos in Latin words forgiven), filters, facet counts, highlights, sorting and paging. Support
    positions only for graduates in the support ledger and officers, unless the officers show them to everyone."""
    return service.search_positions(search, query=query,
                                    show_support=service.sees_support_posts(session, user=user, settings=settings))


@router.get("/positions/{position_id}/similar", response_model=list[PositionHit])
def similar_positions(position_id: Annotated[int, Path(ge=1)], search: SearchDep,
                      limit: Annotated[int, Query(ge=1, le=20)] = 5):
    return service.similar_positions(search, position_id=position_id, limit=limit)


@router.get("/recommendations", response_model=RecommendationList)
def recommendations(user: GraduateUser, session: SessionDep, search: SearchDep,
                    limit: Annotated[int, Query(ge=1, le=50)] = 20):
    """Open positions for the signed-in graduate, best fit first, each with the reasons the engine matched."""
    return service.recommendations(session, search, user=user, limit=limit)


@router.get("/positions/{position_id}/candidates", response_model=CandidateList)
def candidates(position_id: Annotated[int, Path(ge=1)], user: EmployerUser, session: SessionDep,
               search: SearchDep, limit: Annotated[int, Query(ge=1, le=50)] = 20):
    """For a position of the employer's organisation: applicants ranked by fit, and suggested graduates who chose
    to be discoverable. No contact data or sensitive attributes are included."""
    return service.candidates(session, search, user=user, position_id=position_id, limit=limit)[1]


@router.get("/status", response_model=SearchStatus)
def status(search: SearchDep):
    health = search.health()
    return SearchStatus(backend=health.backend, ok=health.ok)
