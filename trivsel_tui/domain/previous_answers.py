"""Reclassifying starts from the previous answers: which of a question's answers the stored facts imply.

The wizard stores facts, not answers. An answer is implied when every fact it sets holds (a list fact
contains its values); an answer that sets nothing but leads to another question (a category) is
implied when one of that question's answers is.
"""

from __future__ import annotations

from typing import Any

from trivsel_tui.domain.wizard import LIST_FACTS, Answer, Question, Tree


def _holds(name: str, value: Any, facts: dict[str, Any]) -> bool:
    if name in LIST_FACTS:
        return set(value) <= set(facts.get(name, []))
    return name in facts and facts[name] == value


def _implied(answer: Answer, tree: Tree, facts: dict[str, Any], depth: int = 0) -> bool:
    if answer.sets:
        return all(_holds(name, value, facts) for name, value in answer.sets.items())
    if answer.next and answer.next in tree.questions and depth < len(tree.questions):
        return any(_implied(a, tree, facts, depth + 1) for a in tree.questions[answer.next].answers)
    return False


def previous_answers(question: Question, tree: Tree, facts: dict[str, Any]) -> list[str]:
    """The codes of the answers the facts imply (for a single question: the first one, if any)."""
    codes = [answer.code for answer in question.answers if facts and _implied(answer, tree, facts)]
    return codes[:1] if question.kind == "single" else codes
