"""Home: the follow-up dashboard. Everything with a deadline that is not done, overdue first.

Rows come a page at a time from one SQL query (store.dashboard); the next page loads as the
cursor nears the end. Filters, search and sort run in SQL. Due texts count down every minute,
and the table reloads when anything changes (the audit log grows) — also from another app copy.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from trivsel_tui.domain.clock import danish_short
from trivsel_tui.domain.due import FILTER_KINDS, countdown, due_state, kind_label
from trivsel_tui.domain.intake import police_clock
from trivsel_tui.messages import ClassifyEpisode, DashboardShown, EditWorkplace, NewHandleplan, OpenCase, OpenPlan
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.dashboard import (
    SORTS,
    VERSIONED,
    DueFilters,
    DueQuery,
    DueRow,
    DueSummary,
    due_rows,
    due_summary,
    has_workplaces,
    last_change,
    postpone_item,
    responsibles,
    row_version,
)
from trivsel_tui.store.drafts import has_draft
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import alarm_style, due_cell, due_style, literal, plain
from trivsel_tui.widgets.footer import Footer
from trivsel_tui.widgets.task_cells import COUNTDOWN_KINDS, owner_text, with_countdown, with_reminder

if TYPE_CHECKING:
    from textual.timer import Timer

    from trivsel_tui.dialogs.postpone_form import Postponement
    from trivsel_tui.domain.rules import Rules
    from trivsel_tui.store.store import Store
    from trivsel_tui.store.views import WorkplaceView

# Only what the first rows need is imported up front (plain SQL, no ORM, no dialogs): the dashboard is
# the first screen and must show its rows fast. Dialogs and ORM commands load when first used.

PAGE = 100
MARGIN = 15  # load the next page when the cursor is this close to the end
COUNTDOWN_SECONDS = 60  # the due texts count down in minutes
TYPING_PAUSE_SECONDS = 0.4  # the summary's count waits for a pause in typing (HomeScreen._count_when_idle)
CHANGE_POLL_SECONDS = 2  # how soon a change made elsewhere (another app copy, `trivsel`) shows

# Column widths in cells. On a terminal wide enough for every column the due column takes the width its
# text needs, so a countdown is never cut off. Narrower, the due column gets DUE_ROOM
# ('▲ 400 dage over · 22-10-2025 00:00') and what and where share what is left beside the columns that
# must stay on screen: on a mid-size terminal (120x40) who is responsible, on a small one (80x24) none.
# Status and category come last: the due text already carries the state's marker.
COLUMNS = ("due", "what", "where", "responsible", "state", "category")
COLUMN_WIDTHS = {"what": 44, "where": 34, "responsible": 24, "category": 24}
# The longest status with the legal mark ('◆ Under 24 t § lovfrist'): a cut one would lose the §.
STATE_ROOM = max(len(t(f"dashboard.state_{s}")) for s in ("overdue", "due_soon", "urgent", "later")) + len(
    " " + t("legal_deadline.legal_state")
)
RESPONSIBLE_FROM = 110  # below this, what and where need the room
DUE_ROOM = 36
NARROW_MINIMUM = {"what": 20, "where": 12}
CELL_PADDING = 2  # the table pads each cell by one on either side
SCROLLBAR = 2
EVERY_COLUMN = SCROLLBAR + len(COLUMNS) * CELL_PADDING + DUE_ROOM + STATE_ROOM + sum(COLUMN_WIDTHS.values())


def column_widths(terminal_width: int) -> dict[str, int | None]:
    """Each column's width; None lets the column take the width of its widest text."""
    widths: dict[str, int | None] = {"due": None, "state": STATE_ROOM, **COLUMN_WIDTHS}
    if terminal_width >= EVERY_COLUMN:
        return widths
    beside = ("responsible",) if terminal_width >= RESPONSIBLE_FROM else ()
    spare = (
        terminal_width
        - SCROLLBAR
        - (3 + len(beside)) * CELL_PADDING
        - DUE_ROOM
        - sum(COLUMN_WIDTHS[key] for key in beside)
    )
    wanted = COLUMN_WIDTHS["what"] + COLUMN_WIDTHS["where"]
    what = max(NARROW_MINIMUM["what"], spare * COLUMN_WIDTHS["what"] // wanted)
    return widths | {"due": DUE_ROOM, "what": what, "where": max(NARROW_MINIMUM["where"], spare - what)}


@dataclass(frozen=True)
class FirstPage:
    rows: list[DueRow]
    first_run: bool  # no workplaces yet: show the welcome instead of an empty table
    change: int  # the audit log's high-water mark the rows were read at
    draft_waiting: bool  # an episode the user began and did not save


def first_page(store: Store, query: DueQuery, filters: DueFilters, sort: str, descending: bool) -> FirstPage:
    """One page of rows for a fresh load, with what the screen needs to know around it."""
    with store.shared_reads():
        change = last_change(store)
        rows = due_rows(store, query, filters, sort, descending, limit=PAGE)
        return FirstPage(rows, not has_workplaces(store), change, has_draft(store, "episode:"))


def ask_ahead(store: Store, rules: Rules) -> Future[FirstPage]:
    """The dashboard's first page, asked for before Textual composes anything (TrivselApp.on_load): the
    query runs while the screen is built, and the first frame can show its rows instead of painting twice."""
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="first-page")
    page = ahead.submit(first_page, store, DueQuery.from_rules(rules), DueFilters(), "due", False)
    ahead.shutdown(wait=False)  # its one thread ends with the query
    return page


