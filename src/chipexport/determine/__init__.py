"""Determination: transaction -> per-jurisdiction outcome with reasons (docs/interfaces.md).

``Engine(screener, ownership).check(obj)`` is the library call; ``memo(result)`` renders the
``--explain`` text.
"""

from chipexport.determine.context import Screener
from chipexport.determine.engine import Engine, check
from chipexport.determine.memo import memo
from chipexport.determine.types import ERROR, Outcome

__all__ = ["ERROR", "Engine", "Outcome", "Screener", "check", "memo"]
