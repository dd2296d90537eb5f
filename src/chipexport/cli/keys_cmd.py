"""``chipexport keys create|list|revoke``: API keys for the service.

Keys are made on the server's machine (anyone who can run this can reach the database anyway);
the token is printed once and only its hash is stored.
"""

from __future__ import annotations

import getpass
import json

import typer

from chipexport.cli.app import app
from chipexport.cli.errors import UserError
from chipexport.store.vocabulary import ROLES

keys_app = typer.Typer(help="Create, list and revoke API keys for `chipexport serve`.")
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def create(
    name: str = typer.Argument(..., help="Who or what uses the key (recorded in the audit)."),
    role: str = typer.Option("viewer", "--role", help=f"One of: {', '.join(ROLES)}."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a key and print its token (shown only this once)."""
    from chipexport.store import Store
    from chipexport.store.keys import create_key

    if role not in ROLES:
        raise UserError(f"--role: {role!r} is not one of {', '.join(ROLES)}")
    with Store() as store:
        key, token = create_key(store.engine, name, role, actor=f"cli:{getpass.getuser()}")
    if as_json:
        typer.echo(json.dumps({**key.to_json(), "token": token}))
        return
    typer.echo(token)
    note = f"key {key.name!r} ({key.role}) created; the token above is not shown again"
    typer.echo(note, err=True)


@keys_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List keys (name, role, prefix, created, revoked); never their tokens."""
    from chipexport.store import Store
    from chipexport.store.keys import list_keys

    with Store() as store:
        keys = list_keys(store.engine)
    if as_json:
        typer.echo(json.dumps([k.to_json() for k in keys], indent=2))
        return
    for k in keys:
        revoked = f" revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else ""
        typer.echo(f"{k.name}\t{k.role}\t{k.prefix}…\t{k.created_at:%Y-%m-%d %H:%M}{revoked}")


@keys_app.command("revoke")
def revoke(name: str = typer.Argument(..., help="The key's name.")) -> None:
    """Revoke a key at once (kept in the database so the audit trail still names it)."""
    from chipexport.store import Store
    from chipexport.store.keys import revoke_key

    with Store() as store:
        revoke_key(store.engine, name, actor=f"cli:{getpass.getuser()}")
    typer.echo(f"key {name!r} revoked")
