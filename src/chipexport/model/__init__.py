"""The nouns shared across the core. One module per concern; import from here."""

from chipexport.model.lists import ListEntry, ListSnapshot
from chipexport.model.ownership import OwnershipLink
from chipexport.model.screening import Match, ScreeningResult

__all__ = ["ListEntry", "ListSnapshot", "Match", "OwnershipLink", "ScreeningResult"]
