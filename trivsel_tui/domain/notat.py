"""The police-dispensation notat: it needs a concrete, individual reason, not a general one.

Thresholds, stock phrases and messages are in rules.toml [dispensation].
"""

from __future__ import annotations

import re

from trivsel_tui.domain.rules import Rules

_WORD = re.compile(r"[\wæøåÆØÅ]+")


def reason_problems(reason: str, rules: Rules) -> list[str]:
    """Why the reason is not concrete enough (empty list = acceptable)."""
    spec = rules.dispensation
    words = _WORD.findall(reason)
    problems = []
    if len(words) < spec["min_words"]:
        problems.append(spec["too_short"].format(words=len(words), min_words=spec["min_words"]))
    stripped = reason.lower()
    for phrase in spec["generic_phrases"]:
        stripped = stripped.replace(phrase, " ")
    if words and len(_WORD.findall(stripped)) < spec["min_own_words"]:
        problems.append(spec["too_generic"])
    return problems
