"""The shape the UI layer must keep (issue 10, points 3 and 4): screens never import each other and
see frozen views, never ORM rows; dialogs close with frozen values, and the store refuses loose dicts."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import shutil
import subprocess
import sys
import types
import typing
from pathlib import Path

import pytest

import trivsel_tui.dialogs
from tests.conftest import NOW
from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.store.plans import open_or_create_case_plan, save_item, save_plan_header
from trivsel_tui.store.store import Store

ROOT = Path(__file__).parent.parent
PLAIN_RESULTS = (bool, str, int, Path, type(None))  # a yes/no, a text, a new row's id, a file


def dialog_classes() -> list[type[Dialog[object]]]:
    for module in pkgutil.iter_modules(trivsel_tui.dialogs.__path__):
        importlib.import_module(f"trivsel_tui.dialogs.{module.name}")
    found, todo = [], list(Dialog.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def results_of(cls: type) -> list[object]:
    """The types a dialog can close with, read from its Dialog[...] base."""
    for base in getattr(cls, "__orig_bases__", ()):
        if typing.get_origin(base) is Dialog:
            (result,) = typing.get_args(base)
            return list(typing.get_args(result)) if isinstance(result, types.UnionType) else [result]
    return []


def test_import_contracts_hold() -> None:
    """Screens independent of each other, dialogs too, only app.py imports screens, no ORM rows in the UI."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run([command], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:]


def test_every_dialog_closes_with_a_frozen_value() -> None:
    classes = dialog_classes()
    assert len(classes) >= 15
    for cls in classes:
        results = results_of(cls)
        assert results, f"{cls.__name__} does not say what it closes with"
        for result in results:
            frozen = dataclasses.is_dataclass(result) and result.__dataclass_params__.frozen  # type: ignore[union-attr]
            assert frozen or result in PLAIN_RESULTS, f"{cls.__name__} closes with {result}"


@pytest.mark.parametrize("save", [save_item, save_plan_header])
def test_the_store_refuses_a_loose_dict(store: Store, save: typing.Any) -> None:
    """A dict with a misspelt key was saved without it, silently; now only the frozen input is accepted."""
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.store.demo import generate_demo

    generate_demo(store, load_rules(), 2, 1, NOW)
    with store.read() as session:
        case_id = int(session.connection().exec_driver_sql('SELECT min(id) FROM "case"').scalar_one())
    plan_id = open_or_create_case_plan(store, case_id)
    with pytest.raises(TypeError):
        save(store, plan_id, {"measure": "Alarm", "responsibel": "Ole"})
