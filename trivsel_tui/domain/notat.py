"""The police-dispensation notat: it needs a concrete, individual reason, not a general one.

Basis: the guideline's footnote on offererstatning, and the Ministry of Justice's 2016 guidance
that a dispensation needs concrete pedagogical or treatment considerations towards the specific
person; general wording is not enough.
"""

from __future__ import annotations

import re

MIN_WORDS = 25
MIN_OWN_WORDS = 15
# Stock phrases that say nothing about the particular person or situation.
GENERIC_PHRASES = (
    "pædagogiske hensyn",
    "pædagogiske og behandlingsmæssige hensyn",
    "behandlingsmæssige hensyn",
    "af hensyn til borgeren",
    "af hensyn til eleven",
    "af hensyn til beboeren",
    "af hensyn til relationen",
    "det er ikke hensigtsmæssigt",
    "vi plejer ikke",
    "generelt",
    "som udgangspunkt",
    "det vurderes",
    "ikke relevant",
    "ikke nødvendigt",
)
_WORD = re.compile(r"[\wæøåÆØÅ]+")


def reason_problems(reason: str) -> list[str]:
    """Why the reason is not concrete enough (empty list = acceptable)."""
    words = _WORD.findall(reason)
    problems = []
    if len(words) < MIN_WORDS:
        problems.append(
            f"Begrundelsen er for kort ({len(words)} ord). Beskriv mindst {MIN_WORDS} ord om den konkrete "
            "borger/elev/patient og situationen."
        )
    stripped = reason.lower()
    for phrase in GENERIC_PHRASES:
        stripped = stripped.replace(phrase, " ")
    own_words = _WORD.findall(stripped)
    if words and len(own_words) < MIN_OWN_WORDS:
        problems.append(
            "Begrundelsen består mest af generelle vendinger (fx »pædagogiske hensyn«). En dispensation kræver "
            "konkrete, individuelle pædagogiske eller behandlingsmæssige hensyn over for netop denne person: "
            "hvad ved vi om personen, og hvorfor ville en anmeldelse skade forløbet?"
        )
    return problems
