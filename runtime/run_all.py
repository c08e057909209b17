"""`make run`: the whole of Lingodesk on one machine, on embedded defaults.

Starts the Temporal dev server (SQLite file under ./data, search attributes registered),
migrates the SQLite store and loads demo data, starts the workers and the console, submits
demo tickets, prints the URLs, and stops everything on Ctrl-C.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from runtime.settings import PROJECT_ROOT, get_settings

TEMPORAL_PORT = int(os.environ.get("LINGODESK_TEMPORAL_PORT", "7233"))
TEMPORAL_UI_PORT = int(os.environ.get("LINGODESK_TEMPORAL_UI_PORT", "8233"))
CONSOLE_PORT = int(os.environ.get("LINGODESK_CONSOLE_PORT", "8501"))
WEB_PORT = int(os.environ.get("LINGODESK_WEB_PORT", "8080"))
CODEC_PORT = int(os.environ.get("LINGODESK_CODEC_PORT", "8081"))


def _local_secret(path: Path) -> Path:
    """A random per-install secret for signed status links (the embedded demo only)."""
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path


def _local_codec_token(data: Path) -> Path:
    """A codec-endpoint token for the local user (data/codec_token) and its hash line (data/codec_tokens)."""
    tokens = data / "codec_tokens"
    if not tokens.exists():
        from security.codec_tokens import new_token

        token, line = new_token("local")
        for path, text in ((data / "codec_token", token), (tokens, line)):
            path.write_text(text + "\n", encoding="utf-8")
            path.chmod(0o600)
    return tokens


def _spawn(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    out = open(log, "ab")  # noqa: SIM115 - the child owns it until it exits
    return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, env=env)


def main() -> int:
    from runtime.devserver import start_dev_server
    from store.db import make_engine, make_session_factory
    from store.migrate import upgrade
    from store.seed import seed_demo

    settings = get_settings()
    data = settings.data_dir
    data.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": f"localhost:{TEMPORAL_PORT}",
        "DATABASE_URL": settings.database_url,
        "TEMPORAL_UI_URL": f"http://localhost:{TEMPORAL_UI_PORT}",
    }
    if "LINGODESK_STATUS_SECRET" not in env and "LINGODESK_STATUS_SECRET_FILE" not in env:
        env["LINGODESK_STATUS_SECRET_FILE"] = str(_local_secret(data / "status_secret"))
    if "LINGODESK_PAYLOAD_KEYS" not in env and "LINGODESK_PAYLOAD_KEYS_FILE" not in env:
        # Workflow histories are encrypted from the first ticket on (docs/security.md); never printed.
        from security.keys import write_local_key_file

        env["LINGODESK_PAYLOAD_KEYS_FILE"] = str(write_local_key_file(data / "payload_keys"))
    env.setdefault("LINGODESK_CODEC_TOKENS_FILE", str(_local_codec_token(data)))
    env.setdefault("LINGODESK_CODEC_CORS_ORIGINS", f"http://localhost:{TEMPORAL_UI_PORT}")
    shared_models = PROJECT_ROOT.parent / "shared" / "models"
    if "LINGODESK_MODELS_DIR" not in env and shared_models.is_dir():
        env["LINGODESK_MODELS_DIR"] = str(shared_models)

    procs: list[subprocess.Popen[bytes]] = []
    print(f"starting Temporal dev server on :{TEMPORAL_PORT} (history in {data / 'temporal.db'})")
    procs.append(
        start_dev_server(TEMPORAL_PORT, TEMPORAL_UI_PORT, data / "temporal.db", data / "temporal.log")
    )
    try:
        upgrade(settings.database_url)
        counts = seed_demo(make_session_factory(make_engine(settings.database_url)))
        print("store ready:", ", ".join(f"{k} {v}" for k, v in counts.items()))
        procs.append(_spawn([sys.executable, "worker.py"], data / "worker.log", env))
        console = PROJECT_ROOT / "console" / "app.py"
        if console.exists():
            procs.append(
                _spawn(
                    [
                        sys.executable,
                        "-m",
                        "streamlit",
                        "run",
                        str(console),
                        "--server.headless",
                        "true",
                        "--server.port",
                        str(CONSOLE_PORT),
                    ],
                    data / "console.log",
                    env,
                )
            )
        web_cmd = PROJECT_ROOT / "cli" / "commands" / "web.py"
        if web_cmd.exists():
            procs.append(
                _spawn(
                    [sys.executable, "-m", "cli.main", "web", "--port", str(WEB_PORT)], data / "web.log", env
                )
            )
        procs.append(
            _spawn(
                [sys.executable, "-m", "cli.main", "codec-server", "--port", str(CODEC_PORT)],
                data / "codec.log",
                env,
            )
        )
        os.environ.update(env)
        get_settings.cache_clear()
        asyncio.run(_submit_demo())
        print(
            f"""
Lingodesk is running.
  Console          http://localhost:{CONSOLE_PORT}
  Temporal Web UI  http://localhost:{TEMPORAL_UI_PORT}
  Customer web     http://localhost:{WEB_PORT}   (if the web channel is installed)
  Temporal         localhost:{TEMPORAL_PORT}
  Codec endpoint   http://localhost:{CODEC_PORT}   (decodes histories; token in {data}/codec_token)
  Store            {settings.database_url}
  Logs             {data}/*.log
Press Ctrl-C to stop.""",
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while all(p.poll() is None for p in procs):
            time.sleep(1)
        dead = [p.args for p in procs if p.poll() is not None]
        print(f"a process exited: {dead}; see the logs in {data}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _submit_demo() -> None:
    from runtime.client import connect
    from runtime.demo_tickets import start_demo_tickets

    started = await start_demo_tickets(await connect())
    print(f"demo tickets started: {', '.join(started) or 'none (already there)'}")


if __name__ == "__main__":
    raise SystemExit(main())
