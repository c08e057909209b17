"""Put a PostgreSQL URL (pgserver's Unix socket or host:port) behind a cuttable loopback proxy."""

from pathlib import Path

from sqlalchemy import make_url

from store.db import normalize_url
from tests.chaos.tcp_proxy import TcpProxy


def proxied(url: str) -> tuple[TcpProxy, str]:
    """(the proxy, the same database's URL through it)."""
    parsed = make_url(normalize_url(url))
    socket_dir = parsed.query.get("host")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        sockets = sorted(p for p in Path(socket_dir).glob(".s.PGSQL.*") if not p.name.endswith(".lock"))
        if not sockets:
            raise RuntimeError(f"no PostgreSQL socket in {socket_dir}")
        proxy = TcpProxy(str(sockets[0]))
    else:
        proxy = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    query = {k: v for k, v in parsed.query.items() if k != "host"}
    through = parsed.set(host=proxy.host, port=proxy.port, query={**query, "connect_timeout": "3"})
    return proxy, through.render_as_string(hide_password=False)
