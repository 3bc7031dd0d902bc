"""Every «quote» in a rationale is the guideline's own words, from the part of the guideline the sentence names.

The guideline (tests/guideline/retningslinjer.txt, the municipality's text as received) has three parts:
vold og trusler, mobning og nedværdigende behandling, uønsket seksuel opmærksomhed. A sentence that cites
a section of one part must quote that part – the violence section's Insubiz sentence («Enkeltstående volds-
og eller trusselsituationer …») is not what the sexual-attention section says.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.wizard import every_walk, load_tree

GUIDELINE = (Path(__file__).parent / "guideline" / "retningslinjer.txt").read_text(encoding="utf-8")
PART_HEADING = "Identifikation, forebyggelse og håndtering af"
# What a section label says → the part of the guideline it belongs to.
PARTS = {
    "Retningslinjer, vold og trusler": "vold og trusler",
    "Retningslinjer, mobning": "mobning og nedværdigende behandling",
    "Retningslinjer, uønsket seksuel opmærksomhed": "uønsket seksuel opmærksomhed",
}


def normalised(text: str) -> str:
    """Line breaks and page breaks out; a word broken at a hyphen is joined ("MED-\\n\\nudvalget")."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)
    text = re.sub(r"\s+", " ", text)
    return text.replace(" - ", " – ").replace("”", '"').replace("“", '"').strip()


def guideline_parts() -> dict[str, str]:
    chunks = GUIDELINE.split(PART_HEADING)
    parts = {"intro": normalised(chunks[0])}
    for chunk in chunks[1:]:
        body = normalised(chunk)
        name = next(part for part in PARTS.values() if body.startswith(part))
        parts[name] = body
    return parts


PARTS_TEXT = guideline_parts()
SEXUAL_INSUBIZ = (
    "Enkeltstående situationer, der har påført medarbejderen fysisk eller psykisk personskade, anmeldes som en "
    "arbejdsulykke (med forsikringsbehandling)."
)
QUOTE = re.compile(r"«([^«»]*)»")


def quotes_with_part(sentence: str) -> list[tuple[str, str | None]]:
    """The quotes in one rationale sentence, each with the guideline part its cited section belongs to."""
    part = next((name for label, name in PARTS.items() if f"({label}" in sentence), None)
    return [(quote, part) for quote in QUOTE.findall(sentence)]


def all_rationales(rules: Rules) -> list[str]:
    sentences: list[str] = []
    tree = load_tree()
    for perpetrator in ("citizen", "colleague", "manager"):  # relative and unknown share their quotes
        base = {"occurred_at": "2026-03-02T10:00:00", "perpetrator": perpetrator}
        for state in every_walk(tree, rules, base):
            sentences += classify(parse_facts(state.facts, rules), rules).rationale
    return sentences


@pytest.fixture(scope="module")
def rationales(rules: Rules) -> list[str]:
    return sorted(set(all_rationales(rules)))


def test_the_guideline_text_splits_into_its_three_parts() -> None:
    assert set(PARTS_TEXT) == {"intro", *PARTS.values()}


def test_every_quote_is_the_guidelines_words_from_the_part_it_cites(rationales: list[str]) -> None:
    checked = 0
    for sentence in rationales:
        for quote, part in quotes_with_part(sentence):
            words = normalised(quote)
            where = PARTS_TEXT[part] if part else " ".join(PARTS_TEXT.values())
            assert words in where, f"not in the guideline's {part or 'text'}: {quote!r}\n  in: {sentence}"
            checked += 1
    assert checked > 25


def run(rules: Rules, **facts: Any) -> list[str]:
    base: dict[str, Any] = {"occurred_at": "2026-03-02T10:00:00+01:00", "perpetrator": "citizen"}
    return list(classify(parse_facts(base | facts, rules), rules).rationale)


def test_sexual_attention_with_injury_quotes_the_sexual_attention_sections_insubiz_sentence(rules: Rules) -> None:
    """Uønsket seksuel opmærksomhed: «Enkeltstående situationer, der har påført medarbejderen fysisk eller psykisk
    personskade, anmeldes som en arbejdsulykke (med forsikringsbehandling).» – not the violence section's
    «Enkeltstående volds- og eller trusselsituationer …»."""
    sentence = next(s for s in run(rules, behaviours=["unwanted_touching"], injury="physical") if "Insubiz" in s)
    assert "«Enkeltstående situationer, der har påført medarbejderen" in sentence
    assert quotes_with_part(sentence) == [(SEXUAL_INSUBIZ, "uønsket seksuel opmærksomhed")]


def test_violence_with_injury_quotes_the_violence_sections_insubiz_sentence(rules: Rules) -> None:
    """Vold og trusler: «Enkeltstående volds- og eller trusselsituationer, der har påført medarbejderen fysisk
    eller psykisk personskade, anmeldes som en arbejdsulykke (med forsikringsbehandling).»"""
    sentence = next(s for s in run(rules, behaviours=["kick"], injury="physical") if "Insubiz" in s)
    assert "«Enkeltstående volds- og eller trusselsituationer" in sentence


def test_a_notice_quoted_in_the_rationale_reads_as_two_sentences(rules: Rules) -> None:
    """«… hvorfor behandlingen ikke kan foregå anonymt.» follows the notice's own full stop, not ".: «"."""
    rationale = run(rules, behaviours=["unwanted_touching"], perpetrator="colleague", injury="none")
    sentence = next(s for s in rationale if "anonymt" in s and "«Henvendelsen" in s)
    assert ".:" not in sentence and "handler om. Retningslinjen siger: «Henvendelsen" in sentence
