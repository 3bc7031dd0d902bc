"""Where the guideline data is read from.

The rules, question tree, plans, texts and demo data live in the top-level `data/` folder, next to
`trivsel_tui/`, because that is what a MED committee reviews. The wheel ships a copy of that folder
inside the package (`trivsel_tui/data/`, see pyproject.toml); an editable install and the tests read
the source tree's `data/`. Both are plain files, so this works the same on Windows (no symlinks).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_folder() -> Path:
    """The wheel's copy inside the package if there is one, else the source tree's top-level data/.
    (A plain path, not importlib.resources: the package is always files on disk — Textual reads its CSS
    from one — and importing importlib.resources cost `trivsel classify` a tenth of its time.)"""
    shipped = _PACKAGE / "data"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "data"


def read_data_file(name: str) -> str:
    return (data_folder() / name).read_text(encoding="utf-8")
