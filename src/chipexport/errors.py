"""The root of every *expected* failure: bad input, bad usage, an unreachable database.

Its ``str()`` is one line meant for the user (naming file, row and field where there are any).
Adapters catch this one class to print the message and exit 2 (CLI) or answer 4xx (API),
instead of each adapter knowing every module's error types.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ChipexportError(Exception):
    """An expected failure with a one-line, user-facing message.

    ``status`` is the HTTP status the API answers with when the failure reaches it (each
    subclass sets its own: 422 bad input by default, 503 a store or lists not there, 500 the
    bundled rules data broken); the CLI prints the message and exits 2 whatever the status.
    """

    status: int = 422


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'threshold'?)`` for the known name nearest to a misspelt one, or "".

    One wording for every refusal of an unknown name (list columns, request fields, query
    parameters), so users meet the same hint wherever they mistype.
    """
    near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{near[0]}'?)" if near else ""
