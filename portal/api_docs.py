"""The browsable API reference at /api/docs: Swagger UI served from static/vendor, started by a static script."""
from fastapi import APIRouter, Request

from portal.web import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(request: Request):
    return render(request, "api_docs.html", {"openapi_url": request.app.openapi_url})
