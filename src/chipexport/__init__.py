"""chipexport: export-control compliance for the semiconductor trade.

The package is a pure core (``model``, ``lists``, ``screening``, ``classify``, ``rules``,
``determine``) wrapped by thin adapters (``store``, ``cli``, ``service``); docs/architecture.md
draws the layout.
The core never imports an adapter, an HTTP library or a database driver.
"""

__version__ = "0.1.0"
