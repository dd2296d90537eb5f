"""Reading the bundled YAML data files the way they are written: YAML 1.2 booleans only.

PyYAML follows YAML 1.1, where an unquoted ``NO`` (Norway), ``ON`` or ``Y`` is a boolean, so a
country list ``[NL, NO, PL]`` would silently hold ``False``. The data files use ISO codes
unquoted; only ``true``/``false`` are booleans here.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (several times faster: the rules and
# catalog files are read at the start of every ``check``); the resolvers stay Python's.
_SAFE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SAFE):  # type: ignore[misc]
    """SafeLoader with the YAML 1.2 core schema's booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load_yaml_text(text: str) -> Any:
    """Parse one bundled YAML document (safe: no Python objects)."""
    return yaml.load(text, Loader=_Loader)
