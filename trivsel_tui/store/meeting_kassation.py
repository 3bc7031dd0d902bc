"""What kassation of a case does to the meetings that discussed it.

The meeting stays – it is the body's record of its work, and its other items are about other cases and
the workplaces – but the discarded case leaves it: each of the case's agenda items becomes a placeholder
("a case, since discarded") without the case's number, reasons, decision, follow-up or action items, and
every stored version of a closed meeting's minutes loses the case's section. GDPR's storage limitation
(art. 5(1)(e)) and the retention rule that made the case due apply to the case's data wherever it sits;
the minutes are pseudonymised, but a decision is still the case's narrative and its number leads to the
person. The case's rows are deleted, not changed, so their audit entries are sealed with the case's key
and go with it; a minutes version rewritten here is audited by a digest of its text, never the text
(see audit.DIGESTED).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from trivsel_tui.store.meeting_view import minutes_draft_key
from trivsel_tui.store.models import Draft, MeetingAction, MeetingItem, MeetingMinutes
from trivsel_tui.texts import t

DISCARDED = "discarded"  # the kind of an item whose case was discarded


def _template_prefix(key: str, field: str) -> str:
    """The catalogue text before its {field}: where a generated line starts."""
    return t(key, **{field: "\x00"}).split("\x00")[0]


def without_case(markdown: str, ref: str) -> str:
    """Minutes without the case's section and number; the rest of the minutes as they were."""
    heading = re.escape(t("meeting_slide.case", ref=ref))
    gone = t("meeting_slide.case_gone")
    made = re.escape(_template_prefix("meeting_minutes.made", "at"))
    section = rf"^### (\d+)\. {heading}[ \t]*\n.*?(?=^### |^## |^{made}|\Z)"
    note = t("meeting_kassation.minutes_note")
    markdown = re.sub(section, rf"### \1. {gone}\n\n{note}\n\n", markdown, flags=re.MULTILINE | re.DOTALL)
    markdown = re.sub(rf"^(\d+)\. {heading}[ \t]*$", rf"\1. {gone}", markdown, flags=re.MULTILINE)
    # Anywhere else a correction wrote it, as "Sag 2026-0001" or the bare number.
    gone_ref = t("meeting_kassation.ref_gone")
    return markdown.replace(t("meeting_slide.case", ref=ref), gone_ref).replace(ref, gone_ref)


def forget_case(session: Any, case_id: int, ref: str) -> int:
    """Take the case out of every meeting (before its audit keys are destroyed). Returns how many items."""
    items = list(session.scalars(select(MeetingItem).where(col(MeetingItem.case_id) == case_id)))
    for item in items:
        actions = select(MeetingAction).where(col(MeetingAction.meeting_item_id) == item.id)
        for action in session.scalars(actions):
            session.delete(action)
    session.flush()
    for item in items:
        session.delete(item)
    session.flush()
    session.add_all(
        MeetingItem(meeting_id=item.meeting_id, position=item.position, kind=DISCARDED, resolved=True) for item in items
    )
    meetings = {item.meeting_id for item in items}
    # A correction being typed holds the minutes' text, the case's section included. Every user's:
    # on a team database each draft key starts with its owner (store.drafts.draft_key).
    for meeting_id in meetings:
        key = minutes_draft_key(meeting_id)
        session.execute(delete(Draft).where((col(Draft.key) == key) | col(Draft.key).like(f"%/{key}")))
    versions = select(MeetingMinutes).where(col(MeetingMinutes.meeting_id).in_(meetings))
    for minutes in session.scalars(versions):
        minutes.markdown = without_case(minutes.markdown, ref)
        session.add(minutes)
    session.flush()
    return len(items)
