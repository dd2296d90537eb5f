"""Where chipexport keeps its data, from the environment (docs/interfaces.md "Configuration").

This is adapter-side configuration: the core never reads it.
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """``CHIPEXPORT_HOME``, else ``$XDG_DATA_HOME/chipexport``, else ``~/.local/share/...``."""
    explicit = os.environ.get("CHIPEXPORT_HOME")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "chipexport"


def database_url() -> str:
    """``CHIPEXPORT_DATABASE_URL``, else an SQLite file in :func:`home`.

    A plain ``postgresql://`` URL is given the psycopg (v3) driver: the driver we ship.
    """
    url = os.environ.get("CHIPEXPORT_DATABASE_URL")
    if not url:
        return f"sqlite:///{home() / 'chipexport.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
