"""Reading JSON that users hand us (request bodies, transaction files, list files).

:func:`json.loads` fails in two ways its callers kept forgetting: a
:class:`json.JSONDecodeError` whose ``msg`` needs its position put back ("Unterminated string
starting at" is a sentence cut short), and a :class:`RecursionError` for deeply nested input
(``'[' * 100000``), which no ``except JSONDecodeError`` catches: a 500 in the API, a traceback
in the CLI. Nesting that parses but is deep still recurses later (validation, the canonical
JSON of the audit record), so callers that keep the document whole may bound its depth.
Everything here raises :class:`JsonInputError` with a one-line message; adapters add the file
or the body as the place.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from chipexport.errors import ChipexportError

# A transaction is five levels deep, a list file about four; a hundred leaves room for the
# ``data`` callers carry through and stays far from Python's recursion limit (1000).
MAX_DEPTH = 100


class JsonInputError(ChipexportError, ValueError):
    """Text that is not usable JSON; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def decode_error(exc: json.JSONDecodeError) -> str:
    """``Expecting value at line 1 column 5``; ``Unterminated string starting at line 1
    column 8`` (the decoder's message for that one already ends in "at")."""
    where = f"line {exc.lineno} column {exc.colno}"
    return f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"


def too_deep(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` levels deep (iterative:
    the check itself must not recurse)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def unstorable(value: Any) -> tuple[str, str] | None:
    """``(path, problem)`` for the first value no store can keep, else None: a string or key
    holding a NUL character (PostgreSQL cannot store one in text or JSONB, and no name, id or
    reason needs one) or a non-finite number (``NaN``, ``Infinity``: Python's decoder accepts
    them, canonical JSON for the audit record does not). Paths read ``[2].name``,
    ``data.note``; the walk is iterative."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return path or "(body)", "contains a NUL character"
        elif isinstance(node, float):
            if not math.isfinite(node):
                return path or "(body)", f"{node} is not a finite number"
        elif isinstance(node, dict):
            for key, child in node.items():
                where = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return where, "contains a NUL character"
                stack.append((child, where))
        elif isinstance(node, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(node))
    return None


def parse_json(text: str, max_depth: int | None = MAX_DEPTH) -> Any:
    """The decoded document, or :class:`JsonInputError`; ``max_depth=None`` skips the depth
    bound (large list files, whose readers check the shape of every value they use)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"malformed JSON: {decode_error(exc)}"
        raise JsonInputError(message, exc.lineno, exc.colno) from None
    except RecursionError:
        raise JsonInputError("JSON nested too deeply to read") from None
    except ValueError:  # an integer of more digits than int() converts (4,300 by default)
        limit = sys.get_int_max_str_digits()
        raise JsonInputError(f"unusable JSON: an integer of more than {limit} digits") from None
    if max_depth is not None and isinstance(value, dict | list) and too_deep(value, max_depth):
        raise JsonInputError(f"JSON nested more than {max_depth} levels deep")
    return value
