"""The presentation view of one meeting: one agenda item at a time, for a projector.

Large and high contrast: bold text on the plain background, headings in reverse video, states spelt out
in words (never colour alone), nothing in thin grey. People are shown by role, CPR never; a narrative
stays hidden until revealed for this item, and each reveal is audited by the store.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.meeting_decision import DecisionScreen
from trivsel_tui.dialogs.minutes_correction import MinutesCorrection, MinutesCorrectionScreen
from trivsel_tui.dialogs.minutes_versions import MinutesVersionsScreen
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.rules import Rules
from trivsel_tui.locations import documents_dir
from trivsel_tui.meeting_minutes import minutes_for, minutes_markdown, minutes_name, minutes_title, write_minutes
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.meeting_view import (
    MeetingDetail,
    MinutesVersion,
    Slide,
    correct_minutes,
    meeting_detail,
    minutes_versions,
    reveal_narrative,
)
from trivsel_tui.store.meetings import (
    DecisionInput,
    add_free_item,
    close_meeting,
    move_meeting_item,
    record_decision,
    remove_meeting_item,
)
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown

HEADING = "bold reverse"
LABEL = "bold"


def _section(text: Text, title: str) -> None:
    text.append("\n")
    text.append(f" {title} ", style=HEADING)
    text.append("\n")


def _due_words(due: datetime | None, overdue: bool) -> str:
    if due is None:
        return t("meeting_view.no_due")
    day = danish_day(local(due).date())
    return t("meeting_view.overdue", day=day) if overdue else t("meeting_view.due", day=day)


def slide_text(slide: Slide, narrative: tuple[str, ...] | None) -> Text:
    """Everything one agenda item shows, as literal text with styles that survive monochrome."""
    text = Text()
    if slide.kind == "case" and slide.reasons:
        reasons = ", ".join(t(f"meeting_reasons.{r}") for r in dict.fromkeys(slide.reasons))
        text.append(f"{t('meeting_view.why')}: ", style=LABEL)
        text.append(shown(reasons) + "\n")
    for name, value in slide.facts:
        text.append(f"{shown(name)}: ", style=LABEL)
        text.append(shown(value) + "\n")
    if slide.tasks:
        _section(text, t("meeting_view.tasks"))
        for task in slide.tasks:
            marker = "▲ " if task.overdue else "• "
            text.append(marker + _due_words(task.due, task.overdue), style="bold" if task.overdue else "")
            text.append(f" – {shown(task.title)} ({t('meeting_view.owner')}: {shown(task.owner)})\n")
    if slide.plan:
        _section(text, t("meeting_view.plan"))
        for item in slide.plan:
            due = danish_day(item.due_on) if item.due_on else "–"
            text.append(f"• {shown(item.measure)} – {t('meeting_view.owner')}: {shown(item.responsible or '–')}")
            text.append(f", {t('meeting_view.due_on')}: {due}\n")
    if slide.has_narrative:
        _section(text, t("meeting_view.narrative"))
        if narrative is None:
            text.append(t("meeting_view.narrative_hidden") + "\n")
        else:
            for part in narrative:
                text.append(shown(part) + "\n")
    if slide.decision or slide.actions:
        _section(text, t("meeting_view.decision"))
        text.append(shown(slide.decision) + "\n")
        if slide.follow_up_by:
            text.append(f"{t('meeting_minutes.follow_up_by')}: ", style=LABEL)
            text.append(shown(slide.follow_up_by) + "\n")
        if not slide.resolved:
            text.append(t("meeting_minutes.carried") + "\n", style=LABEL)
        for action in slide.actions:
            due = danish_day(action.due_on) if action.due_on else "–"
            owner = action.owner or "–"
            text.append(
                "• " + t(f"meeting_minutes.action_{action.kind}", text=shown(action.text), owner=owner, due=due)
            )
            text.append("\n")
    return text


class MeetingScreen(StoreAccess, Screen[None]):
    # What a meeting does most comes first: an 80-column footer shows only the first few.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,space,pagedown", "step(1)", t("meeting_keys.next"), key_display="→", id="next"),
        Binding("left,pageup", "step(-1)", t("meeting_keys.previous"), key_display="←", id="previous"),
        Binding("d", "decide", t("meeting_keys.decide"), id="decide"),
        Binding("r", "reveal", t("meeting_keys.reveal"), id="reveal"),
        Binding("e", "export", t("meeting_keys.export"), id="export"),
        Binding("l", "close_meeting", t("meeting_keys.close"), id="close_meeting"),
        Binding("f", "free_item", t("meeting_keys.free_item"), id="free_item"),
        Binding("x", "remove", t("meeting_keys.remove"), id="remove"),
        Binding("k", "correct", t("meeting_correction.key"), id="correct"),
        Binding("v", "versions", t("meeting_versions.key"), id="versions"),
        Binding("ctrl+up", "move(-1)", t("meeting_keys.up"), key_display="^↑", id="up"),
        Binding("ctrl+down", "move(1)", t("meeting_keys.down"), key_display="^↓", id="down"),
        Binding("escape", "back", t("keys.back"), id="back"),
    ]

    # Keys that only an open meeting uses, and those only a closed one's minutes use: the footer (and the
    # keys) offer what the meeting's state allows, so a newcomer is not shown keys that only say no.
    OPEN_ONLY = frozenset({"decide", "free_item", "remove", "move", "close_meeting"})
    CLOSED_ONLY = frozenset({"correct"})  # not v: hidden, it would fall through to the app's v (statistics)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.detail is None or action not in self.OPEN_ONLY | self.CLOSED_ONLY:
            return True
        return (action in self.CLOSED_ONLY) == (self.detail.status == "closed")

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.detail: MeetingDetail | None = None
        self.index = 0
        self.revealed: dict[int, tuple[str, ...]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="meeting-position")
        yield Static("", id="meeting-heading")
        with VerticalScroll(id="meeting-body"):
            yield Static("", id="meeting-slide")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("meeting_view.title")
        self.load()

    def load(self, show_section: str | None = None) -> None:
        """The agenda's headings and the current item in full (a long agenda is not read whole per step)."""
        app = self.trivsel
        item_id = self.slide.item_id if self.slide else 0  # 0 is no item: headings only, then the first
        show = partial(self._show, item_id, show_section)
        self.read("meeting", show, meeting_detail, app.rules, self.meeting_id, app.clock(), only=item_id)

    @property
    def slide(self) -> Slide | None:
        if self.detail is None or not self.detail.slides:
            return None
        return self.detail.slides[min(self.index, len(self.detail.slides) - 1)]

    def _show(self, loaded_for: int, show_section: str | None, detail: MeetingDetail | None) -> None:
        if detail is None:
            self.notify(t("meeting_errors.not_found", id=self.meeting_id), severity="error")
            return
        self.detail = detail
        self.index = max(0, min(self.index, len(detail.slides) - 1))
        self.refresh_bindings()  # open or closed: which keys the footer offers
        self.refresh_slide(show_section)
        if self.slide is not None and self.slide.item_id != loaded_for:
            self.load()  # the item now on screen came as a heading only

    def refresh_slide(self, show_section: str | None = None) -> None:
        """Draw the current item; from its top, or scrolled to `show_section` (what the user just did)."""
        detail, slide = self.detail, self.slide
        if detail is None:
            return
        body = t(f"meeting_bodies.{detail.body_kind}")
        closed = f" · {t('meeting_view.closed')}" if detail.status == "closed" else ""
        if detail.minutes_versions > 1:  # corrected: say which version is in force
            closed += f" · {t('meeting_versions.in_force', version=detail.minutes_versions)}"
        count = len(detail.slides)
        position = t("meeting_view.position", number=self.index + 1 if count else 0, total=count)
        where = f"{position} · {body} {shown(detail.body_name)} · {danish_day(detail.held_on)}{closed}"
        self.query_one("#meeting-position", Static).update(Text(where, style="bold"))
        heading = shown(slide.heading) if slide else t("meeting_view.empty")
        self.query_one("#meeting-heading", Static).update(Text(heading, style="bold"))
        text = slide_text(slide, self.revealed.get(slide.item_id)) if slide else Text("")
        self.query_one("#meeting-slide", Static).update(text)
        if show_section:
            self.call_after_refresh(self._scroll_to_section, text, f" {show_section} ")  # the width is known then
        else:
            self.query_one("#meeting-body", VerticalScroll).scroll_home(animate=False)

    def _scroll_to_section(self, text: Text, section: str) -> None:
        """Bring a section the user just changed (the revealed narrative, the saved decision) into view."""
        width = self.query_one("#meeting-slide", Static).content_region.width
        lines = [line.plain.rstrip() for line in text.wrap(self.app.console, max(width, 1))]
        if section.rstrip() in lines:
            self.query_one("#meeting-body", VerticalScroll).scroll_to(y=lines.index(section.rstrip()), animate=False)

    # --- keys ---------------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if self.detail and self.detail.slides:
            self.index = max(0, min(len(self.detail.slides) - 1, self.index + delta))
            self.refresh_slide()
            self.load()

    def action_back(self) -> None:
        self.dismiss()

    def _may_change(self) -> bool:
        """Whether the agenda and decisions may still change; a closed meeting says why not."""
        if self.detail is None:
            return False
        if self.detail.status != "open":
            self.notify(t("meeting_errors.closed"), severity="warning")
            return False
        return True

    def _open_slide(self) -> Slide | None:
        return self.slide if self._may_change() else None

    def action_reveal(self) -> None:
        slide = self.slide
        if slide is None or not slide.has_narrative or slide.item_id in self.revealed:
            return
        item_id = slide.item_id

        def revealed(narrative: tuple[str, ...]) -> None:
            self.revealed[item_id] = narrative
            self.refresh_slide(t("meeting_view.narrative"))

        self.write(revealed, reveal_narrative, self.trivsel.rules, item_id)

    def action_decide(self) -> None:
        slide = self._open_slide()
        if slide is None:
            return
        if slide.kind in ("withheld", "discarded"):
            self.notify(t("meeting_view_more.nothing_to_decide"), severity="warning")
            return
        item_id, seen = slide.item_id, slide.version  # a colleague's decision saved meanwhile is not overwritten

        def save(store: Store, decision: DecisionInput) -> None:
            record_decision(store, item_id, decision, seen=seen)

        def done(decision: DecisionInput | None) -> None:
            if decision is not None:
                self.notify(t("meeting_view_more.decision_saved"))
                self.load(show_section=t("meeting_view.decision"))

        today = local(self.trivsel.clock()).date()
        self.app.push_screen(DecisionScreen(slide, today, save=save), done)

    def action_free_item(self) -> None:
        if not self._may_change():
            return

        def added(title: str | None) -> None:
            if title:
                self.write(lambda _id: self._after_add(), add_free_item, self.meeting_id, title, self.index)

        self.app.push_screen(TextPromptScreen(t("meeting_view.free_title"), t("meeting_view.free_label")), added)

    def _after_add(self) -> None:
        self.index += 1
        self.load()

    def action_remove(self) -> None:
        slide = self._open_slide()
        if slide is None:
            return
        item_id, seen = slide.item_id, slide.version

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda _none: self.load(), remove_meeting_item, item_id, seen=seen)

        self.app.push_screen(ConfirmScreen(t("meeting_view.remove_question", item=slide.heading)), answered)

    def action_move(self, delta: int) -> None:
        slide = self._open_slide()
        if slide is None or self.detail is None:
            return
        self.index = max(0, min(len(self.detail.slides) - 1, self.index + delta))
        self.write(lambda _none: self.load(), move_meeting_item, slide.item_id, delta, seen=slide.version)

    def action_close_meeting(self) -> None:
        if not self._may_change():
            return

        seen = self.detail.version if self.detail else None  # the agenda as shown: a later change refuses

        def answered(yes: bool | None) -> None:
            if yes:
                rules, now = self.trivsel.rules, self.trivsel.clock()
                self.write(lambda _none: self.load(), _close, rules, self.meeting_id, now, seen)

        self.app.push_screen(ConfirmScreen(t("meeting_view.close_question")), answered)

    def action_export(self, version: int | None = None) -> None:
        def written(paths: list[str]) -> None:
            self.notify(t("meeting_view.exported", paths=", ".join(paths)), timeout=12)

        self.write(written, _export, self.trivsel.rules, self.meeting_id, self.trivsel.clock(), version)

    # --- the minutes of a closed meeting: versions and corrections -----------------------------------

    def _closed_meeting(self) -> MeetingDetail | None:
        """The meeting if it is closed (check_action keeps these keys from an open one)."""
        return self.detail if self.detail is not None and self.detail.status == "closed" else None

    def action_versions(self) -> None:
        detail = self._closed_meeting()
        if detail is None:
            self.notify(t("meeting_versions.none"), severity="warning")
            return

        def chosen(version: int | None) -> None:
            if version is not None:
                self.action_export(version)

        def show(versions: list[MinutesVersion]) -> None:
            self.app.push_screen(MinutesVersionsScreen(minutes_title(detail), versions), chosen)

        self.read("minutes", show, minutes_versions, self.meeting_id)

    def action_correct(self) -> None:
        detail = self._closed_meeting()
        if detail is None:
            return
        meeting_id = self.meeting_id

        def show(versions: list[MinutesVersion]) -> None:
            if not versions:
                return
            newest = versions[-1]

            def save(store: Store, correction: MinutesCorrection) -> int:  # from `newest`: a colleague's is kept
                return correct_minutes(store, meeting_id, correction.markdown, correction.reason, seen=newest.version)

            def done(correction: MinutesCorrection | None) -> None:
                if correction is not None:
                    self.notify(t("meeting_correction.saved", version=newest.version + 1), timeout=12)
                    self.load()

            form = MinutesCorrectionScreen(meeting_id, minutes_title(detail), newest.version, newest.markdown, save)
            self.app.push_screen(form, done)

        self.read("minutes", show, minutes_versions, meeting_id)


def _close(store: Store, rules: Rules, meeting_id: int, now: datetime, seen: int | None) -> None:
    detail = meeting_detail(store, rules, meeting_id, now)
    if detail is not None:
        close_meeting(store, meeting_id, minutes_markdown(detail, now), seen=seen)


def _export(store: Store, rules: Rules, meeting_id: int, now: datetime, version: int | None = None) -> list[str]:
    """The minutes (the newest, or an old version) as Markdown and PDF into the export folder, named by
    body and date."""
    found = minutes_for(store, rules, meeting_id, now, version)
    if found is None:
        raise LookupError(meeting_id)
    markdown, detail = found
    folder = documents_dir()
    return [
        str(write_minutes(markdown, minutes_title(detail), folder / minutes_name(detail, suffix, version)))
        for suffix in ("md", "pdf")
    ]
