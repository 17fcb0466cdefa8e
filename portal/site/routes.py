"""Files browsers ask for at fixed addresses."""
from fastapi import APIRouter
from fastapi.responses import FileResponse

from portal.web import STATIC_DIR

router = APIRouter(tags=["pages: site"], include_in_schema=False)


@router.get("/favicon.ico")
def favicon():
    # Browsers fetch /favicon.ico on every page and for every PDF or xlsx they open; a day in their cache saves those.
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/vnd.microsoft.icon",
                        headers={"Cache-Control": "public, max-age=86400"})
