"""``chipexport serve [--host 127.0.0.1] [--port 8000]``: the REST API under uvicorn.

One worker process: the screening index is large and loaded once, and requests share it. The
default host is loopback; listening wider is a deliberate choice (put TLS in front of it).
"""

from __future__ import annotations

from pathlib import Path

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError
from chipexport.cli.rules_cmd import RULES_DIR_HELP, use_rules_dir


def _check_bindable(host: str, port: int) -> None:
    """Fail with one line (exit 2) when the address is taken or unknown, before starting."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        raise UserError(f"--host {host} --port {port}: cannot listen ({exc.strerror})") from None


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port to listen on."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
    rules_dir: Path | None = typer.Option(None, "--rules-dir", help=RULES_DIR_HELP),  # noqa: B008
) -> None:
    """Start the REST API (OpenAPI at /openapi.json, interactive docs at /docs)."""
    use_rules_dir(rules_dir)
    if not 0 < port < 65536:
        raise UserError(f"--port: {port} is not a TCP port (1-65535)")
    import uvicorn

    from chipexport.service import create_app
    from chipexport.store import Store

    with Store():  # a bad database is a one-line error here, not a traceback in the server
        pass
    _check_bindable(host, port)
    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        log_level=log_level,
        workers=1,
        timeout_graceful_shutdown=10,
    )
