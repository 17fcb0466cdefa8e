"""A real OpenID Connect provider on loopback, built from Authlib's server components, for the SSO tests.

Authorization code grant (authlib.oauth2.rfc6749) with the OpenID Connect extension (authlib.oidc.core),
PKCE (authlib.oauth2.rfc7636.CodeChallenge, and a code challenge is REQUIRED at the authorize step),
ID tokens signed RS256 with a fresh RSA key whose public half is served as the JWKS. The key comes from
joserfc, the JOSE library Authlib itself now uses (authlib.jose is deprecated in Authlib 1.7+).
It runs as a small Starlette app under uvicorn in a thread on a free port; the authorize endpoint
auto-consents for `provider.user` (or denies, when `provider.consent` is False).

    with OidcProvider(client_id="portal", client_secret="s") as provider:
        provider.user = {"sub": "u1", "email": "a@b.cn", "email_verified": True, "name": "A"}
        provider.redirect_uris = ["http://127.0.0.1:PORT/auth/oidc/callback"]
        ... provider.issuer ... provider.token_requests ...
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error, OAuth2Payload, OAuth2Request, grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    provider: "OidcProvider"

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.provider.redirect_uris[0] if self.provider.redirect_uris else None

    def get_allowed_scope(self, scope):
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.provider.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class _Payload(OAuth2Payload):
    def __init__(self, pairs: list[tuple[str, str]]):
        self._data = dict(pairs)
        self._datalist: dict[str, list] = {}
        for key, value in pairs:
            self._datalist.setdefault(key, []).append(value)

    @property
    def data(self):
        return self._data

    @property
    def datalist(self):
        return self._datalist


class _Request(OAuth2Request):
    """An OAuth2Request from a Starlette request whose form has already been read."""

    def __init__(self, request: Request, form_pairs: list[tuple[str, str]]):
        super().__init__(method=request.method, uri=str(request.url), headers=request.headers)
        self._args = dict(request.query_params)
        self._form = dict(form_pairs)
        self.payload = _Payload(list(request.query_params.multi_items()) + form_pairs)

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.provider.codes[code] = AuthorizationCode(
            code=code, client_id=request.client.client_id, redirect_uri=data.get("redirect_uri"),
            scope=request.scope, user=dict(request.user), nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code, client):
        item = self.server.provider.codes.get(code)
        if item and item.client_id == client.client_id:
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class _RequiredPkce(CodeChallenge):
    """PKCE as Authlib does it, and additionally: no S256 code challenge, no code."""

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if grant.server.provider.require_pkce and (
            not data.get("code_challenge") or data.get("code_challenge_method") != "S256"
        ):
            raise InvalidRequestError("This provider requires PKCE with S256.")
        return super().validate_code_challenge(grant, redirect_uri)


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: "OidcProvider"):
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return any(c.nonce == nonce for c in self.provider.codes.values())

    def resolve_client_private_key(self, client):
        return self.provider.signing_key or self.provider.key

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.provider.key.kid}

    def get_client_claims(self, client):
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def generate_user_info(self, user, scope):
        info = self.provider.user_info(user, scope)
        info.update(self.provider.id_token_overrides)  # lets a test forge nonce, aud, iss...
        return info


class _Server(AuthorizationServer):
    def __init__(self, provider: "OidcProvider"):
        super().__init__(scopes_supported=["openid", "email", "profile"])
        self.provider = provider
        self.register_token_generator("default", BearerTokenGenerator(lambda *a, **k: secrets.token_urlsafe(32)))

    def query_client(self, client_id):
        return self.provider.client if client_id == self.provider.client.client_id else None

    def save_token(self, token, request):
        self.provider.tokens[token["access_token"]] = (dict(request.user), token.get("scope", ""))

    def create_oauth2_request(self, request):
        return request

    def handle_response(self, status_code, payload, headers):
        headers = dict(headers)
        if isinstance(payload, dict):
            headers.pop("Content-Type", None)
            return JSONResponse(payload, status_code=status_code, headers=headers)
        return Response(payload, status_code=status_code, headers=headers)

    def send_signal(self, name, *args, **kwargs):
        pass


class OidcProvider:
    """The provider; start() it (or use it as a context manager), then read `issuer`."""

    def __init__(self, *, client_id: str = "jinying-portal", client_secret: str = "provider-secret"):
        self.client = Client(client_id, client_secret, self)
        self.redirect_uris: list[str] = []
        self.user: dict[str, Any] = {"sub": "subject-1", "email": "graduate@example.edu.cn", "email_verified": True,
                                     "name": "Test Graduate"}
        self.consent = True
        self.require_pkce = True
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, tuple[dict, str]] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.key = RSAKey.generate_key(2048, auto_kid=True)  # served as the JWKS
        # Tests can make the provider misbehave: sign with another key, or put other claims in the ID token.
        self.signing_key: RSAKey | None = None
        self.id_token_overrides: dict[str, Any] = {}
        self.issuer = ""
        self.server = _Server(self)
        self.server.register_grant(_CodeGrant, [_RequiredPkce(required=True), _OpenIDCode(self)])
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # What the ID token and the userinfo endpoint say about `user` for this scope.
    def user_info(self, user: dict, scope: str) -> UserInfo:
        scopes = set((scope or "").split())
        info = UserInfo(sub=user["sub"])
        if "email" in scopes:
            info.update({k: user[k] for k in ("email", "email_verified") if k in user})
        if "profile" in scopes and "name" in user:
            info["name"] = user["name"]
        return info

    # --- endpoints ---
    async def discovery(self, request: Request):
        return JSONResponse({
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
        })

    async def jwks(self, request: Request):
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def authorize(self, request: Request):
        self.authorize_requests.append(dict(request.query_params))
        oauth_request = _Request(request, [])
        try:
            grant = self.server.get_consent_grant(oauth_request, end_user=self.user)
        except OAuth2Error as error:
            return self.server.handle_error_response(oauth_request, error)
        return self.server.create_authorization_response(
            oauth_request, grant_user=dict(self.user) if self.consent else None, grant=grant
        )

    async def token(self, request: Request):
        form = await request.form()
        pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        self.token_requests.append(dict(pairs))
        return self.server.create_token_response(_Request(request, pairs))

    async def userinfo(self, request: Request):
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        found = self.tokens.get(value) if scheme.lower() == "bearer" else None
        if not found:
            return JSONResponse({"error": "invalid_token"}, status_code=401,
                                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        user, scope = found
        return JSONResponse(dict(self.user_info(user, scope)))

    def asgi_app(self) -> Starlette:
        return Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/jwks", self.jwks),
            Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"]),
            Route("/userinfo", self.userinfo, methods=["GET", "POST"]),
        ])

    # --- lifecycle ---
    def start(self) -> "OidcProvider":
        config = uvicorn.Config(self.asgi_app(), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._uvicorn.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test OIDC provider did not start")
            time.sleep(0.02)
        port = self._uvicorn.servers[0].sockets[0].getsockname()[1]
        self.issuer = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._uvicorn:
            self._uvicorn.should_exit = True
            self._thread.join(timeout=10)

    def __enter__(self) -> "OidcProvider":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    """Runs the provider for trying SSO by hand against `portal serve --demo`:

        python -m tests.oidc_provider --port 9000 --email graduate@demo.jinying.cn
        PORTAL_OIDC_ISSUER=http://127.0.0.1:9000 PORTAL_OIDC_CLIENT_ID=jinying-portal \\
        PORTAL_OIDC_CLIENT_SECRET=provider-secret portal serve --demo
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--email", default="graduate@demo.jinying.cn")
    parser.add_argument("--sub", default="demo-subject-1")
    parser.add_argument("--unverified", action="store_true", help="say email_verified=false")
    parser.add_argument("--redirect-uri", default="http://127.0.0.1:8000/auth/oidc/callback")
    args = parser.parse_args()
    provider = OidcProvider()
    provider.user = {"sub": args.sub, "email": args.email, "email_verified": not args.unverified, "name": args.email}
    provider.redirect_uris = [args.redirect_uri]
    provider.issuer = f"http://127.0.0.1:{args.port}"
    print(f"issuer {provider.issuer}, client {provider.client.client_id} / {provider.client.client_secret}, "
          f"signs in {args.email} (sub {args.sub}) for {args.redirect_uri}")
    uvicorn.run(provider.asgi_app(), host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    main()
