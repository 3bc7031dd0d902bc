"""The guideline data is read from the top-level data/ folder, the same files the wheel ships."""

from __future__ import annotations

import tomllib
from pathlib import Path

from trivsel_tui.data_files import data_folder, read_data_file

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["demo.toml", "plans.toml", "retention.toml", "rules.toml", "texts.da.toml", "wizard.toml"]


def test_the_source_tree_reads_the_top_level_data_folder() -> None:
    assert Path(str(data_folder())) == ROOT / "data"
    assert sorted(p.name for p in (ROOT / "data").iterdir()) == SHIPPED
    for name in SHIPPED:
        assert read_data_file(name) == (ROOT / "data" / name).read_text(encoding="utf-8")


def test_no_second_copy_inside_the_package_can_go_stale() -> None:
    assert not (ROOT / "trivsel_tui" / "data").exists()


def test_the_wheel_puts_data_where_data_files_looks() -> None:
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"][
        "wheel"
    ]
    assert wheel["sources"] == {"data": "trivsel_tui/data"}
    assert set(wheel["only-include"]) == {"trivsel_tui", "data"}
