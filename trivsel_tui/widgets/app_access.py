"""Typed access from a screen to the running TrivselApp (its store, settings, rules and clock)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp


class UsesTrivselApp:
    """Mixin for screens; list it before the Screen class in the bases."""

    @property
    def trivsel(self) -> TrivselApp:
        return cast("TrivselApp", cast(Any, self).app)
