"""/healthz: the process answers. /readyz: it can serve requests (database reachable); search may be degraded."""
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(tags=["probes"], include_in_schema=False)
NO_CACHE = {"Cache-Control": "no-store"}


@router.get("/healthz")
async def liveness():
    return JSONResponse({"status": "ok"}, headers=NO_CACHE)


def database_state(request: Request) -> str:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means not ready; the probe says which
        return f"unavailable: {type(error).__name__}"
    return "ok"


@router.get("/readyz")
def readiness(request: Request):
    """200 while the database answers (search down only degrades it: the portal falls back); 503 otherwise."""
    database = database_state(request)
    search = request.app.state.search.health()
    ready = database == "ok"
    status = ("ready" if search.ok else "degraded") if ready else "unavailable"
    body = {"status": status, "database": database,
            "search": {"backend": search.backend, "ok": search.ok, "detail": search.detail}}
    return JSONResponse(body, status_code=200 if ready else 503, headers=NO_CACHE)
