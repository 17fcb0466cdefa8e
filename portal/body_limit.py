"""A cap on every request body, enforced while it streams, before any form parser buffers it.

It raises HTTPException because FastAPI passes that through its body parsing unchanged.
"""
from starlette.exceptions import HTTPException

# Room for the other fields and the multipart framing around an upload of the largest allowed size.
FORM_OVERHEAD_BYTES = 256 * 1024


class BodySizeLimit:
    def __init__(self, app, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        received = 0

        async def limited_receive():
            nonlocal received
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise HTTPException(413)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413)
            return message

        await self.app(scope, limited_receive, send)
