"""Item classification: product catalog + parameters -> dated, cited control entries.

``classify_item(item, on)`` is the one entry point; every threshold and date it applies lives in
``classify/data/*.yaml`` with its citation, in-force window and confidence.
"""

from chipexport.classify.catalog import CatalogRecord, catalog
from chipexport.classify.engine import classify_item
from chipexport.classify.result import ControlEntry, ItemClassification, Regime

__all__ = ["CatalogRecord", "ControlEntry", "ItemClassification", "Regime", "catalog",
           "classify_item"]
