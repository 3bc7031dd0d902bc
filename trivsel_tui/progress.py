"""How far a long store operation has come, on stderr: one line rewritten in place on a terminal,
one line per stage otherwise (a log or a pipe gets no carriage returns)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from trivsel_tui.texts import t

REDRAW_S = 0.2  # often enough to see it move, rarely enough to cost nothing


class StderrProgress:
    """A store Progress callback: (stage, done, total), stage being a key of [progress] in the catalogue."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.stage = ""
        self.drawn = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self._finish()
            self.stage = stage
            if not self.live:
                print(t("progress.started", stage=t(f"progress.{stage}")), file=self.stream, flush=True)
        if self.live and (done >= total or time.monotonic() - self.drawn >= REDRAW_S):
            self.drawn = time.monotonic()
            percent = 100 * done // max(total, 1)
            line = t("progress.line", stage=t(f"progress.{stage}"), percent=percent)
            print(f"\r{line}", end="", file=self.stream, flush=True)

    def _finish(self) -> None:
        if self.live and self.stage:
            print(file=self.stream, flush=True)

    def close(self) -> None:
        self._finish()
        self.stage = ""
