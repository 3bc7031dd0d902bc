"""The minutes (referat) of a meeting: Markdown made from the slides the meeting saw, and a PDF made
from that Markdown — so a closed meeting's stored minutes print exactly as they were approved.

The PDF uses ReportLab with the Vera TrueType font shipped inside the reportlab package (the same
choice as annual_report.py): a maintained, pure-Python library that embeds a Unicode font subset, so
æ ø å – « » print on any machine, with no system fonts and no second PDF library.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.store.meeting_view import MeetingDetail, Slide
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from trivsel_tui.domain.rules import Rules
    from trivsel_tui.store.store import Store


def _line(text: str) -> str:
    """One line of user text in Markdown: no line breaks, no markup that would change the document."""
    flat = " ".join(text.split())
    return re.sub(r"([\\`*_#\[\]<>|])", r"\\\1", flat)


def minutes_name(detail: MeetingDetail, suffix: str, version: int | None = None) -> str:
    """referat-arbejdsmiljoegruppen-solsikken-2026-11-28.md: named by body and date (and an old version's
    number, so that exporting version 1 after a correction never overwrites the corrected minutes)."""
    body = re.sub(r"[^a-z0-9æøå]+", "-", f"{t(f'meeting_bodies.{detail.body_kind}')} {detail.body_name}".casefold())
    which = f"-{t('meeting_versions.file_version', version=version)}" if version is not None else ""
    return f"{t('meeting_minutes.file_prefix')}-{body.strip('-')[:60]}-{detail.held_on.isoformat()}{which}.{suffix}"


def _reasons(slide: Slide) -> str:
    return ", ".join(t(f"meeting_reasons.{code}") for code in dict.fromkeys(slide.reasons) if slide.kind == "case")


def _slide_lines(number: int, slide: Slide) -> list[str]:
    lines = [f"### {number}. {_line(slide.heading)}", ""]
    if reasons := _reasons(slide):
        lines += [f"*{t('meeting_minutes.why')}:* {reasons}", ""]
    lines += [f"- {_line(name)}: {_line(value)}" for name, value in slide.facts]
    if slide.kind not in ("withheld", "discarded"):  # nothing was decided, or nothing may be kept
        decision = slide.decision or t("meeting_minutes.no_decision")
        lines += ["", f"**{t('meeting_minutes.decision')}:** {_line(decision)}"]
        if slide.follow_up_by:
            lines += ["", f"**{t('meeting_minutes.follow_up_by')}:** {_line(slide.follow_up_by)}"]
        if not slide.resolved:
            lines += ["", f"*{t('meeting_minutes.carried')}*"]
        if slide.actions:
            lines.append("")
        for action in slide.actions:
            due = danish_day(action.due_on) if action.due_on else "–"
            owner = action.owner or "–"
            lines.append(
                "- " + t(f"meeting_minutes.action_{action.kind}", text=_line(action.text), owner=_line(owner), due=due)
            )
    return [*lines, ""]


def minutes_markdown(detail: MeetingDetail, made_at: datetime) -> str:
    body = t(f"meeting_bodies.{detail.body_kind}")
    lines = [
        f"# {t('meeting_minutes.title', body=body, name=_line(detail.body_name), day=danish_day(detail.held_on))}",
        "",
        f"*{t('meeting_minutes.pseudonymised')}*",
        "",
        f"## {t('meeting_minutes.attendees')}",
        "",
    ]
    lines += [f"- {_line(a.name)} ({t(f'meeting_roles_attendee.{a.role}')})" for a in detail.attendees] or ["- –"]
    lines += ["", f"## {t('meeting_minutes.agenda')}", ""]
    lines += [f"{n}. {_line(s.heading)}" for n, s in enumerate(detail.slides, 1)]
    lines += ["", f"## {t('meeting_minutes.decisions')}", ""]
    for number, slide in enumerate(detail.slides, 1):
        lines += _slide_lines(number, slide)
    lines.append(t("meeting_minutes.made", at=local(made_at).strftime("%d-%m-%Y %H:%M")))  # Copenhagen, not UTC
    return "\n".join(lines) + "\n"


# --- PDF --------------------------------------------------------------------------------------------


def _inline(text: str) -> str:
    """Markdown's **bold** and *italic* as ReportLab markup; everything else escaped, literal."""
    from xml.sax.saxutils import escape

    unescaped = re.sub(r"\\(.)", r"\1", text)
    safe = escape(unescaped)
    safe = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", safe)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", safe)


FONT, FONT_BOLD = "Vera", "VeraBd"  # as annual_report registers them


def _register_family() -> None:
    """<b> and <i> in a paragraph pick Vera's bold and oblique faces (shipped with reportlab, like Vera)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "VeraIt" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("VeraIt", "VeraIt.ttf"))
        pdfmetrics.registerFont(TTFont("VeraBI", "VeraBI.ttf"))
    for bold, italic, face in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, "VeraIt"), (1, 1, "VeraBI")):
        addMapping(FONT, bold, italic, face)


def minutes_pdf(markdown: str, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from trivsel_tui.annual_report import register_fonts

    register_fonts()
    _register_family()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=5 * mm, bulletIndent=1 * mm)
    styles = {
        "# ": ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6),
        "## ": ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=8, spaceAfter=4),
        "### ": ParagraphStyle("h3", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=2),
    }
    story: list[object] = []
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line:
            story.append(Spacer(1, 2 * mm))
            continue
        heading = next((prefix for prefix in ("### ", "## ", "# ") if line.startswith(prefix)), None)
        if heading:
            story.append(Paragraph(_inline(line[len(heading) :]), styles[heading]))
        elif line.startswith("- "):
            story.append(Paragraph(_inline(line[2:]), bullet, bulletText="•"))
        else:
            story.append(Paragraph(_inline(line), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="trivsel-tui", leftMargin=18 * mm, rightMargin=18 * mm
    )
    document.build(story)
    return buffer.getvalue()


def write_minutes(markdown: str, title: str, path: Path, as_pdf: bool | None = None) -> Path:
    """The minutes as Markdown or PDF (by the file's suffix unless told), written 0600."""
    from trivsel_tui.store.private import write_private_bytes, write_private_text

    if as_pdf or (as_pdf is None and path.suffix.lower() == ".pdf"):
        return write_private_bytes(path, minutes_pdf(markdown, title))
    return write_private_text(path, markdown)


def minutes_for(
    store: Store, rules: Rules, meeting_id: int, now: datetime, version: int | None = None
) -> tuple[str, MeetingDetail] | None:
    """The minutes to export: a closed meeting's newest stored version (or the one asked for), an open
    meeting's as they stand. None when there is no such meeting or version."""
    from trivsel_tui.store.meeting_view import meeting_detail, stored_minutes

    detail = meeting_detail(store, rules, meeting_id, now)
    if detail is None:
        return None
    versions = stored_minutes(store, meeting_id)
    if version is not None:
        return (versions[version], detail) if version in versions else None
    if detail.status == "closed" and versions:
        return versions[max(versions)], detail
    return minutes_markdown(detail, now), detail


def minutes_title(detail: MeetingDetail) -> str:
    body = t(f"meeting_bodies.{detail.body_kind}")
    return t("meeting_minutes.title", body=body, name=detail.body_name, day=danish_day(detail.held_on))
