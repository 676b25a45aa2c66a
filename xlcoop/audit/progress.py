"""A small progress bar on stderr (no dependency): redrawn in place on a terminal, a line per
tenth otherwise, so logs of a batch run stay readable."""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, total: int, stream: TextIO, enabled: bool | None = None,
                 label: str = "extract") -> None:
        self.total, self.stream, self.label = total, stream, label
        self.done = 0
        self.start = time.perf_counter()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.enabled = True if enabled is None else enabled
        self._last_draw = 0.0
        self._last_tenth = -1

    def update(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.tty:
            if now - self._last_draw >= 0.1 or self.done >= self.total:
                self._last_draw = now
                self.stream.write("\r" + self.line(now))
                self.stream.flush()
        else:
            tenth = self.done * 10 // max(self.total, 1)
            if tenth != self._last_tenth:
                self._last_tenth = tenth
                self.stream.write(self.line(now) + "\n")
                self.stream.flush()

    def line(self, now: float) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * frac)
        elapsed = now - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        return (f"{self.label} {frac * 100:5.1f}% |{'█' * filled}{'·' * (WIDTH - filled)}| "
                f"{self.done}/{self.total}  {elapsed:5.1f} s  nog ~{eta:4.0f} s")

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
