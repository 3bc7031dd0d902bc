"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual import widgets


class Footer(widgets.Footer):
    """Textual rebuilds the footer (a widget per key) whenever the bindings *may* have changed: at start-up
    that is three times (the first focus, the screen's resume, the app's focus) with the same keys. Each
    rebuild made and styled the dashboard's sixteen keys anew; this one skips a rebuild that would show
    exactly what is shown."""

    _shown: tuple[Any, ...] | None = None

    def _what_it_shows(self) -> tuple[Any, ...]:
        bindings = tuple(
            (binding.key, binding.description, binding.action, binding.group, binding.show, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )
        return (self._bindings_ready, self.show_command_palette, self.combine_groups, bindings)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._what_it_shows()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
