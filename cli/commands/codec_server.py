"""`lingodesk codec-server`: the codec endpoint for the Temporal Web UI and `temporal` CLI.

LINGODESK_PAYLOAD_KEYS_FILE=... LINGODESK_CODEC_TOKENS_FILE=... lingodesk codec-server --port 8081
lingodesk codec-server --new-token alice     # print a token for alice and the tokens-file line
lingodesk codec-server --new-key 2026-11     # print a new payload key line for the key file
temporal workflow show -w ticket-T1 --codec-endpoint http://localhost:8081 --codec-auth "Bearer <token>"
"""

import argparse
import sys

from runtime.settings import Settings, get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("codec-server", help="serve /decode and /encode for the Temporal Web UI and CLI")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--secure-cookie", action="store_true", help="mark the sign-in cookie Secure (HTTPS)")
    p.add_argument("--no-audit", action="store_true", help="do not write codec use to the audit log")
    p.add_argument("--new-token", metavar="ENGINEER", help="print a new token and its tokens-file line")
    p.add_argument("--new-key", metavar="KEY_ID", help="print a new payload key line `KEY_ID:base64`")
    p.set_defaults(func=run)


def build_app(settings: Settings, secure_cookie: bool = False, audit: bool = True):  # type: ignore[no-untyped-def]
    from security.codec import EncryptionCodec
    from security.codec_server import create_codec_app, sql_audit
    from security.codec_tokens import CodecTokens
    from security.keys import KeyringError, keyring_from_settings

    try:
        keyring = keyring_from_settings(settings)
    except KeyringError as exc:
        raise SystemExit(f"payload keys: {exc}") from exc
    if keyring is None:
        raise SystemExit("set LINGODESK_PAYLOAD_KEYS or LINGODESK_PAYLOAD_KEYS_FILE (see docs/security.md)")
    if settings.codec_tokens_file is None:
        raise SystemExit("set LINGODESK_CODEC_TOKENS_FILE (lingodesk codec-server --new-token NAME)")
    try:
        tokens = CodecTokens.from_file(settings.codec_tokens_file)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"LINGODESK_CODEC_TOKENS_FILE: {exc}") from exc
    hook = None
    if audit:
        from store.migrate import migrated_sessions

        hook = sql_audit(migrated_sessions(settings.database_url))
    origins = [o.strip() for o in settings.codec_cors_origins.split(",") if o.strip()]
    return create_codec_app(
        EncryptionCodec(keyring), tokens, origins, audit=hook, secure_cookie=secure_cookie
    )


def run(args: argparse.Namespace) -> int:
    if args.new_key:
        from security.keys import KeyringError, new_key, parse_keys

        line = f"{args.new_key}:{new_key()}"
        try:
            parse_keys(line)
        except KeyringError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(line)  # append to the key file (docs/security.md, "Rotating keys")
        return 0
    if args.new_token:
        from security.codec_tokens import new_token

        try:
            token, line = new_token(args.new_token)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"token (give it to {args.new_token}, shown once): {token}")
        print(f"append to LINGODESK_CODEC_TOKENS_FILE:      {line}")
        return 0
    import uvicorn

    app = build_app(get_settings(), secure_cookie=args.secure_cookie, audit=not args.no_audit)
    # No access log: request lines are harmless, but keep the codec quiet like the web channel.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
    print("codec server stopped", file=sys.stderr)
    return 0
