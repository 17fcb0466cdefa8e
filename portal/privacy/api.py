"""The graduate's own data over the API."""
from fastapi import APIRouter

from portal.deps import GraduateUser, SessionDep
from portal.privacy import service
from portal.privacy.schemas import AccessPublic, DataExport

router = APIRouter(prefix="/api/v1", tags=["privacy"])


@router.get("/me/data", response_model=DataExport)
def my_data(user: GraduateUser, session: SessionDep):
    """Everything the portal holds about the signed-in graduate (credentials excepted)."""
    return service.export(session, user=user)


@router.get("/me/data/accesses", response_model=list[AccessPublic])
def my_data_accesses(user: GraduateUser, session: SessionDep):
    """Who else looked at or changed the graduate's records, newest first (from the audit log)."""
    return [AccessPublic(at=a.at.isoformat(), who=a.actor_name, role=a.actor_role, action=a.action, looked=a.looked)
            for a in service.who_accessed(session, user=user)]
