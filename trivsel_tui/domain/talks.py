"""Individual talks between leader and employee: what the guideline asks for, per category.

Violence and threats, and unwanted sexual attention from citizens: at workplaces at risk, "drøftes
tryghed og (volds)risiko efter konkret behov individuelt mellem leder og medarbejder ... f.eks. i form
af opkvalificering". Bullying and degrading treatment: "Hvor det er relevant drøftes mobning og
nedværdigende behandling efter konkret behov individuelt mellem leder og medarbejder".
"""

from __future__ import annotations

from collections.abc import Iterable

# category -> (the guideline section, the catalogue key of its sentence)
GUIDANCE = {
    "violence_threats": ("vt_prevent", "talks.quote_violence"),
    "sexual_harassment": ("sx_prevent", "talks.quote_sexual"),
    "bullying_degrading": ("mb_prevent", "talks.quote_bullying"),
}


def talk_guidance(categories: Iterable[str]) -> list[tuple[str, str]]:
    """The guideline's sentences on individual talks for the case's categories (all three if none is known)."""
    known = [code for code in GUIDANCE if code in set(categories)]
    return [GUIDANCE[code] for code in known or GUIDANCE]
