"""The guided classification: one question per step from the tree in data/wizard.toml, then the result.

Keys: arrows or numbers to choose (two digits in lists longer than nine), Space to tick in multiple choice,
Enter to go on, Backspace to go back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from trivsel_tui.dialogs.override import OverrideScreen
from trivsel_tui.domain.classify import Classification, Override, classify
from trivsel_tui.domain.clock import danish_long
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.previous_answers import previous_answers
from trivsel_tui.domain.wizard import Question, Tree, back, load_tree, walk
from trivsel_tui.messages import OpenCase, OwnsKeyboard
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.cases import episode_facts, get_episode, save_classification
from trivsel_tui.store.queries import case_detail
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import EpisodeView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import alarm_style, literal, safe

COUNTDOWN_REFRESH_SECONDS = 30  # the police countdown shows minutes
DIGIT_PAUSE = 1.5  # seconds within which a second digit continues the number (1, 2 → 12)


@cache
def tree() -> Tree:
    return load_tree()


@dataclass(frozen=True)
class EpisodeToClassify:
    episode: EpisodeView
    ref: str


def episode_to_classify(store: Store, episode_id: int) -> EpisodeToClassify | None:
    episode = get_episode(store, episode_id)
    if episode is None:
        return None
    detail = case_detail(store, episode.case_id)
    return EpisodeToClassify(episode, detail.case.ref if detail else "")


def countdown(result: Classification, now: Any) -> str:
    deadline = result.police_deadline
    if deadline is None:
        return ""
    seconds = int((deadline - now).total_seconds())
    hours, minutes = divmod(abs(seconds) // 60, 60)
    key = "wizard.police_countdown" if seconds >= 0 else "wizard.police_expired"
    return t(key, hours=hours, minutes=minutes)


class WizardScreen(OwnsKeyboard, StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", t("keys2.next"), id="next", priority=True),
        Binding("backspace", "back", t("keys2.back_step"), id="back_step"),
        Binding("escape", "back", show=False),
        Binding("space", "tick", t("keys2.toggle"), id="toggle"),
        Binding("o", "override", t("keys2.override"), id="override"),
        *[Binding(str(n), f"digit({n})", show=False) for n in range(10)],
    ]

    def __init__(self, episode_id: int) -> None:
        super().__init__()
        self.episode_id = episode_id
        self.case_id: int | None = None
        self.seen: int | None = None  # the episode's version when the wizard opened (store.errors.row_to_edit)
        self.answers: dict[str, list[str]] = {}
        self.comments: dict[str, str] = {}
        self.base: dict[str, Any] = {}
        self.previous: dict[str, Any] = {}
        self.ref = ""
        self.result: Classification | None = None
        self.override: Override | None = None
        self._facts: dict[str, Any] = {}
        self._pending: dict[str, list[str]] = {}  # ticks in the question on screen, before Enter
        self._digits, self._digit_at = 0, 0.0  # a number being typed in a long list, and when

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="wizard"):
            with Vertical(id="wizard-main"):
                yield Static(id="wizard-step", classes="dim")
                yield Static(id="wizard-question", classes="question")
                yield OptionList(id="wizard-answers")
                yield Label("", id="wizard-comment-label")
                yield Input(id="wizard-comment")
                yield Static("", id="wizard-error", classes="field-error")
                yield Static(id="wizard-hint", classes="dim")
                yield VerticalScroll(Static(id="wizard-result"), id="wizard-result-box")
            yield Static(id="wizard-help", classes="help-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.read("episode", self._start, episode_to_classify, self.episode_id)

    def _start(self, found: EpisodeToClassify | None) -> None:
        if found is None:
            self.notify(t("data_errors.gone"), severity="error")
            self.dismiss(None)
            return
        self.case_id = found.episode.case_id
        self.seen = found.episode.version
        self.ref = found.ref
        self.title = t("wizard.title", ref=self.ref)
        self.base = self._base_facts(found.episode)
        # Reclassifying starts from what was answered last time (the stored facts imply the answers).
        self.previous = episode_facts(found.episode) if found.episode.classification else {}
        self.set_interval(COUNTDOWN_REFRESH_SECONDS, self._tick)
        self._render_step()

    @staticmethod
    def _base_facts(episode: EpisodeView) -> dict[str, Any]:
        facts = episode_facts(episode)
        return {
            k: v
            for k, v in facts.items()
            if k in ("occurred_at", "perpetrator", "channel", "first_absence_day", "absence_days")
        }

    # --- state ----------------------------------------------------------------------------

    def _walk(self) -> Any:
        return walk(tree(), self.trivsel.rules, self.answers, self.base)

    def _question(self) -> Question | None:
        current = self._walk().current
        return tree().questions[current] if current else None

    def _chosen(self) -> list[str]:
        question = self._question()
        return self._pending.get(question.code, []) if question else []

    def _render_step(self) -> None:
        self.query_one("#wizard-error", Static).update("")
        state = self._walk()
        question = self._question()
        answers_list = self.query_one("#wizard-answers", OptionList)
        result_box = self.query_one("#wizard-result-box")
        if question is None:
            self._show_result(state.facts)
            return
        self.result = None
        result_box.display = False
        for widget in ("#wizard-answers", "#wizard-question", "#wizard-step", "#wizard-help"):
            self.query_one(widget).display = True
        earlier = previous_answers(question, tree(), self.previous)
        self._pending.setdefault(question.code, earlier if question.kind == "multi" else [])
        self.query_one("#wizard-step", Static).update(t("wizard.step", n=len(state.visited) + 1))
        self.query_one("#wizard-question", Static).update(Text(question.text, style="bold"))
        answers_list.clear_options()
        answers_list.add_options(
            [Option(self._answer_prompt(question, i), id=a.code) for i, a in enumerate(question.answers)]
        )
        codes = [answer.code for answer in question.answers]
        answers_list.highlighted = codes.index(earlier[0]) if question.kind == "single" and earlier else 0
        answers_list.focus()
        hint = "wizard.multi_hint" if question.kind == "multi" else "wizard.single_hint"
        self.query_one("#wizard-hint", Static).update(t(hint))
        help_text = Text(question.help + "\n\n")
        help_text.append(t("wizard.basis", section=self.trivsel.rules.section(question.section)), "italic")
        self.query_one("#wizard-help", Static).update(help_text)
        self._update_comment(question)

    def _answer_prompt(self, question: Question, index: int) -> Text:
        answer = question.answers[index]
        number = f"{index + 1:>{len(str(len(question.answers)))}}. "  # every answer numbered, aligned
        if question.kind == "multi":
            ticked = answer.code in self._pending.get(question.code, [])
            return Text(f"{'☑' if ticked else '☐'} {number}{answer.label}")
        return Text(f"{number}{answer.label}")

    def _update_comment(self, question: Question) -> None:
        needing = [a for a in question.answers if a.requires == "comment" and a.code in self._chosen()]
        label = self.query_one("#wizard-comment-label", Label)
        field = self.query_one("#wizard-comment", Input)
        label.display = field.display = bool(needing)
        if needing:
            label.update(literal(t("wizard.comment_label", answer=needing[0].label)))
            field.value = self.comments.get(question.code, field.value if field.display else "")

    # --- keys -----------------------------------------------------------------------------

    def action_tick(self) -> None:
        question = self._question()
        if question is None or question.kind != "multi":
            return
        index = self.query_one("#wizard-answers", OptionList).highlighted
        if index is not None:
            self._tick_answer(question, index)

    def _tick_answer(self, question: Question, index: int) -> None:
        code = question.answers[index].code
        chosen = self._pending.setdefault(question.code, [])
        if code in chosen:
            chosen.remove(code)
        else:
            chosen.append(code)
        self.query_one("#wizard-answers", OptionList).replace_option_prompt_at_index(
            index, self._answer_prompt(question, index)
        )
        self._update_comment(question)

    def action_digit(self, digit: int) -> None:
        """A number key moves the highlight to that answer and chooses it (ticks it, or picks it and goes
        on). In a list longer than nine a number that a second digit could continue (1 → 12) only moves
        the highlight: type the second digit at once, or choose with Space or Enter."""
        question = self._question()
        if question is None:
            return
        count, now = len(question.answers), time.monotonic()
        typed = self._digits * 10 + digit if self._digits and now - self._digit_at < DIGIT_PAUSE else digit
        if typed > count:
            typed = digit
        self._digit_at = now
        self._digits = typed if typed > 0 and typed * 10 <= count else 0
        if not 1 <= typed <= count:
            return
        self.query_one("#wizard-answers", OptionList).highlighted = typed - 1
        if not self._digits:
            self.action_pick(typed)

    def action_pick(self, number: int) -> None:
        question = self._question()
        if question is None or number > len(question.answers):
            return
        if question.kind == "multi":
            self._tick_answer(question, number - 1)
        else:
            self.query_one("#wizard-answers", OptionList).highlighted = number - 1
            self.action_next()

    def action_next(self) -> None:
        question = self._question()
        if question is None:
            self._confirm()
            return
        if question.kind == "single":
            index = self.query_one("#wizard-answers", OptionList).highlighted or 0
            chosen = [question.answers[index].code]
            self._pending[question.code] = chosen
        else:
            chosen = list(self._pending.get(question.code, []))
            if not chosen and not question.optional:
                self.query_one("#wizard-error", Static).update(t("wizard.need_choice"))
                return
        needing = [a for a in question.answers if a.requires == "comment" and a.code in chosen]
        if needing:
            comment = self.query_one("#wizard-comment", Input).value.strip()
            if not comment:
                if question.kind == "single":
                    self._update_comment(question)
                self.query_one("#wizard-error", Static).update(
                    literal(t("wizard.comment_missing", answer=needing[0].label))
                )
                self.query_one("#wizard-comment", Input).focus()
                return
            self.comments[question.code] = comment
        self.answers[question.code] = chosen
        self._render_step()

    def action_back(self) -> None:
        if not self.answers:
            self.app.pop_screen()
            return
        self.answers = back(tree(), self.trivsel.rules, self.answers, self.base)
        self.override = None
        self._render_step()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            return self.result is not None
        if action == "tick":
            question = self._question() if self.base else None
            return question is not None and question.kind == "multi"
        return True

    # --- result ---------------------------------------------------------------------------

    def _show_result(self, facts: dict[str, Any]) -> None:
        rules = self.trivsel.rules
        self._facts = facts
        self.result = classify(parse_facts(facts, rules), rules, self.override)
        for widget in ("#wizard-answers", "#wizard-comment", "#wizard-comment-label", "#wizard-question"):
            self.query_one(widget).display = False
        self.query_one("#wizard-step", Static).update(t("wizard.result_title"))
        self.query_one("#wizard-hint", Static).update(t("wizard.result_hint"))
        self.query_one("#wizard-help").display = False
        self.query_one("#wizard-result-box").display = True
        self._render_result()
        self.refresh_bindings()

    def _render_result(self) -> None:
        result = self.result
        if result is None:
            return
        rules = self.trivsel.rules
        now = self.trivsel.clock()
        text = Text()
        text.append(t("wizard.types") + ": ", "bold")
        text.append(", ".join(rules.type_label(code) for code in result.types) + "\n")
        text.append(t("wizard.insurance") + ": ", "bold")
        kind = result.insurance_report
        text.append((rules.insurance_reports[kind]["label"] if kind else t("wizard.insurance_none")) + "\n")
        text.append(t("wizard.police") + ": ", "bold")
        if result.police_relevant and result.police_deadline is not None:
            text.append(t("wizard.police_relevant", due=danish_long(result.police_deadline)), alarm_style())
            text.append(f" ({countdown(result, now)})\n")
        else:
            text.append(t("wizard.police_not") + "\n")
        if self.override:
            text.append(t("wizard.overridden", reason=self.override.reason) + "\n", "bold magenta")
        text.append("\n" + t("wizard.actions") + "\n", "bold")
        for action in result.actions:
            due = danish_long(action.due) if action.due else t("wizard.no_due")
            owner = t("wizard.owner", owner=rules.owner_label(action.owner_role))
            text.append(f"  • {action.title} – {due} ({owner})\n")
        if result.notices:
            text.append("\n" + t("wizard.notices") + "\n", "bold yellow")
            for notice in result.notices:
                text.append(f"  ! {notice.text}\n", "yellow")
        text.append("\n" + t("wizard.rules_version", version=result.rules_version) + "\n", "dim")
        text.append("\n" + t("wizard.rationale") + "\n", "bold")
        for sentence in result.rationale:
            text.append(f"  – {sentence}\n", "dim")
        for code, comment in self.comments.items():
            text.append(f"  – {tree().questions[code].text} {comment}\n", "dim")
        self.query_one("#wizard-result", Static).update(safe(text))

    def _tick(self) -> None:
        # The police countdown is shown in minutes; refresh it while the result is on screen.
        if self.result is not None:
            self._render_result()

    def action_override(self) -> None:
        if self.result is None:
            return
        self.app.push_screen(OverrideScreen(), self._overridden)

    def _overridden(self, override: Override | None) -> None:
        if override is not None:
            self.override = override
            self._show_result(self._facts)

    def _confirm(self) -> None:
        if self.result is None:
            return
        facts = dict(self._facts)
        if self.comments:
            facts_comments = "; ".join(self.comments.values())
            self.result = replace(
                self.result, rationale=(*self.result.rationale, t("plain_words.description", text=facts_comments))
            )
        self.write(self._saved, save_classification, self.episode_id, facts, self.result, self.override, seen=self.seen)

    def _saved(self, _result: None) -> None:
        self.notify(t("wizard.saved"))
        if self.case_id is not None:
            self.post_message(OpenCase(self.case_id, instead_of_current=True))