@dataclass(frozen=True)
class FilterChoices:
    workplaces: list[tuple[int, str]]
    people: list[str]


def filter_choices(store: Store, query: DueQuery) -> FilterChoices:
    from trivsel_tui.store.queries import list_workplaces

    workplaces = [(w.id, w.name) for w in list_workplaces(store) if w.id is not None]
    return FilterChoices(workplaces, responsibles(store, query))


def number(value: int) -> str:
    """Danish thousands separator: 43.693."""
    return f"{value:,}".replace(",", ".")


def due_text(row: DueRow, now: datetime, soon_days: int, police_due: datetime | None = None) -> Text:
    """The shared due cell; hour-precise deadlines count down hours and minutes, a personal reminder and
    an unclassified episode's police clock stand beside the deadline (never instead of it)."""
    cell = due_cell(row.due, now, soon_days)
    if row.kind in COUNTDOWN_KINDS:
        with_countdown(cell, row.due, now, soon_days)
    with_reminder(cell, row.remind_at)
    if police_due is not None:
        cell.append(" · ")
        cell.append_text(police_clock_text(police_due, now))
    return cell


def police_clock_text(due: datetime, now: datetime) -> Text:
    if due < now:
        return Text(t("intake.police_clock_over", due=danish_short(due)), style=alarm_style())
    hours, minutes = countdown(due, now)  # the countdown only: the due column stays narrow
    return Text(t("intake.police_clock", countdown=t("relative_days.in_hours", hours=hours, minutes=minutes)))


def state_text(row: DueRow, state: str) -> Text:
    """The status word (with its marker, readable without colour) and § for a legal deadline."""
    text = Text(t(f"dashboard.state_{state}"), style=due_style(state))
    if row.legal:
        text.append((" " if text.plain else "") + t("legal_deadline.legal_state"), style="bold")
    return text


class HomeScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_row", t("keys.open"), id="open_row"),
        Binding("d", "done", t("dashboard_keys.done"), id="done"),
        Binding("u", "postpone", t("dashboard_keys.postpone"), id="postpone"),
        Binding("f", "filters", t("dashboard_keys.filter"), id="filters"),
        Binding("x", "clear_filters", t("dashboard_keys.clear"), id="clear_filters", show=False),
        Binding("slash", "search", t("dashboard_keys.search"), key_display="/", id="search"),
        Binding("escape", "leave_search", t("dashboard_keys.leave_search"), show=False),
        Binding("ctrl+o", "next_sort", t("dashboard_keys.sort"), id="sort"),
        Binding("ctrl+r", "reverse_sort", t("dashboard_keys.reverse"), id="reverse", show=False),
        Binding("r", "reload", t("keys.refresh"), id="reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = DueFilters()
        self.sort = "due"
        self.descending = False
        self.rows: list[DueRow] = []
        self.total: int | None = 0  # every row the filters match; None while that count waits for typing to pause
        self.widths: dict[str, int | None] = {}
        self.all_loaded = False
        self.seen_change = -1
        self.workplace_names: dict[int, str] = {}  # for the active-filter line; filled when filters are chosen
        self.shown_once = False
        self.typing = False  # a search keystroke asked for the rows shown next
        self.count_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Static(id="active-filters", classes="dim")
        yield Static(t("drafts.waiting"), id="draft-waiting", classes="draft-waiting")
        # Hidden and disabled until "/": a hidden field must never take focus and swallow keys.
        yield Input(placeholder=t("dashboard.search_placeholder"), id="search", disabled=True)
        yield Static(t("home.empty"), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id="due", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="showing", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("dashboard.title")
        self.due_query = DueQuery.from_rules(self.trivsel.rules)
        table = self.query_one("#due", DataTable)
        self._add_columns(column_widths(self.app.size.width))
        self.query_one("#search", Input).display = False
        self.query_one("#empty-state").display = False
        self.query_one("#draft-waiting").display = False
        table.focus()
        self.show_first_page()
        # The resume event Textual sends once the first frame is up would ask for the same page again (it
        # did, side by side).
        self.resumed_once = False
        self.set_interval(COUNTDOWN_SECONDS, self.tick)
        self.set_interval(CHANGE_POLL_SECONDS, self.watch_changes)

    def _add_columns(self, widths: dict[str, int | None]) -> None:
        self.widths = widths
        table = self.query_one("#due", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"dashboard_columns.{key}"), key=key, width=widths.get(key))

    def on_resize(self) -> None:
        widths = column_widths(self.app.size.width)
        if widths != self.widths:
            self.query_one("#due", DataTable).clear(columns=True)
            self._add_columns(widths)
            self.load_rows()

    def on_screen_resume(self) -> None:
        if self.resumed_once:  # coming back from another screen: show what changed meanwhile
            self.load()
        self.resumed_once = True

    # --- loading --------------------------------------------------------------------------

    def show_first_page(self) -> None:
        """The page the app asked for ahead (ask_ahead): shown at once when it is there, so the first
        frame has rows; otherwise awaited off the UI thread like any read (a failure is reported there)."""
        ahead, self.trivsel.page_ahead = self.trivsel.page_ahead, None
        if ahead is None:
            self.load()
        elif ahead.done() and ahead.exception() is None:
            self._show(ahead.result())
        else:
            self.read("rows", self._show, lambda _store: ahead.result())

    def load(self) -> None:
        """Rows first (one page, fast); the summary's full count is asked for once they are shown,
        so that it never competes with the rows a keystroke is waiting for."""
        self.load_rows()

    def load_rows(self) -> None:
        self.read("rows", self._show, first_page, self.due_query, self.filters, self.sort, self.descending)

    def load_summary(self) -> None:
        soon = self.trivsel.settings.due_soon_days
        self.read("summary", self._show_summary, due_summary, self.due_query, self.trivsel.clock(), self.filters, soon)

    def load_more(self) -> None:
        offset = len(self.rows)
        rows = partial(self._append, offset=offset)
        self.read("more", rows, due_rows, self.due_query, self.filters, self.sort, self.descending, PAGE, offset)

    def _show(self, page: FirstPage) -> None:
        rows, first_run = page.rows, page.first_run
        self.seen_change = page.change
        self.query_one("#draft-waiting").display = page.draft_waiting
        table = self.query_one("#due", DataTable)
        selected = self.rows[table.cursor_row].key if self.rows and table.row_count else None
        self.rows, self.all_loaded = [], False
        with self.app.batch_update():
            table.clear()
            self._append(rows, 0)
            self._show_filters()
            self.query_one("#empty-state").display = first_run
            table.display = not first_run
            keys = [row.key for row in self.rows]
            if selected in keys:
                table.move_cursor(row=keys.index(selected))
        search = self.query_one("#search", Input)
        if not first_run and not (search.display and search.has_focus):
            table.focus()
        # After the rows are painted: the summary counts every open row, and its thread (and the
        # reminder's ORM import) would take the interpreter lock from the frame the user waits for.
        self.call_after_refresh(self._count_when_idle)
        if not self.shown_once:
            self.shown_once = True
            self.call_after_refresh(self.post_message, DashboardShown())

    def _count_when_idle(self) -> None:
        """The summary's count, now, or while a search is being typed, once the typing pauses: it reads
        every matching row (half a second on PostgreSQL at 100k cases), and a count per keystroke took
        the machine from the next keystroke's rows."""
        self._stop_count_timer()
        if self.typing:
            self.typing = False
            self.count_timer = self.set_timer(TYPING_PAUSE_SECONDS, self.load_summary)
        else:
            self.load_summary()

    def _stop_count_timer(self) -> None:
        if self.count_timer is not None:
            self.count_timer.stop()
            self.count_timer = None

    def _show_summary(self, summary: DueSummary) -> None:
        self.total = summary.total
        self.query_one("#summary", Static).update(
            t(
                "dashboard.summary",
                overdue=number(summary.overdue),
                week=number(summary.due_this_week),
                days=self.trivsel.settings.due_soon_days,
                total=number(summary.total),
                open_cases=number(summary.open_cases),
                gaps=number(summary.workplaces_with_gaps),
            )
        )
        self._show_counts()

    def _append(self, rows: list[DueRow], offset: int) -> None:
        if offset != len(self.rows):
            return  # a reload happened meanwhile
        table = self.query_one("#due", DataTable)
        now, soon = self.trivsel.clock(), self.trivsel.settings.due_soon_days
        rules = self.trivsel.rules
        for row in rows:
            state = due_state(row.due, now, soon)
            ref = f"{row.ref} ({t('legal_deadline.closed_case')})" if row.case_closed else row.ref
            where = f"{ref} · {row.workplace}" if ref else row.workplace
            categories = ", ".join(rules.categories[c]["label"] for c in row.categories if c in rules.categories)
            cells = {
                "due": due_text(row, now, soon, self._police_due(row)),
                "what": plain(row.title),
                "where": plain(where),
                "responsible": plain(owner_text(row.responsible, row.owner_role, rules)),
                "state": state_text(row, state),
                "category": plain(categories or "–"),
            }
            table.add_row(*(cells[key] for key in COLUMNS), key=row.key)
        self.rows.extend(rows)
        self.all_loaded = len(rows) < PAGE
        self._show_counts()

    def _show_counts(self) -> None:
        showing = self.query_one("#showing", Static)
        if not self.rows:
            showing.update(t("dashboard.nothing_matches") if self.filters.active() else t("dashboard.nothing_due"))
            return
        column = (
            t(f"dashboard_columns.{'what' if self.sort == 'title' else self.sort}")
            if self.sort != "kind"
            else t("filter_form.kind")
        )
        showing.update(
            t(
                "dashboard.showing",
                shown=number(len(self.rows)),
                total="…" if self.total is None else number(self.total),
                column=column,
                direction="↓" if self.descending else "↑",
            )
        )

    def _show_filters(self) -> None:
        parts = []
        f = self.filters
        if f.workplace_id is not None:
            parts.append(f"{t('filter_form.workplace')}: {self.workplace_names.get(f.workplace_id, '?')}")
        if f.category:
            parts.append(f"{t('filter_form.category')}: {self.trivsel.rules.categories[f.category]['label']}")
        if f.responsible:
            parts.append(f"{t('filter_form.responsible')}: {f.responsible}")
        if f.kinds:
            parts.append(f"{t('filter_form.kind')}: {', '.join(kind_label(k, self.trivsel.rules) for k in f.kinds)}")
        if f.search.strip():
            parts.append(f"/{f.search.strip()}")
        self.query_one("#active-filters", Static).update(
            literal(t("dashboard.filters", filters=" · ".join(parts)) if parts else t("dashboard.filters_none"))
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.all_loaded and event.cursor_row >= len(self.rows) - MARGIN:
            self.load_more()

    def tick(self) -> None:
        """Count down: refresh the due and status cells of the loaded rows (minute resolution)."""
        table = self.query_one("#due", DataTable)
        now, soon = self.trivsel.clock(), self.trivsel.settings.due_soon_days
        with self.app.batch_update():
            for row in self.rows:
                state = due_state(row.due, now, soon)
                table.update_cell(row.key, "due", due_text(row, now, soon, self._police_due(row)), update_width=True)
                table.update_cell(row.key, "state", state_text(row, state))

    def _police_due(self, row: DueRow) -> datetime | None:
        """An unclassified episode's police clock (its behaviour is not known yet, so it could be violence)."""
        return police_clock(row.episode_at, (), self.trivsel.rules) if row.episode_at else None

    def watch_changes(self) -> None:
        if self.is_current:
            self.read("watch", self._reload_if_changed, last_change)

    def _reload_if_changed(self, change: int) -> None:
        if change != self.seen_change:
            self.load()

    def action_reload(self) -> None:
        self.load()

    # --- filters, search, sort ------------------------------------------------------------

    def action_filters(self) -> None:
        self.read("filter_choices", self._choose_filters, filter_choices, self.due_query)

    def _choose_filters(self, choices: FilterChoices) -> None:
        from trivsel_tui.dialogs.filter_form import FilterFormScreen

        rules = self.trivsel.rules
        self.workplace_names = dict(choices.workplaces)
        workplaces: list[tuple[str, str | int]] = [(name, id_) for id_, name in choices.workplaces]
        categories: list[tuple[str, str | int]] = [(spec["label"], code) for code, spec in rules.categories.items()]
        kinds: list[tuple[str, str | int]] = [(kind_label(k, rules), k) for k in FILTER_KINDS]

        def chosen(filters: DueFilters | None) -> None:
            if filters is not None:
                self.filters = filters
                self.load()

        self.app.push_screen(FilterFormScreen(self.filters, workplaces, categories, choices.people, kinds), chosen)

    def action_clear_filters(self) -> None:
        self.filters = DueFilters()
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        search.disabled = True
        self.load()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.disabled = False
        search.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.filters = DueFilters(
            self.filters.workplace_id, self.filters.category, self.filters.responsible, self.filters.kinds, event.value
        )
        self._stop_count_timer()  # the count for the text before this keystroke is not wanted any more
        self.typing, self.total = True, None
        self.load()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one("#due", DataTable).focus()

    def action_leave_search(self) -> None:
        """Escape in the search field goes back to the list, the search kept (x removes it), as Enter does."""
        if self.focused is self.query_one("#search", Input):
            self.search_done()

    def action_next_sort(self) -> None:
        keys = list(SORTS)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.descending = False
        self.load()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.load()

    # --- acting on a row ------------------------------------------------------------------

    def _current(self) -> DueRow | None:
        table = self.query_one("#due", DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_row()

    def action_open_row(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.source == "task" and row.case_id is not None:
            self.post_message(OpenCase(row.case_id))
        elif row.source == "episode":
            self.post_message(ClassifyEpisode(row.source_id))
        elif row.plan_id is not None:
            self.post_message(OpenPlan(row.plan_id))
        elif row.kind == "handleplan_missing":
            self.post_message(NewHandleplan(row.workplace_id))
        else:
            from trivsel_tui.store.queries import get_workplace

            self.read("workplace", self._edit_workplace, get_workplace, row.workplace_id)

    def _edit_workplace(self, workplace: WorkplaceView | None) -> None:
        if workplace is not None:
            self.post_message(EditWorkplace(workplace))

    def action_done(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.source in VERSIONED:
            # The version the dialog opens on: a save by someone else while it is open is not overwritten.
            self.read("done", partial(self._mark_done, row), row_version, row.source, row.source_id)
        elif row.source == "episode":
            self.notify(t("dashboard.classify_first"), severity="warning")
        else:
            where = t("keys.plans") if row.source == "review" else t("keys.workplaces")
            self.notify(t("dashboard.not_doable", where=where.lower()), severity="warning")

    def _mark_done(self, row: DueRow, seen: int | None) -> None:
        from trivsel_tui.dialogs.effect_form import EffectFormScreen
        from trivsel_tui.dialogs.prompt import TextPromptScreen
        from trivsel_tui.store.cases import complete_task
        from trivsel_tui.store.plans import set_item_status

        row_id = row.source_id
        if row.source == "task":
            prompt = TextPromptScreen(
                t("dashboard.done_title"),
                t("case_actions.done_label"),
                required=False,
                subject=row.title,
                save=lambda store, note: complete_task(store, row_id, note, seen=seen),
            )
            self.app.push_screen(prompt, self._marked_done)
            return
        form = EffectFormScreen(
            save=lambda store, effect: set_item_status(store, row_id, "done", effect.effect, effect.note, seen=seen),
            subject=row.title,
        )
        self.app.push_screen(form, self._marked_done)

    def _marked_done(self, answer: object | None) -> None:
        if answer is not None:
            self.notify(t("dashboard.done"))
            self.load()

    def action_postpone(self) -> None:
        from trivsel_tui.task_actions import postpone

        row = self._current()
        if row is None:
            return
        if row.source == "task":
            postpone(self, row.source_id, self._postponed)
            return
        if row.source != "item":
            self.notify(t("dashboard.cannot_postpone"), severity="warning")
            return
        self.read("postpone", partial(self._postpone_item, row), row_version, row.source, row.source_id)

    def _postpone_item(self, row: DueRow, seen: int | None) -> None:
        from trivsel_tui.dialogs.postpone_form import PostponeFormScreen

        item_id = row.source_id

        def save(store: Store, postponement: Postponement) -> None:
            postpone_item(store, item_id, postponement.due, postponement.reason, seen=seen)

        def postponed(postponement: Postponement | None) -> None:
            if postponement is not None:
                self.notify(t("dashboard.postponed"))
            self._postponed(postponement)

        self.app.push_screen(PostponeFormScreen(self.trivsel.clock(), save=save, subject=row.title), postponed)

    def _postponed(self, answer: object | None) -> None:
        if answer is not None:
            self.load()
