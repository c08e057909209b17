"""The codec endpoint: lets the Temporal Web UI and `temporal` CLI show decrypted payloads.

    POST /decode, POST /encode   {"payloads": [{"metadata": {k: base64}, "data": base64}]}
    GET  /login, POST /login     sign in with a token; sets an HttpOnly cookie for the Web UI
    GET  /healthz

Callers authenticate with `Authorization: Bearer <token>` (the CLI's `--codec-auth`) or the
cookie set by /login (the Web UI with "Include cross-origin credentials"). Every decode and
encode is audited by engineer and namespace; payload contents are never logged.
"""

import logging
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from temporalio.api.common.v1 import Payloads

from security.codec import EncryptionCodec, PayloadDecryptionError
from security.codec_tokens import CodecTokens

log = logging.getLogger("lingodesk.codec")

COOKIE = "lingodesk_codec"
MAX_BODY_BYTES = 16 * 1024 * 1024
_LOGIN_PAGE = """<!doctype html><meta charset="utf-8"><title>Lingodesk codec sign-in</title>
<form method="post" action="login"><label>Codec token <input type="password" name="token" autofocus></label>
<button>Sign in</button></form><p>{note}</p>"""

AuditHook = Callable[[str, str, str, int], None]  # (engineer, action, namespace, payload count)


def sql_audit(sessions: sessionmaker[Session]) -> AuditHook:
    from store import audit

    def hook(engineer: str, action: str, namespace: str, count: int) -> None:
        audit.record(sessions, engineer, "engineer", f"codec.{action}",
                     detail={"namespace": namespace, "payloads": count})

    return hook


def create_codec_app(
    codec: EncryptionCodec,
    tokens: CodecTokens,
    cors_origins: list[str],
    audit: AuditHook | None = None,
    secure_cookie: bool = False,
) -> Starlette:
    def engineer_of(request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else request.cookies.get(COOKIE, "")
        return tokens.engineer(token) if token else None

    async def transform(request: Request, action: str) -> Response:
        engineer = engineer_of(request)
        if engineer is None:
            return JSONResponse({"error": "codec token required"}, status_code=401)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "request too large"}, status_code=413)
        try:
            payloads = json_format.Parse(body or b"{}", Payloads(), ignore_unknown_fields=True)
        except json_format.ParseError:
            return JSONResponse({"error": 'expected {"payloads": [...]} with base64 fields'}, status_code=400)
        namespace = request.headers.get("x-namespace", "")
        try:
            if action == "decode":
                result = await codec.decode(payloads.payloads)
            else:
                result = await codec.encode(payloads.payloads)
        except PayloadDecryptionError as exc:
            log.warning("codec %s by %s failed: %s", action, engineer, exc)
            return JSONResponse({"error": str(exc)}, status_code=422)
        if audit is not None:
            audit(engineer, action, namespace, len(result))
        out: dict[str, Any] = json_format.MessageToDict(Payloads(payloads=result))
        return JSONResponse({"payloads": out.get("payloads", [])})

    async def decode(request: Request) -> Response:
        return await transform(request, "decode")

    async def encode(request: Request) -> Response:
        return await transform(request, "encode")

    async def login_form(request: Request) -> Response:
        return HTMLResponse(_LOGIN_PAGE.format(note=""))

    async def login(request: Request) -> Response:
        form = await request.form()
        token = str(form.get("token", ""))
        engineer = tokens.engineer(token) if token else None
        if engineer is None:
            return HTMLResponse(_LOGIN_PAGE.format(note="Unknown token."), status_code=401)
        if audit is not None:
            audit(engineer, "login", "", 0)
        response = RedirectResponse("healthz", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=secure_cookie,
                            max_age=12 * 3600)
        return response

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/decode", decode, methods=["POST"]),
            Route("/encode", encode, methods=["POST"]),
            Route("/login", login_form, methods=["GET"]),
            Route("/login", login, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=cors_origins,
                allow_methods=["POST", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "X-Namespace"],
                allow_credentials=True,
            )
        ],
    )
