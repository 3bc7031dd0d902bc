"""Documents generated from a case, as Markdown: the Insubiz/EASY summary and the dispensation notat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trivsel_tui.domain.clock import danish_long
from trivsel_tui.domain.rules import Rules


@dataclass(frozen=True)
class EpisodeSummary:
    """What the documents need to know about one episode and its case (plain values, no store objects)."""

    ref: str
    workplace: str
    unit: str
    person: str
    job: str
    occurred_at: datetime
    place: str
    description: str
    behaviours: tuple[str, ...]
    perpetrator: str
    injury: str
    insurance_report: str | None
    first_absence_day: date | None
    absence_days: int | None
    witnesses: str
    reported_by: str


def _or_dash(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return text or "– (ikke oplyst)"


def insubiz_summary(episode: EpisodeSummary, rules: Rules, now: datetime) -> str:
    """The fields a work-accident report asks for, ready to copy into Insubiz/EASY."""
    behaviours = ", ".join(rules.behaviour_label(b) for b in episode.behaviours)
    kind = rules.insurance_reports[episode.insurance_report]["label"] if episode.insurance_report else "ingen"
    if episode.absence_days is not None:
        absence = f"{episode.absence_days} dage"
        if episode.first_absence_day:
            absence += f" fra {episode.first_absence_day.strftime('%d-%m-%Y')}"
    else:
        absence = "ikke oplyst"
    return "\n".join(
        [
            f"# Anmeldelse i Insubiz – sag {episode.ref}",
            "",
            f"*Anmeldes som:* {kind}",
            "",
            "| Felt | Oplysning |",
            "| --- | --- |",
            f"| Tilskadekomne | {_or_dash(episode.person)} |",
            f"| Stilling | {_or_dash(episode.job)} |",
            f"| Arbejdssted | {_or_dash(episode.workplace)} ({_or_dash(episode.unit)}) |",
            f"| Tidspunkt | {danish_long(episode.occurred_at)} |",
            f"| Sted | {_or_dash(episode.place)} |",
            f"| Hvad skete der | {behaviours}; udøvet af: {rules.perpetrators.get(episode.perpetrator, '')} |",
            f"| Skade | {rules.injuries.get(episode.injury, episode.injury)} |",
            f"| Forventet fravær | {absence} |",
            f"| Vidner | {_or_dash(episode.witnesses)} |",
            f"| Anmeldt af | {_or_dash(episode.reported_by)} |",
            "",
            "## Hændelsesforløb",
            "",
            _or_dash(episode.description),
            "",
            f"_Dannet af trivsel-tui {danish_long(now)}. Kontrollér oplysningerne før indsendelse._",
            "",
        ]
    )


def dispensation_notat(episode: EpisodeSummary, reason: str, author: str, now: datetime) -> str:
    """The notat that documents why the police report is not made (guideline, footnote 2)."""
    return "\n".join(
        [
            f"# Notat: dispensation fra politianmeldelse – sag {episode.ref}",
            "",
            f"*Episode:* {danish_long(episode.occurred_at)}, {_or_dash(episode.place)}, {episode.workplace}",
            f"*Berørt medarbejder:* {_or_dash(episode.person)}",
            "",
            "Der er ikke foretaget politianmeldelse af episoden. Efter retningslinjen (fodnote 2 om offererstatning)",
            "kan der dispenseres, når der foreligger konkrete pædagogiske og/eller behandlingsmæssige hensyn over",
            "for den skadevoldende person. Begrundelsen er:",
            "",
            reason.strip(),
            "",
            "Bemærk: Uden politianmeldelse inden for 72 timer kan retten til offererstatning bortfalde.",
            "Anmeldelsen i Insubiz skal stadig foretages.",
            "",
            f"Skrevet af {author}, {danish_long(now)}.",
            "",
        ]
    )
