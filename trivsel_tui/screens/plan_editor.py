"""One action plan: header, possible causes, and the items that answer them.

Keys: + item, e edit, c cause, g done (asks whether it worked), i in progress, x drop (reason),
Delete delete (confirm) and u undo, Shift+↑/↓ reorder, j jump cause <-> items, Ctrl+O sort by due,
m Markdown export, h header.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.cause_form import CauseFormScreen, NewCause
from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.dialogs.effect_form import Effect, EffectFormScreen
from trivsel_tui.dialogs.item_form import ItemFormScreen
from trivsel_tui.dialogs.plan_header import PlanHeaderScreen
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.domain.clock import danish_day, local, local_day_bound
from trivsel_tui.domain.plans import CLOSED_STATUSES, label, plan_markdown
from trivsel_tui.locations import documents_dir
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.plans import (
    DeletedItem,
    ItemInput,
    PlanDetail,
    PlanHeaderInput,
    add_cause,
    delete_item,
    move_item,
    plan_detail,
    restore_item,
    save_item,
    save_plan_header,
    set_item_status,
)
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import ItemView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import due_cell, literal_t, plain


def due_day_cell(due: date | None, now: datetime, soon_days: int, closed: bool) -> Text:
    """An item's due date with the shared rule (the day ends 23:59 local, as on the dashboard); closed dimmed."""
    if due is None:
        return Text("–")
    if closed:
        return Text("✓ " + danish_day(due), style="dim")
    return due_cell(local_day_bound(due, end=True), now, soon_days, label=danish_day(due))


class PlanEditorScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", t("keys.back"), id="back"),
        Binding("plus", "add_item", t("plan_keys.add_item"), key_display="+", id="add_item"),
        Binding("c", "add_cause", t("plan_keys.add_cause"), id="add_cause"),
        Binding("e", "edit_item", t("plan_keys.edit"), id="edit_item"),
        Binding("g", "done", t("plan_keys.done"), id="done"),
        Binding("i", "in_progress", t("plan_keys.in_progress"), id="in_progress"),
        Binding("x", "drop", t("plan_keys.drop"), id="drop"),
        Binding("delete", "delete_item", t("plan_keys.delete"), key_display="Del", id="delete_item"),
        Binding("u", "undo", t("plan_keys.undo"), id="undo"),
        Binding("shift+up", "move(-1)", t("plan_keys.move_up"), id="move_up", show=False),
        Binding("shift+down", "move(1)", t("plan_keys.move_down"), id="move_down", show=False),
        Binding("j", "jump", t("plan_keys.jump"), id="jump"),
        Binding("ctrl+o", "toggle_sort", t("plan_keys.sort"), id="sort"),
        Binding("m", "export", t("plan_keys.export"), id="export"),
        Binding("H", "header", t("plan_keys.header"), key_display="H", id="header"),
    ]

    def __init__(self, plan_id: int) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.detail: PlanDetail | None = None
        self.sort_by_due = False
        self.undo_stack: list[DeletedItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="plan-header")
        with VerticalScroll(id="plan-body"):
            yield Static(t("plan_editor.causes"), classes="section-title")
            causes: DataTable[object] = DataTable(id="causes", cursor_type="row")
            yield causes
            yield Static(t("plan_editor.items"), id="items-title", classes="section-title")
            items: DataTable[object] = DataTable(id="items", cursor_type="row")
            yield items
            yield Static("", id="plan-empty", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        causes = self.query_one("#causes", DataTable)
        for key in ("number", "cause", "cause_kind"):
            causes.add_column(t(f"plan_columns.{key}"), key=key)
        items = self.query_one("#items", DataTable)
        for key in ("due", "measure", "horizon", "item_kind", "responsible", "item_status", "answers"):
            items.add_column(t(f"plan_columns.{key}"), key=key)
        items.focus()
        self.reload()

    def _today(self) -> date:
        return local(self.trivsel.clock()).date()

    def reload(self, select_item: int | None = None) -> None:
        self.read("plan", partial(self._show_plan, select_item), plan_detail, self.plan_id)

    def _changed(self, _result: object = None) -> None:
        self.reload()

    def _show_plan(self, select_item: int | None, detail: PlanDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.query_one("#plan-header", Static).update(t("data_errors.gone"))
            return
        plan = detail.plan
        self.title = t("plan_editor.title", kind=label("plan_kinds", plan.kind), owner=detail.owner)
        self.query_one("#plan-header", Static).update(
            literal_t(
                "plan_editor.header",
                made_by=label("made_by", plan.made_by) if plan.made_by else "–",
                employees=plan.employees_involved or "–",
                adopted=danish_day(plan.adopted_on),
                review=danish_day(plan.next_review_on),
                status=label("plan_statuses", plan.status),
            )
        )
        self._show_causes()
        self._show_items(select_item)

    def _show_causes(self) -> None:
        if self.detail is None:
            return
        table = self.query_one("#causes", DataTable)
        table.clear()
        for number, cause in enumerate(self.detail.causes, 1):
            table.add_row(plain(number), plain(cause.text), plain(label("cause_kinds", cause.kind)), key=str(cause.id))
        table.display = bool(self.detail.causes)

    def _ordered_items(self) -> list[ItemView]:
        items = list(self.detail.items) if self.detail else []
        if self.sort_by_due:
            items.sort(key=lambda i: (i.due_on is None, i.due_on or date.max))
        return items

    def _show_items(self, select_item: int | None = None) -> None:
        if self.detail is None:
            return
        table = self.query_one("#items", DataTable)
        cursor = table.cursor_row
        table.clear()
        numbers = self.detail.cause_numbers()
        now, soon = self.trivsel.clock(), self.trivsel.settings.due_soon_days
        items = self._ordered_items()
        for item in items:
            closed = item.status in CLOSED_STATUSES
            status = label("item_statuses", item.status)
            if item.status == "done" and item.effective:
                status += f" ({label('effect', item.effective)})"
            style = "dim" if closed else ""
            answers = ", ".join(str(numbers[c]) for c in item.cause_ids if c in numbers) or "–"
            table.add_row(
                due_day_cell(item.due_on, now, soon, closed),
                plain(item.measure, style=style),
                plain(label("horizons", item.horizon), style=style),
                plain(label("item_kinds", item.kind), style=style),
                plain(item.responsible, style=style),
                plain(status, style=style),
                plain(answers, style=style),
                key=str(item.id),
            )
        order = t("plan_editor.sorted_by_due" if self.sort_by_due else "plan_editor.sorted_by_order")
        self.query_one("#items-title", Static).update(f"{t('plan_editor.items')} · {order}")
        empty = []
        if not self.detail.causes and self.detail.plan.kind == "case_follow_up":
            empty.append(t("plan_editor.no_causes"))
        if not items:
            empty.append(t("plan_editor.no_items"))
        self.query_one("#plan-empty", Static).update("\n".join(empty))
        if items:
            row = next((i for i, item in enumerate(items) if item.id == select_item), None)
            table.move_cursor(row=row if row is not None else min(cursor, len(items) - 1))

    def _current_item(self) -> ItemView | None:
        table = self.query_one("#items", DataTable)
        if self.detail is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((i for i in self.detail.items if str(i.id) == key), None)

    def _need_item(self) -> ItemView | None:
        item = self._current_item()
        if item is None:
            self.notify(t("plan_editor.no_item"), severity="warning")
        return item

    # --- actions --------------------------------------------------------------------------

    def action_add_cause(self) -> None:
        plan_id = self.plan_id

        def save(store: Store, cause: NewCause) -> None:
            add_cause(store, plan_id, cause.text, cause.kind)

        self.app.push_screen(CauseFormScreen(save=save), self._changed)

    def action_add_item(self) -> None:
        if self.detail is None:
            return
        plan_id, created = self.plan_id, []

        def save(store: Store, item: ItemInput) -> None:
            created.append(save_item(store, plan_id, item))

        def added(item: ItemInput | None) -> None:
            if item is not None:
                self.reload(created[-1] if created else None)

        self.app.push_screen(ItemFormScreen(plan_id, self.detail.causes, save=save), added)

    def action_edit_item(self) -> None:
        item = self._need_item()
        if item is None or self.detail is None:
            return
        plan_id, item_id, seen = self.plan_id, item.id, item.version  # someone else's later save wins

        def save(store: Store, values: ItemInput) -> None:
            save_item(store, plan_id, values, item_id, seen=seen)

        form = ItemFormScreen(plan_id, self.detail.causes, item, save=save)
        self.app.push_screen(form, lambda _: self.reload(item_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "items":
            self.action_edit_item()
        else:
            self.action_jump()

    def action_in_progress(self) -> None:
        item = self._need_item()
        if item is not None:
            self.write(lambda _: self.reload(item.id), set_item_status, item.id, "in_progress", seen=item.version)

    def action_done(self) -> None:
        item = self._need_item()
        if item is None:
            return
        item_id, seen = item.id, item.version

        def save(store: Store, effect: Effect) -> None:
            set_item_status(store, item_id, "done", effect.effect, effect.note, seen=seen)

        self.app.push_screen(EffectFormScreen(save=save, subject=item.measure), lambda _: self.reload(item_id))

    def action_drop(self) -> None:
        item = self._need_item()
        if item is None:
            return
        item_id, seen = item.id, item.version
        prompt = TextPromptScreen(
            t("plan_editor.drop_title"),
            t("plan_editor.drop_label"),
            save=lambda store, reason: set_item_status(store, item_id, "dropped", drop_reason=reason, seen=seen),
            subject=item.measure,
        )
        self.app.push_screen(prompt, lambda _: self.reload(item_id))

    def action_delete_item(self) -> None:
        item = self._need_item()
        if item is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes and item is not None:
                self.write(self._deleted, delete_item, item.id, seen=item.version)

        self.app.push_screen(ConfirmScreen(t("plan_editor.delete_question", measure=item.measure)), confirmed)

    def _deleted(self, deleted: DeletedItem) -> None:
        self.undo_stack.append(deleted)
        self.notify(t("plan_editor.deleted"))
        self.reload()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify(t("plan_editor.nothing_to_undo"), severity="warning")
            return
        self.write(self._restored, restore_item, self.undo_stack.pop())

    def _restored(self, item_id: int) -> None:
        self.notify(t("plan_editor.undone"))
        self.reload(item_id)

    def action_move(self, delta: int) -> None:
        item = self._current_item()
        if item is None or self.sort_by_due:
            return
        self.write(lambda _: self.reload(item.id), move_item, self.plan_id, item.id, delta, seen=item.version)

    def action_toggle_sort(self) -> None:
        self.sort_by_due = not self.sort_by_due
        item = self._current_item()
        self._show_items(item.id if item else None)

    def action_jump(self) -> None:
        """From an item to the first cause it answers; from a cause to the first item answering it."""
        if self.detail is None:
            return
        causes = self.query_one("#causes", DataTable)
        items = self.query_one("#items", DataTable)
        if self.focused is causes and causes.row_count:
            key = causes.coordinate_to_cell_key(causes.cursor_coordinate).row_key.value
            ordered = self._ordered_items()
            row = next((i for i, item in enumerate(ordered) if key and int(key) in item.cause_ids), None)
            if row is not None:
                items.focus()
                items.move_cursor(row=row)
                return
        else:
            item = self._current_item()
            if item and item.cause_ids:
                ids = [c.id for c in self.detail.causes]
                if item.cause_ids[0] in ids:
                    causes.focus()
                    causes.move_cursor(row=ids.index(item.cause_ids[0]))
                    return
        self.notify(t("plan_editor.no_links"), severity="warning")

    def action_header(self) -> None:
        if self.detail is None:
            return
        plan_id, seen = self.plan_id, self.detail.plan.version

        def save(store: Store, header: PlanHeaderInput) -> None:
            save_plan_header(store, plan_id, header, seen=seen)

        self.app.push_screen(PlanHeaderScreen(self.detail.plan, self._today(), save=save), self._changed)

    def action_export(self) -> None:
        if self.detail is None:
            return
        plan = self.detail.plan
        markdown = plan_markdown(
            title=f"{label('plan_kinds', plan.kind)} – {self.detail.owner}",
            kind=plan.kind,
            made_by=plan.made_by,
            employees=plan.employees_involved,
            adopted_on=plan.adopted_on,
            next_review_on=plan.next_review_on,
            causes=self.detail.export_causes(),
            items=self.detail.export_items(),
        )
        path = documents_dir() / f"handleplan-{self.plan_id}.md"
        self.app.push_screen(DocumentScreen(t("plan_editor.export_title"), markdown, path))
