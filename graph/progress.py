"""Step lines with counts and times on a terminal, and a summary at the end of a build."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Progress:
    quiet: bool = False
    steps: list[tuple[str, float, str]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    warnings: list[str] = field(default_factory=list)

    def _print(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    @contextmanager
    def step(self, name: str):
        """Time one step; the body may set ``result['detail']`` to a count shown on its line."""
        result: dict[str, str] = {"detail": ""}
        n = len(self.steps) + 1
        self._print(f"[{n}] {name} ...")
        t0 = time.perf_counter()
        yield result
        dt = time.perf_counter() - t0
        self.steps.append((name, dt, result["detail"]))
        self._print(f"[{n}] {name}: {result['detail']} ({dt:.2f} s)")

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        self._print(f"warning: {text}")

    def summary(self, lines: list[str]) -> None:
        total = time.perf_counter() - self.started
        self._print("-" * 60)
        for line in lines:
            self._print(line)
        self._print(f"total {total:.2f} s in {len(self.steps)} steps")
