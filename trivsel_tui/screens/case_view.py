"""One case: header, episodes, classification with its rationale, tasks, notes, and the audit timeline.

From here: another episode, re-run the classification, mark tasks done, add tasks and notes,
close/reopen, and the documents (Insubiz summary, police-dispensation notat).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.close_case import CloseCaseScreen, Closing, OpenTask
from trivsel_tui.dialogs.document import DocumentEvent, DocumentScreen
from trivsel_tui.dialogs.notat_form import NotatFormScreen, NotatStart
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.dialogs.task_done import TaskDone, TaskDoneScreen
from trivsel_tui.dialogs.task_form import NewTask, TaskFormScreen
from trivsel_tui.domain.clock import danish_day, danish_long, danish_short, local, relative_days
from trivsel_tui.domain.documents import (
    EpisodeSummary,
    NotatFields,
    dispensation_notat,
    insubiz_summary,
    notat_fields,
)
from trivsel_tui.domain.notat import reason_problems
from trivsel_tui.domain.owners import default_owner, people_of
from trivsel_tui.domain.plans import Progress
from trivsel_tui.domain.timeline import TimelineEntry, describe, item_names, value_codes
from trivsel_tui.locations import documents_dir
from trivsel_tui.messages import ClassifyEpisode, OpenCaseRecords, OpenPlan, RegisterEpisode
from trivsel_tui.seam import StoreAccess
from trivsel_tui.settings import remember_setting
from trivsel_tui.store.cases import (
    add_note,
    add_task,
    complete_task,
    notes_for,
    record_dispensation,
    set_case_status,
)
from trivsel_tui.store.plans import open_or_create_case_plan, plan_progress_for_case
from trivsel_tui.store.queries import CaseDetail, case_detail
from trivsel_tui.store.store import Store
from trivsel_tui.store.task_terms import abandon_task, close_case, set_owner
from trivsel_tui.store.timeline import case_timeline, record_document_event
from trivsel_tui.store.views import EpisodeView, NoteView, TaskView
from trivsel_tui.task_actions import postpone
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain, safe
from trivsel_tui.widgets.task_cells import task_due_cell, task_owner_text

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class CasePage:
    detail: CaseDetail | None
    notes: list[NoteView]
    plan: Progress | None
    timeline: list[TimelineEntry]


def case_page(store: Store, case_id: int) -> CasePage:
    """Everything the case screen shows, read in one go."""
    detail = case_detail(store, case_id)
    if detail is None:
        return CasePage(None, [], None, [])
    return CasePage(
        detail, notes_for(store, case_id), plan_progress_for_case(store, case_id), case_timeline(store, case_id)
    )


class CaseViewScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", t("keys.back"), id="back"),
        Binding("d", "task_done", t("keys2.done"), id="task_done"),
        Binding("u", "postpone", t("dashboard_keys.postpone"), id="postpone"),
        Binding("w", "owner", t("owner.key"), id="owner"),
        Binding("g", "abandon", t("abandon.key"), id="abandon"),
        Binding("t", "add_task", t("keys2.add_task"), id="add_task"),
        Binding("m", "add_note", t("keys2.note"), id="add_note"),
        Binding("e", "another_episode", t("keys2.another_episode"), id="another_episode"),
        Binding("k", "classify", t("keys2.classify"), id="classify"),
        Binding("i", "insubiz", t("keys2.insubiz"), id="insubiz"),
        Binding("p", "dispensation", t("keys2.dispensation"), id="dispensation"),
        Binding("l", "close_or_reopen", t("keys2.close_case"), id="close_case"),
        Binding("f", "follow_up_plan", t("plan_keys.plan"), id="follow_up_plan"),
        Binding("c", "records", t("parties.key_open"), id="records"),
        Binding("r", "reload", t("keys.refresh"), id="reload", show=False),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.notes: list[NoteView] = []
        self.timeline: list[TimelineEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="case-header")
        with VerticalScroll(id="case-body"):
            yield Static(t("case.tasks"), classes="section-title")
            tasks: DataTable[object] = DataTable(id="tasks", cursor_type="row")
            yield tasks
            yield Static(t("case.episodes"), classes="section-title")
            yield Static(id="episodes")
            yield Static(t("case.classification"), classes="section-title")
            yield Static(id="classification")
            yield Static(t("case_actions.notes"), classes="section-title")
            yield Static(id="notes")
            yield Static(t("case.timeline"), classes="section-title")
            yield Static(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#tasks", DataTable)
        for key in ("due", "owner", "task", "done"):  # the owner before the long title, so it is seen
            table.add_column(t(f"columns.{key}"), key=key)
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        self.read("case", self._show, case_page, self.case_id)

    def _changed(self, _result: object = None) -> None:
        self.load()

    def _show(self, page: CasePage) -> None:
        detail, plan = page.detail, page.plan
        self.detail, self.notes, self.timeline = detail, page.notes, page.timeline
        if detail is None:
            self.query_one("#case-header", Static).update(t("case.not_found"))
            return
        case = detail.case
        self.title = t("case.title", ref=case.ref)
        now = self.trivsel.clock()
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
        types = sorted({code for e in detail.episodes if e.classification for code in e.classification.types})
        if types:
            header.append("  ·  " + ", ".join(self.trivsel.rules.type_label(code) for code in types))
        header.append("\n")
        open_dues = [task.due_at for task in detail.tasks if task.done_at is None and task.due_at]
        if open_dues:
            nearest = min(open_dues)
            header.append(t("case.nearest", due=danish_long(nearest), relative=relative_days(nearest, now)))
        else:
            header.append(t("case.no_deadline"))
        if any(e.override_reason for e in detail.episodes):
            header.append("  ·  " + t("case.overridden_short"), "bold magenta")
        header.append("\n")
        if plan is None:
            header.append(t("plan_editor.no_plan"), "dim")
        else:
            next_due = danish_day(plan.next_due)
            header.append(t("plan_editor.progress_line", done=plan.done, total=plan.total, next_due=next_due))
        self.query_one("#case-header", Static).update(safe(header))
        self._show_tasks(detail.tasks)
        self.query_one("#episodes", Static).update(safe(self._episodes_text(detail.episodes)))
        self.query_one("#classification", Static).update(safe(self._classification_text(detail.episodes)))
        self.query_one("#notes", Static).update(safe(self._notes_text()))
        self.query_one("#timeline", Static).update(safe(self._timeline_text(detail)))

    def _show_tasks(self, tasks: tuple[TaskView, ...]) -> None:
        table = self.query_one("#tasks", DataTable)
        cursor = table.cursor_row
        table.clear()
        now = self.trivsel.clock()
        soon = self.trivsel.settings.due_soon_days
        rules = self.trivsel.rules
        for task in tasks:
            if task.done_at:
                due = plain("✓ " + (danish_short(task.due_at) if task.due_at else "–"), style="dim")
                done = plain(f"{danish_short(task.done_at)} ({task.done_by}) {task.note}".strip(), style="dim")
                title = plain(task.title, style="dim")
            else:
                due, done, title = task_due_cell(task, now, soon), Text(""), plain(task.title)
            table.add_row(due, plain(task_owner_text(task, rules)), title, done, key=str(task.id))
        if tasks:
            table.move_cursor(row=min(cursor, len(tasks) - 1))

    def _episodes_text(self, episodes: tuple[EpisodeView, ...]) -> Text:
        text = Text()
        rules = self.trivsel.rules
        for episode in episodes:
            text.append(t("case.episode_line", when=danish_long(episode.occurred_at), place=episode.place), "bold")
            behaviours = ", ".join(rules.behaviour_label(b) for b in episode.behaviours if b in rules.behaviours)
            text.append(f"\n{behaviours or '–'} · {rules.perpetrators.get(episode.perpetrator, episode.perpetrator)}")
            text.append(f" · {rules.injuries.get(episode.injury, episode.injury)}\n")
            text.append(episode.description + "\n\n")
        return text

    def _classification_text(self, episodes: tuple[EpisodeView, ...]) -> Text:
        text = Text()
        rules = self.trivsel.rules
        for episode in episodes:
            result = episode.classification
            if not result:
                text.append(t("case.not_classified") + "\n", "yellow")
                continue
            types = ", ".join(rules.type_label(code) for code in result.types)
            text.append(t("case.types", types=types) + "\n", "bold")
            kind = result.insurance_report
            insurance = t("case.insurance", kind=rules.insurance_reports[kind]["label"]) if kind else None
            text.append((insurance or t("case.insurance_none")) + "\n")
            if result.police_relevant and result.police_deadline:
                text.append(t("case.police_relevant", due=danish_long(result.police_deadline)) + "\n")
            else:
                text.append(t("case.police_not") + "\n")
            for notice in result.notices:
                text.append("! " + notice.text + "\n", "bold yellow")
            if episode.override_reason:
                text.append(t("case.overridden", reason=episode.override_reason) + "\n", "bold magenta")
            if result.rules_version:
                text.append(t("case.rules_version", version=result.rules_version) + "\n", "dim")
            for sentence in result.rationale:
                text.append("• " + sentence + "\n", "dim")
            text.append("\n")
        return text

    def _notes_text(self) -> Text:
        if not self.notes:
            return Text(t("case_actions.no_notes"), style="dim")
        text = Text()
        for note in self.notes:
            text.append(f"{danish_short(note.created_at)}  {note.author}  ", "dim")
            text.append(f"[{t(f'case.note_kind_{note.kind}')}{self._version_label(note)}] ", "bold")
            text.append(note.text + "\n")
        return text

    def _notat_versions(self) -> list[NoteView]:
        return [note for note in self.notes if note.kind == "dispensation"]

    def _version_label(self, note: NoteView) -> str:
        versions = self._notat_versions()
        if note not in versions or len(versions) < 2:
            return ""
        label = ", " + t("notat_form.version_note", version=versions.index(note) + 1)
        replaced = any(other.replaces_id == note.id for other in versions)
        return label + (", " + t("notat_form.replaced") if replaced else "")

    def _timeline_text(self, detail: CaseDetail) -> Text:
        """Newest first: who, when, which item, and each field's old → new value in Danish."""
        text = Text()
        names = item_names(self.timeline)
        codes = value_codes(self.trivsel.rules)
        for entry in reversed(self.timeline):
            text.append(f"{danish_short(entry.at)}  {entry.actor}  ", "dim")
            text.append(describe(entry, names.get((entry.entity, entry.entity_id), ""), codes) + "\n")
        return text

    # --- actions --------------------------------------------------------------------------

    def _current_task(self) -> TaskView | None:
        table = self.query_one("#tasks", DataTable)
        if self.detail is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((task for task in self.detail.tasks if str(task.id) == key), None)

    def action_task_done(self) -> None:
        task = self._current_task()
        if task is None:
            self.notify(t("case_actions.no_task"), severity="warning")
            return
        if task.done_at is not None or task.id is None:
            self.notify(t("case_actions.task_already_done"), severity="warning")
            return
        task_id, seen = task.id, task.version  # a save after someone else's is refused, the note kept

        def save(store: Store, done: TaskDone) -> None:
            complete_task(store, task_id, done.note, done.done_on, seen=seen)

        today = local(self.trivsel.clock()).date()
        self.app.push_screen(TaskDoneScreen(today, task.title, save=save), self._changed)

    def _open_task(self) -> TaskView | None:
        """The task under the cursor if it is still open; otherwise say why nothing happens."""
        task = self._current_task()
        if task is None:
            self.notify(t("case_actions.no_task"), severity="warning")
        elif task.done_at is not None:
            self.notify(t("case_actions.task_already_done"), severity="warning")
        else:
            return task
        return None

    def action_postpone(self) -> None:
        if task := self._open_task():
            postpone(self, task.id, self._changed)

    def action_owner(self) -> None:
        task = self._open_task()
        if task is None or self.detail is None:
            return
        task_id, seen = task.id, task.version
        rules, case, workplace = self.trivsel.rules, self.detail.case, self.detail.workplace
        role = rules.owner_label(task.owner_role) if task.owner_role else "–"
        default = default_owner(task.owner_role, people_of(case, workplace)) or t("owner.nobody")
        prompt = TextPromptScreen(
            t("owner.title"),
            t("owner.role", role=role) + "\n" + t("owner.person_label", default=default),
            required=False,
            text=task.owner,
            save=lambda store, person: set_owner(store, task_id, person, seen=seen),
        )
        self.app.push_screen(prompt, self._owner_changed)

    def _owner_changed(self, person: str | None) -> None:
        if person is not None:
            self.notify(t("owner.changed"))
            self.load()

    def action_abandon(self) -> None:
        if task := self._open_task():
            task_id, seen = task.id, task.version
            prompt = TextPromptScreen(
                t("abandon.title"),
                t("abandon.label"),
                save=lambda store, reason: abandon_task(store, task_id, reason, seen=seen),
            )
            self.app.push_screen(prompt, self._abandoned)

    def _abandoned(self, reason: str | None) -> None:
        if reason:
            self.notify(t("abandon.done"))
            self.load()

    def action_add_task(self) -> None:
        case_id = self.case_id

        def save(store: Store, new: NewTask) -> None:
            add_task(store, case_id, new.title, new.due_at)

        self.app.push_screen(TaskFormScreen(self.trivsel.clock(), save=save), self._changed)

    def action_add_note(self) -> None:
        case_id = self.case_id
        prompt = TextPromptScreen(
            t("case_actions.note_title"),
            t("case_actions.note_label"),
            save=lambda store, text: add_note(store, case_id, text),
        )
        self.app.push_screen(prompt, self._changed)

    def action_close_or_reopen(self) -> None:
        if self.detail is None:
            return
        closing = self.detail.case.status == "open"
        title = t("case_actions.close_title" if closing else "case_actions.reopen_title")

        case_id, status = self.case_id, "closed" if closing else "open"
        seen = self.detail.case.version

        def decided(reason: str | None) -> None:
            if reason:
                self.notify(t("case_actions.closed" if closing else "case_actions.reopened"))
                self.load()

        open_tasks = [
            OpenTask(task.id, task.title, task.due_at, task.legal_deadline)
            for task in self.detail.tasks
            if task.done_at is None
        ]
        if closing and open_tasks:
            self._close_with_open_tasks(open_tasks, seen)
            return
        prompt = TextPromptScreen(
            title,
            t("case_actions.reason_label"),
            save=lambda store, reason: set_case_status(store, case_id, status, reason, seen=seen),
        )
        self.app.push_screen(prompt, decided)

    def _close_with_open_tasks(self, open_tasks: list[OpenTask], seen: int | None) -> None:
        """The open tasks are listed and the closing confirmed; each open legal task needs its own reason."""
        case_id = self.case_id

        def save(store: Store, closing: Closing) -> None:
            close_case(store, case_id, closing.reason, dict(closing.legal_reasons), seen=seen)

        def closed(closing: Closing | None) -> None:
            if closing is not None:
                self.notify(t("case_actions.closed"))
                self.load()

        self.app.push_screen(CloseCaseScreen(open_tasks, save), closed)

    def action_follow_up_plan(self) -> None:
        self.write(lambda plan_id: self.post_message(OpenPlan(plan_id)), open_or_create_case_plan, self.case_id)

    def action_records(self) -> None:
        self.post_message(OpenCaseRecords(self.case_id))

    def action_another_episode(self) -> None:
        self.post_message(RegisterEpisode(self.case_id))

    def action_classify(self) -> None:
        if self.detail is None or not self.detail.episodes:
            self.notify(t("case_actions.no_episode"), severity="warning")
            return
        unclassified = [e for e in self.detail.episodes if not e.classification]
        episode = (unclassified or list(self.detail.episodes))[-1]
        self.post_message(ClassifyEpisode(episode.id))

    def _summary(self) -> EpisodeSummary | None:
        return self.detail.summary() if self.detail else None

    def _document_path(self, kind: str) -> Path:
        ref = self.detail.case.ref if self.detail else "sag"
        return (self.trivsel.settings.export_folder or documents_dir()) / f"{ref}-{kind}.md"

    def _document(self, title: str, markdown: str, kind: str) -> DocumentScreen:
        case_id = self.case_id

        def record(store: Store, event: DocumentEvent) -> None:
            record_document_event(store, case_id, event.action, event.what, event.path)

        return DocumentScreen(title, markdown, self._document_path(kind), record=record, remember=self._remember_folder)

    def _remember_folder(self, folder: Path) -> None:
        """The folder chosen is the next default, in this session and in settings.toml."""
        self.trivsel.settings = replace(self.trivsel.settings, export_folder=folder)
        try:
            remember_setting("export_folder", str(folder))
        except OSError as exc:
            self.notify(t("document.save_failed", error=exc.strerror or exc), severity="warning")

    def action_insubiz(self) -> None:
        summary = self._summary()
        if summary is None:
            self.notify(t("case_actions.no_episode"), severity="warning")
            return
        markdown = insubiz_summary(summary, self.trivsel.rules, self.trivsel.clock())
        self.app.push_screen(self._document(t("keys2.insubiz_title"), markdown, "insubiz"))

    def action_dispensation(self) -> None:
        summary = self._summary()
        versions = self._notat_versions()
        if summary is not None and versions:
            self._notat_form(summary, versions[-1], None)
            return
        police_task = next(
            (
                task
                for task in (self.detail.tasks if self.detail else [])
                if task.action_code == "police_report" and task.done_at is None
            ),
            None,
        )
        if summary is None or police_task is None:
            self.notify(t("case_actions.no_police"), severity="warning")
            return
        if summary.perpetrator not in self.trivsel.rules.routes["dispensation_perpetrators"]:
            # The guideline's dispensation concerns "elev, patient, borger mv." only (issue 11).
            self.notify(t("case_actions.no_dispensation"), severity="warning")
            return
        self._notat_form(summary, None, police_task.id)

    def _notat_form(self, summary: EpisodeSummary, current: NoteView | None, task_id: int | None) -> None:
        """Write the notat, or correct `current` as a new version (every version is kept)."""
        assert self.detail is not None
        signer = self.trivsel.settings.signature or self.detail.workplace.leader_name
        if current is not None:
            start = replace(notat_fields(current.text), signed_by=signer)
        else:
            start = NotatFields("", leader=self.detail.workplace.leader_name, signed_by=signer)
        case_id, clock = self.case_id, self.trivsel.clock
        version = len(self._notat_versions()) + 1
        saved: list[str] = []  # the notat as stored, to show it once the form has closed

        def save(store: Store, fields: NotatFields) -> None:
            notat = dispensation_notat(
                summary, fields.reason, fields.signed_by, clock(), fields.leader, fields.employee_involved, version
            )
            record_dispensation(store, case_id, task_id, notat, current.id if current else None)
            saved.append(notat)

        def written(fields: NotatFields | None) -> None:
            if fields is None or not saved:
                return
            self.notify(t("notat_form.corrected", version=version) if current else t("case_actions.notat_saved"))
            self.load()
            self.app.push_screen(self._document(t("case_actions.notat_title"), saved[-1], "notat"))

        form = NotatFormScreen(
            NotatStart(start, correcting=current is not None),
            lambda text: reason_problems(text, self.trivsel.rules),
            save=save,
        )
        self.app.push_screen(form, written)
