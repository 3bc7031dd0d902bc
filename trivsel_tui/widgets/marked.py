"""A SelectionList and a Checkbox whose ticks say so with a mark, not with colour alone.

Textual draws every box with the same "X" and tells ticked from unticked by colour only, so with
NO_COLOR=1 (or on a washed-out projector) everything looks ticked. Here an unticked box is empty, and
the row under the cursor is in reverse video, not only in another colour.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import SelectionType

REVERSE = Style(reverse=True)


class MarkedSelectionList(SelectionList[SelectionType]):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if option.value not in self.selected and len(segments) > 1:
            box = segments[1]
            segments[1] = Segment(" " * len(box.text), box.style, box.control)
        if self.has_focus and index == self.highlighted:
            # The cursor row is a background colour in Textual, gone under NO_COLOR: reverse video stays.
            segments = [Segment(s.text, (s.style or Style()) + REVERSE, s.control) for s in segments]
        return Strip(segments, strip.cell_length)


class MarkedCheckbox(Checkbox):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
