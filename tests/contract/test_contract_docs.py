"""docs/contracts.md and ``chipexport schema`` come from the models, and stay current."""

from __future__ import annotations

import ast
import importlib
import json
import re
import sys
from pathlib import Path

import pytest

import chipexport
from chipexport.cli import app, run_guarded
from chipexport.errors import ChipexportError
from chipexport.model import contracts_doc

REPO = Path(__file__).resolve().parents[2]


def test_docs_contracts_is_written_from_the_current_models() -> None:
    written = (REPO / contracts_doc.DOC).read_text(encoding="utf-8")
    assert written == contracts_doc.render(), (
        "docs/contracts.md is stale: run python -m chipexport.model.contracts_doc")


def test_the_generated_doc_names_every_input_field() -> None:
    text = contracts_doc.render()
    for model in contracts_doc.INPUT:
        for name in model.model_fields:
            assert f"| `{name}` |" in text, (model.__name__, name)


def test_the_worked_example_of_the_doc_is_a_valid_determinable_transaction() -> None:
    from chipexport.determine import Engine

    block = re.search(r"## Worked example\n\n```json\n(.*?)```", contracts_doc.render(), re.S)
    assert block is not None
    answer = Engine().check(json.loads(block.group(1)))
    assert answer["outcome"] not in ("ERROR", "NLR") and "errors" not in answer
    assert not any("unknown field" in w for w in answer["warnings"])


@pytest.mark.parametrize(("args", "title", "required"), [
    ((), "TransactionIn", {"id", "date", "export_from", "destination", "items"}),
    (("--output",), "Determination", {"id", "outcome", "jurisdictions", "screening",
                                      "duties", "warnings"}),
])
def test_schema_command_prints_the_published_schema(
    args: tuple[str, ...], title: str, required: set[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["chipexport", "schema", *args])
    assert run_guarded(app) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == contracts_doc.DIALECT
    assert schema["title"] == title and set(schema["required"]) == required


def _exception_classes() -> list[tuple[str, str]]:
    """(module, class) of every exception class defined in the package's source."""
    found = []
    root = Path(chipexport.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and (
                    node.name.endswith(("Error", "Problem", "Unavailable", "Required",
                                        "Loaded")) or node.name == "Forbidden"):
                found.append((module.removesuffix(".__init__"), node.name))
    return found


def test_every_error_class_is_under_the_root_error_with_an_http_status() -> None:
    classes = _exception_classes()
    assert len(classes) >= 10
    for module, name in classes:
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            continue
        assert issubclass(cls, ChipexportError), f"{module}.{name} is outside ChipexportError"
        assert 400 <= cls.status <= 599, f"{module}.{name}"
