"""A small progress bar: redrawn in place on a terminal, plain lines (every
ten per cent, at most one every few seconds) when the output is a file or a
pipe, so logs of long runs stay readable."""

import time


class Progress:
    def __init__(self, stream, label: str, total: int, *, min_interval: float = 5.0):
        self.stream = stream
        self.label = label
        self.total = max(int(total), 1)
        self.done = 0
        self.started = time.monotonic()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.min_interval = min_interval
        self._last_shown = -1.0
        self._last_tenth = 0

    def advance(self, n: int = 1):
        self.done += n
        now = time.monotonic()
        if self.tty:
            if now - self._last_shown >= 0.2:
                self._draw(now)
        else:
            tenth = min(10, self.done * 10 // self.total)
            if tenth > self._last_tenth and (now - self._last_shown >= self.min_interval or tenth == 10):
                self._last_tenth = tenth
                self._line(now)

    def _text(self, now) -> str:
        share = min(1.0, self.done / self.total)
        return (f"{self.label}: {share:4.0%} ({self.done:,}/{self.total:,}) "
                f"{now - self.started:6.1f} s")

    def _draw(self, now):
        share = min(1.0, self.done / self.total)
        filled = int(share * 30)
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r[{bar}] {self._text(now)}")
        self.stream.flush()
        self._last_shown = now

    def _line(self, now):
        self.stream.write(self._text(now) + "\n")
        self.stream.flush()
        self._last_shown = now

    def close(self) -> float:
        now = time.monotonic()
        self.done = max(self.done, 0)
        if self.tty:
            self._draw(now)
            self.stream.write("\n")
        elif self._last_tenth < 10:
            self._line(now)
        self.stream.flush()
        return now - self.started
