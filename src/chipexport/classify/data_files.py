"""Reading the classifier's bundled YAML data (one place, so a packaging fault fails once)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from chipexport.yamldata import load_yaml_text


@cache
def load_yaml(name: str) -> Any:
    """``classify/data/<name>`` parsed; cached because the files never change at run time."""
    text = resources.files("chipexport.classify").joinpath("data", name).read_text("utf-8")
    return load_yaml_text(text)
