"""What a screen asks the app to show next. Screens post these; only app.py opens screens.

Screens never import each other: "open this case" is a message, and the App (the one place that
knows every screen) decides how to show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from trivsel_tui.store.views import WorkplaceView


class Landing:
    """A mode's root screen that gets ready when a global key (o n s a h) brings the user to it."""

    def landed(self) -> None:
        """The app calls this after a global key landed here (e.g. the case list focuses its search)."""


class OwnsKeyboard:
    """A screen where letters are typed (a form, the wizard's answers): the app's one-letter jumps
    (o n s a h) stay off there, so typing never leaves the screen. Dialogs own the keyboard too."""


class DashboardShown(Message):
    """The dashboard shows its first rows: what can wait until then (the backup reminder) may start."""


@dataclass
class OpenCase(Message):
    case_id: int
    instead_of_current: bool = False  # e.g. the wizard, once done, gives way to its case


@dataclass
class OpenPlan(Message):
    plan_id: int


@dataclass
class EditWorkplace(Message):
    """Edit a workplace, or add one when `workplace` is None."""

    workplace: WorkplaceView | None = None


@dataclass
class NewHandleplan(Message):
    """Start a prevention handleplan (the user picks workplace and kind), then open it."""

    workplace_id: int | None = None


@dataclass
class RegisterEpisode(Message):
    """Register an episode: a new case, or another episode of `case_id`."""

    case_id: int | None = None


@dataclass
class ClassifyEpisode(Message):
    episode_id: int
    instead_of_current: bool = False  # e.g. the episode form, once saved, gives way to the wizard


@dataclass
class OpenMeeting(Message):
    """Show a meeting in the presentation view."""

    meeting_id: int


@dataclass
class OpenCaseRecords(Message):
    """The case's people, individual talks and outcomes."""

    case_id: int
