"""Progress of a batch on stderr: a live bar when stderr is a terminal, nothing otherwise.

tqdm draws the bar (rate, elapsed time, and the ETA when the number of documents is known); we only add
the event and failure counts to it.  Messages written while the bar is shown go through tqdm so the bar
is redrawn below them instead of being torn.
"""
from __future__ import annotations

from typing import IO, Self


def is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or file-like stream without isatty
        return False


class Progress:
    """Counts documents, events and failures; shows them on ``stream`` when it is a terminal.

    ``enabled``: None (default) shows the bar only on a terminal; True/False force it on/off.
    ``total``: expected number of documents, when known (gives an ETA).
    """

    def __init__(self, stream: IO[str], total: int | None = None, enabled: bool | None = None,
                 min_interval: float = 0.2):
        self.stream = stream
        self.documents = 0
        self.events = 0
        self.failures = 0
        self.skipped = 0
        self._bar = None
        if enabled is None:
            enabled = is_terminal(stream)
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=stream, unit="doc", dynamic_ncols=True, leave=False,
                             mininterval=min_interval, desc="sitrep")

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def update(self, documents: int = 0, events: int = 0, failures: int = 0, skipped: int = 0) -> None:
        self.documents += documents
        self.events += events
        self.failures += failures
        self.skipped += skipped
        if self._bar is None:
            return
        post = {"events": self.events, "failures": self.failures}
        if self.skipped:
            post["stored"] = self.skipped
        self._bar.set_postfix(post, refresh=False)
        self._bar.update(documents + failures + skipped)

    def write(self, message: str) -> None:
        """One line on the stream, above the bar when one is shown."""
        if self._bar is None:
            print(message, file=self.stream)
        else:
            self._bar.write(message, file=self.stream)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()  # leave=False: the bar disappears; the caller prints one summary line
            self._bar = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
