"""Progress bars on long uploads and pushes, only when a person is watching a terminal."""
from __future__ import annotations

import sys
from typing import Any


class Progress:
    """A tqdm bar when stderr is a terminal and tqdm is installed; otherwise nothing at all."""

    def __init__(self, total: int, description: str, unit: str, enabled: bool | None = None) -> None:
        self.bar: Any = None
        wanted = sys.stderr.isatty() if enabled is None else enabled
        if wanted:
            try:
                from tqdm import tqdm
            except ImportError:
                return
            scale = unit == "B"
            self.bar = tqdm(total=total, desc=description, unit=unit, unit_scale=scale, unit_divisor=1024 if scale else 1000)

    def advance(self, amount: int) -> None:
        """Moves the bar by ``amount`` units."""
        if self.bar is not None:
            self.bar.update(amount)

    def close(self) -> None:
        """Ends the bar."""
        if self.bar is not None:
            self.bar.close()
