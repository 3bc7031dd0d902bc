"""The police-dispensation notat: the guideline asks for concrete reasons towards this person.

Thresholds, stock phrases, generic words and messages are in rules.toml [dispensation]. The notat is
only offered when the perpetrator is a citizen (Classification.dispensation_possible).
"""

from __future__ import annotations

import re

from trivsel_tui.domain.rules import Rules

_WORD = re.compile(r"[\wæøåÆØÅ]+")


def reason_problems(reason: str, rules: Rules) -> list[str]:
    """Why the reason is not concrete enough (empty list = acceptable).

    Own words are the distinct words left after removing stock phrases and generic vocabulary, so a
    stock phrase repeated or padded to length does not count as a concrete reason.
    """
    spec = rules.dispensation
    words = _WORD.findall(reason)
    problems = []
    if len(words) < spec["min_words"]:
        problems.append(spec["too_short"].format(words=len(words), min_words=spec["min_words"]))
    stripped = reason.lower()
    for phrase in spec["generic_phrases"]:
        stripped = stripped.replace(phrase, " ")
    own = set(_WORD.findall(stripped)) - set(spec["generic_words"])
    if words and len(own) < spec["min_own_words"]:
        problems.append(spec["too_generic"])
    return problems
