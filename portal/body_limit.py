"""A cap on every request body, enforced while it streams, before any form parser buffers it.

It raises HTTPException because FastAPI passes that through its body parsing unchanged.
"""
from starlette.exceptions import HTTPException

from portal.i18n import gettext

# Room for the other fields and the multipart framing around an upload of the largest allowed size.
FORM_OVERHEAD_BYTES = 256 * 1024


class BodySizeLimit:
    def __init__(self, app, *, max_bytes: int, upload_max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_megabytes = upload_max_bytes // (1024 * 1024)

    def refuse(self) -> HTTPException:
        return HTTPException(413, gettext("The upload is too large: at most %(mb)s MB.", mb=self.upload_megabytes))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        received = 0

        async def limited_receive():
            nonlocal received
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self.refuse()
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise self.refuse()
            return message

        await self.app(scope, limited_receive, send)
