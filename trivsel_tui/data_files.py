"""Where the guideline data is read from.

The rules, question tree, plans, texts and demo data live in the top-level `data/` folder, next to
`trivsel_tui/`, because that is what a MED committee reviews. The wheel ships a copy of that folder
inside the package (`trivsel_tui/data/`, see pyproject.toml); an editable install and the tests read
the source tree's `data/`. Both are plain files, so this works the same on Windows (no symlinks).
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_folder() -> Traversable:
    """The wheel's copy inside the package if there is one, else the source tree's top-level data/."""
    shipped = resources.files("trivsel_tui") / "data"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "data"


def read_data_file(name: str) -> str:
    return (data_folder() / name).read_text(encoding="utf-8")
