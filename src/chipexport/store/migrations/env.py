"""Alembic environment for the chipexport store.

Migrations run programmatically from :func:`chipexport.store.engine.upgrade`, which passes an
open connection (already holding the migration lock) in ``config.attributes["connection"]``.
Running without one (``alembic -x url=...``) is supported for developers.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from chipexport.store.schema import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # developer use: alembic -x url=sqlite:///... upgrade head
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the database with: alembic -x url=URL ...")
    with create_engine(url).begin() as own:
        context.configure(connection=own, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
