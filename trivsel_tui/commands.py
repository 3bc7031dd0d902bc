"""Command-palette provider: jump to a case by reference, person or workplace."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

from trivsel_tui.store.queries import search_cases
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp

MAX_HITS = 20


class CaseProvider(Provider):
    async def search(self, query: str) -> Hits:
        app = cast("TrivselApp", self.app)
        if len(query.strip()) < 2:
            return
        rows = await asyncio.to_thread(search_cases, app.store, query, MAX_HITS)
        matcher = self.matcher(query)
        for row in rows:
            text = f"{row.ref}  {row.person}"
            score = matcher.match(text) or matcher.match(row.workplace) or 0.1
            yield Hit(
                score,
                matcher.highlight(text),
                partial(app.open_case, row.id),
                text=t("palette.open_case", ref=row.ref),
                help=t(
                    "palette.case_help", workplace=row.workplace, person=row.person, status=t(f"status.{row.status}")
                ),
            )
