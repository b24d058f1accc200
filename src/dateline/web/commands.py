"""`dateline serve`: the local dashboard over a store."""

from __future__ import annotations

import ipaddress
import socketserver
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import click

from dateline.web.app import LOOPBACK_HOSTS, create_app
from dateline.web.connection import NotAStore, check_store


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    # Browsers open idle speculative connections; one thread each keeps a page from
    # waiting on them. Store access itself is serialised in dateline.web.connection.
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:
        sys.stderr.write(f"{self.log_date_time_string()} {format % args}\n")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="The store to browse (a DuckDB file made by `dateline code --db`).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback exposes your store to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(db_path: str, host: str, port: int) -> None:
    """Open a local web dashboard over the store (pages, charts, map, evidence, reviews)."""
    try:
        check_store(db_path)
    except NotAStore as err:
        raise click.UsageError(str(err)) from err
    allowed = LOOPBACK_HOSTS if is_loopback(host) else None
    if allowed is None:
        click.echo(f"warning: serving on {host}, reachable from other machines", err=True)
    app = create_app(db_path, allowed_hosts=allowed)
    server = make_server(host, port, app, server_class=_ThreadingServer,
                         handler_class=_QuietHandler)
    # The overview, map and busiest dyads are computed before anyone asks for them, and
    # again once the store has changed and settled.
    threading.Thread(target=app.keep_warm, daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"dateline dashboard on http://{shown}:{server.server_port}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
