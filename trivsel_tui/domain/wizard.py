"""The guided classification: a question tree kept as data (data/wizard.toml), walked purely.

The walk is a function of the answers given so far; going back is dropping the last answer.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from trivsel_tui.data_files import read_data_file
from trivsel_tui.domain.rules import Rules
from trivsel_tui.texts import t

END = "end"
LIST_FACTS = ("behaviours", "grounds")


class WizardTreeError(ValueError):
    """The tree in data/ is inconsistent (a next that does not exist, an unknown condition…)."""


@dataclass(frozen=True)
class Answer:
    code: str
    label: str
    sets: dict[str, Any] = field(default_factory=dict)
    next: str | None = None
    requires: str | None = None  # "comment"


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    help: str
    section: str
    kind: str  # single | multi
    answers: tuple[Answer, ...]
    next: str = END
    ask_if: str | None = None
    optional: bool = False

    def answer(self, code: str) -> Answer:
        return next(a for a in self.answers if a.code == code)


@dataclass(frozen=True)
class Tree:
    start: str
    questions: dict[str, Question]


def _behaviour_types(facts: dict[str, Any], rules: Rules) -> set[str]:
    return {rules.behaviours[b]["type"] for b in facts.get("behaviours", [])}


CONDITIONS: dict[str, Callable[[dict[str, Any], Rules], bool]] = {
    "violence_or_threat": lambda facts, rules: bool(_behaviour_types(facts, rules) & {"physical_violence", "threat"}),
    "degrading": lambda facts, rules: "degrading" in _behaviour_types(facts, rules),
    "pattern_with_injury": lambda facts, rules: (
        bool(facts.get("regular_over_time")) and facts.get("injury") in rules.routes["injured"]
    ),
    "injured_not_degrading": lambda facts, rules: (
        facts.get("injury") in rules.routes["injured"]
        and facts.get("injury") != "fatal"
        and "degrading" not in _behaviour_types(facts, rules)
    ),
    "intent_and_reflex": lambda facts, rules: (
        facts.get("intentional") is True and facts.get("reflex_or_resistance") is True
    ),
}


def parse_tree(data: dict[str, Any]) -> Tree:
    questions = {}
    for code, spec in data["questions"].items():
        answers = tuple(Answer(**answer) for answer in spec["answers"])
        fields = {k: v for k, v in spec.items() if k != "answers"}
        questions[code] = Question(code=code, answers=answers, **fields)
    tree = Tree(start=data["start"], questions=questions)
    _check(tree)
    return tree


def _check(tree: Tree) -> None:
    targets = {tree.start}
    for question in tree.questions.values():
        targets.add(question.next)
        targets.update(a.next for a in question.answers if a.next)
        if question.ask_if and question.ask_if not in CONDITIONS:
            raise WizardTreeError(f"{question.code}: ukendt betingelse {question.ask_if!r}")
        if question.kind not in ("single", "multi"):
            raise WizardTreeError(f"{question.code}: kind skal være single eller multi")
    missing = targets - set(tree.questions) - {END}
    if missing:
        raise WizardTreeError(f"spørgsmål findes ikke: {', '.join(sorted(missing))}")


def load_tree() -> Tree:
    text = read_data_file("wizard.toml")
    return parse_tree(tomllib.loads(text))


def merge_sets(facts: dict[str, Any], sets: dict[str, Any]) -> None:
    for key, value in sets.items():
        if key in LIST_FACTS:
            facts[key] = list(dict.fromkeys([*facts.get(key, []), *value]))
        else:
            facts[key] = value


@dataclass(frozen=True)
class Walk:
    """Where the answers so far lead: the questions answered, the current one (None = done), the facts."""

    visited: tuple[str, ...]
    current: str | None
    facts: dict[str, Any]

    @property
    def done(self) -> bool:
        return self.current is None


def walk(tree: Tree, rules: Rules, answers: dict[str, list[str]], base: dict[str, Any]) -> Walk:
    """Follow the tree from the start with `answers` (question -> chosen answer codes)."""
    facts = dict(base)
    pending: list[str] = []
    visited: list[str] = []
    code = tree.start
    while True:
        if code == END:
            if not pending:
                return Walk(tuple(visited), None, facts)
            code = pending.pop()
            continue
        question = tree.questions[code]
        if question.ask_if and not CONDITIONS[question.ask_if](facts, rules):
            code = question.next
            continue
        if code not in answers:
            return Walk(tuple(visited), code, facts)
        visited.append(code)
        chosen = [question.answer(a) for a in answers[code]]
        for answer in chosen:
            merge_sets(facts, answer.sets)
        if question.kind == "multi":
            pending.append(question.next)
            pending.extend(reversed([a.next for a in chosen if a.next]))
            code = END
        else:
            code = chosen[0].next or question.next


def back(tree: Tree, rules: Rules, answers: dict[str, list[str]], base: dict[str, Any]) -> dict[str, list[str]]:
    """The answers with the last answered question undone (and nothing beyond it kept)."""
    visited = walk(tree, rules, answers, base).visited
    if not visited:
        return {}
    keep = visited[:-1]
    return {code: answers[code] for code in keep}


def every_walk(tree: Tree, rules: Rules, base: dict[str, Any]) -> Iterator[Walk]:
    """Every distinct path through the tree.

    Answers that lead to the same place are one path (one of them stands for all); in a multi
    question every combination of branches is tried. Used to test the tree, and cheap enough.
    """

    def options(question: Question) -> list[list[str]]:
        if question.kind == "single":
            seen: dict[Any, str] = {}
            for a in question.answers:
                # Same next and same facts set (values too: a later condition may test them).
                seen.setdefault((a.next, repr(sorted(a.sets.items()))), a.code)
            return [[code] for code in seen.values()]
        branching = [a for a in question.answers if a.next]
        plain = [a for a in question.answers if not a.next]
        combos = [[a.code for i, a in enumerate(branching) if mask >> i & 1] for mask in range(1, 2 ** len(branching))]
        if plain:
            # One plain answer (no branch of its own) stands for all of them: alone and beside each combination.
            combos = [[plain[0].code], *([*c, plain[0].code] for c in combos)]
        if question.optional:
            combos.append([])
        return combos

    def explore(answers: dict[str, list[str]]) -> Iterator[Walk]:
        state = walk(tree, rules, answers, base)
        if state.done:
            yield state
            return
        assert state.current is not None
        for choice in options(tree.questions[state.current]):
            yield from explore({**answers, state.current: choice})

    yield from explore({})


def to_dot(tree: Tree) -> str:
    """The tree as Graphviz dot, for review by a MED committee."""
    lines = ["digraph wizard {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    lines.append(f'  "{END}" [shape=doublecircle, label="{t("rules_graph.result")}"];')
    for question in tree.questions.values():
        condition = f"\\n({t(f'rules_graph.if_{question.ask_if}')})" if question.ask_if else ""
        label = question.text.replace('"', "'")
        lines.append(f'  "{question.code}" [label="{label}{condition}"];')
        for answer in question.answers:
            if answer.next:
                answer_label = answer.label.replace('"', "'")
                lines.append(f'  "{question.code}" -> "{answer.next}" [label="{answer_label}"];')
        style = "dashed" if question.kind == "multi" else "solid"
        otherwise = t("rules_graph.then" if question.kind == "multi" else "rules_graph.other_answers")
        lines.append(f'  "{question.code}" -> "{question.next}" [style={style}, label="{otherwise}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
