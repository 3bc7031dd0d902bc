"""Run as a separate process by test_episode_flow: types into the episode form, then waits to be killed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import load_rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import load_draft
from trivsel_tui.store.store import Store


async def main(db: Path) -> None:
    store = Store.open(db, "child")
    app = TrivselApp(store=store, settings=Settings(actor="child"), rules=load_rules())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Jobcenter", "tab", *"i går 14", "tab", *"venterum", "tab", "tab")
        await pilot.press(*"Trussel", "tab", *"Ida Dahl")
        # Wait until the draft with the last keystroke is in the database.
        while (load_draft(store, "episode:new") or {}).get("person") != "Ida Dahl":
            await pilot.pause(0.05)
        print("READY", flush=True)
        await asyncio.Event().wait()  # keep the app (and its open database) alive until SIGKILL


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
