"""One case: header, episodes, classification with its rationale, tasks, and the audit timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.domain.clock import danish_long, danish_short, relative_days
from trivsel_tui.store.models import Episode
from trivsel_tui.store.queries import CaseDetail, case_detail
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import due_cell, plain

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp


class CaseViewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", t("keys.back"), id="back"),
        Binding("r", "reload", t("keys.refresh"), id="reload"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    @property
    def trivsel(self) -> TrivselApp:
        return cast("TrivselApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="case-header")
        with VerticalScroll(id="case-body"):
            yield Static(t("case.episodes"), classes="section-title")
            yield Static(id="episodes")
            yield Static(t("case.classification"), classes="section-title")
            yield Static(id="classification")
            yield Static(t("case.tasks"), classes="section-title")
            tasks: DataTable[object] = DataTable(id="tasks", cursor_type="row")
            yield tasks
            yield Static(t("case.timeline"), classes="section-title")
            yield Static(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#tasks", DataTable)
        for key in ("due", "task", "done"):
            table.add_column(t(f"columns.{key}"), key=key)
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        detail = case_detail(self.trivsel.store, self.case_id)
        self.app.call_from_thread(self._show, detail)

    def _show(self, detail: CaseDetail | None) -> None:
        if detail is None:
            self.query_one("#case-header", Static).update(t("case.not_found"))
            return
        case = detail.case
        self.title = t("case.title", ref=case.ref)
        now = self.trivsel.clock()
        open_dues = [task.due_at for task in detail.tasks if task.done_at is None and task.due_at]
        header = Text(
            t(
                "case.header",
                ref=case.ref,
                workplace=detail.workplace.name,
                person=case.affected_person,
                status=t(f"status.{case.status}"),
            ),
            style="bold",
        )
        header.append("\n")
        if open_dues:
            nearest = min(open_dues)
            header.append(t("case.nearest", due=danish_long(nearest), relative=relative_days(nearest, now)))
        else:
            header.append(t("case.no_deadline"))
        self.query_one("#case-header", Static).update(header)
        self.query_one("#episodes", Static).update(self._episodes_text(detail.episodes))
        self.query_one("#classification", Static).update(self._classification_text(detail.episodes))
        table = self.query_one("#tasks", DataTable)
        table.clear()
        soon = self.trivsel.settings.due_soon_days
        for task in detail.tasks:
            done = danish_short(task.done_at) + f" ({task.done_by})" if task.done_at else ""
            due = Text(danish_short(task.due_at), style="dim") if task.done_at and task.due_at else None
            table.add_row(due or due_cell(task.due_at, now, soon), plain(task.title), plain(done), key=str(task.id))
        self.query_one("#timeline", Static).update(self._timeline_text(detail))

    def _episodes_text(self, episodes: list[Episode]) -> Text:
        text = Text()
        rules = self.trivsel.rules
        for episode in episodes:
            text.append(t("case.episode_line", when=danish_long(episode.occurred_at), place=episode.place), "bold")
            behaviours = ", ".join(rules.behaviour_label(b) for b in episode.behaviours if b in rules.behaviours)
            text.append(f"\n{behaviours} · {rules.perpetrators.get(episode.perpetrator, episode.perpetrator)}")
            text.append(f" · {rules.injuries.get(episode.injury, episode.injury)}\n")
            text.append(episode.description + "\n\n")
        return text

    def _classification_text(self, episodes: list[Episode]) -> Text:
        text = Text()
        rules = self.trivsel.rules
        for episode in episodes:
            result = episode.classification
            if not result:
                text.append(t("case.not_classified") + "\n")
                continue
            types = ", ".join(rules.type_label(code) for code in result["types"])
            text.append(t("case.types", types=types) + "\n", "bold")
            kind = result.get("insurance_report")
            text.append(
                (t("case.insurance", kind=rules.insurance_reports[kind]["label"]) if kind else t("case.insurance_none"))
                + "\n"
            )
            police = result["police_report"]
            if police["relevant"]:
                text.append(t("case.police_relevant", due=police["deadline"]) + "\n")
            else:
                text.append(t("case.police_not") + "\n")
            for notice in result.get("notices", []):
                text.append("! " + notice["text"] + "\n", "bold yellow")
            if episode.override_reason:
                text.append(t("case.overridden", reason=episode.override_reason) + "\n", "bold magenta")
            for sentence in result.get("rationale", []):
                text.append("• " + sentence + "\n", "dim")
            text.append("\n")
        return text

    def _timeline_text(self, detail: CaseDetail) -> Text:
        text = Text()
        for entry in detail.audit:
            fields = ", ".join(sorted(entry.changes)) if entry.action == "update" else ""
            text.append(f"{danish_short(entry.at)}  {entry.actor}  ", "dim")
            text.append(f"{t(f'audit.{entry.action}')} {t(f'audit.entity_{entry.entity}')}")
            text.append(f" ({fields})\n" if fields else "\n")
        return text
