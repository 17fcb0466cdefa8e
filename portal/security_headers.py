"""Security headers on every response: a Content-Security-Policy without inline script, no framing, no sniffing,
a same-origin referrer, and HSTS when the portal is reached over TLS."""
from portal.settings import Settings

# Scripts only from the portal's own files (static/js, static/vendor): no inline script, no eval. Inline style
# attributes stay allowed (templates size bars with them, and htmx adds its indicator style). Presentations may
# play an employer's HLS stream from its streaming service (https), through hls.js's worker and media blobs.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: https:",
    "connect-src 'self' https:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(scheme: str, settings: Settings) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
    }
    # uvicorn's proxy_headers turns a trusted proxy's X-Forwarded-Proto into the scheme.
    if scheme == "https" or settings.secure_cookies:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """Plain ASGI, so it adds the headers to every response, static files and error pages included."""

    def __init__(self, app, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = [(k.lower().encode(), v.encode()) for k, v in security_headers(scope["scheme"], self.settings).items()]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
