"""Documents generated from a case, as Markdown: the Insubiz/EASY summary and the dispensation notat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trivsel_tui.domain.clock import danish_day, danish_long
from trivsel_tui.domain.rules import Rules
from trivsel_tui.texts import t


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
    rules_version: str = ""  # which rules decided the classification (issue 11)
    report_due: datetime | None = None  # the Insubiz report's deadline (its task's)
    report_due_legal: bool = False  # set by law (a work accident) or the program's default (a krænkelse)


def _or_dash(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return text or t("documents.not_given")


def _cell(value: object) -> str:
    """A Markdown table cell: a '|' or a line break in user text must not break the table."""
    return _or_dash(value).replace("|", "/").replace("\n", " ")


def insubiz_summary(episode: EpisodeSummary, rules: Rules, now: datetime) -> str:
    """The fields a work-accident report asks for, ready to copy into Insubiz/EASY."""
    report = episode.insurance_report
    kind = rules.insurance_reports[report]["label"] if report else t("documents.no_report")
    if episode.absence_days is not None:
        absence = t("documents.absence_days", days=episode.absence_days)
        if episode.first_absence_day:
            absence += t("documents.absence_from", day=danish_day(episode.first_absence_day))
    else:
        absence = t("documents.absence_unknown")
    return t(
        "documents.insubiz",
        ref=episode.ref,
        kind=kind,
        deadline=_report_deadline(episode),
        person=_cell(episode.person),
        job=_cell(episode.job),
        workplace=_cell(episode.workplace),
        unit=_cell(episode.unit),
        when=danish_long(episode.occurred_at),
        place=_cell(episode.place),
        behaviours=", ".join(rules.behaviour_label(b) for b in episode.behaviours),
        perpetrator=rules.perpetrators.get(episode.perpetrator, ""),
        injury=rules.injuries.get(episode.injury, episode.injury),
        absence=absence,
        witnesses=_cell(episode.witnesses),
        reported_by=_cell(episode.reported_by),
        description=_or_dash(episode.description),
        now=danish_long(now),
        rules_version=episode.rules_version or rules.version,
    )


def _report_deadline(episode: EpisodeSummary) -> str:
    if episode.report_due is None:
        return t("documents.no_report")
    basis = t("documents.deadline_legal" if episode.report_due_legal else "documents.deadline_local")
    return f"{danish_long(episode.report_due)} ({basis})"


@dataclass(frozen=True)
class NotatFields:
    """What the person writing a dispensation notat decides; the rest comes from the case."""

    reason: str
    leader: str = ""
    employee_involved: bool = False
    signed_by: str = ""


def dispensation_notat(
    episode: EpisodeSummary,
    reason: str,
    author: str,
    now: datetime,
    leader: str = "",
    employee_involved: bool | None = None,
    version: int = 1,
) -> str:
    """The notat that documents why the police report is not made (guideline, footnote 2). It names the
    responsible leader, whether the employee was involved, and who signs it; a correction says its version."""
    involved = "–" if employee_involved is None else t("timeline.yes" if employee_involved else "timeline.no")
    return t(
        "documents.notat",
        ref=episode.ref,
        when=danish_long(episode.occurred_at),
        place=_or_dash(episode.place),
        workplace=episode.workplace,
        person=_or_dash(episode.person),
        leader=_or_dash(leader),
        involved=involved,
        reason=reason.strip(),
        author=author,
        now=danish_long(now),
        version=t("documents.notat_version", version=version) if version > 1 else "",
        rules_version=_or_dash(episode.rules_version),
    )


def _after(text: str, template_line: str) -> str:
    """The value on the notat's line that the template writes as `prefix{field}`."""
    prefix = template_line.split("{", 1)[0]
    for line in text.splitlines():
        if prefix and line.startswith(prefix):
            return line[len(prefix) :].strip()
    return ""


def notat_fields(text: str) -> NotatFields:
    """Read a stored notat back into its fields, to start a correction from it. A notat from an older
    template without a field gives that field empty; one that cannot be read gives its whole text as reason."""
    template = t("documents.notat")
    lines = {
        name: next((line for line in template.splitlines() if f"{{{name}}}" in line), "")
        for name in ("leader", "involved", "author")
    }
    head, tail = template.split("{reason}", 1)
    start = head.rstrip("\n").rsplit("\n", 1)[-1]
    end = tail.lstrip("\n").split("\n", 1)[0][:20]
    reason = text
    if start in text and end in text.split(start, 1)[1]:
        reason = text.split(start, 1)[1].split(end, 1)[0]
    involved = _after(text, lines["involved"])
    return NotatFields(
        reason=reason.strip(),
        leader="" if _after(text, lines["leader"]) == "–" else _after(text, lines["leader"]),
        employee_involved=involved == t("timeline.yes"),
        signed_by=_after(text, lines["author"]).split(",", 1)[0],
    )
