"""Counts of what optimization passes did (fused, folded, removed), for conversion reports."""

from __future__ import annotations

from collections import Counter

_COUNTS: Counter[str] = Counter()


def record(what: str, count: int = 1) -> None:
    """Count one rewrite, e.g. `record("fused RELU into tfl.add")`."""
    _COUNTS[what] += count


def take() -> dict[str, int]:
    """The counts since the last call, then reset them."""
    counts = dict(_COUNTS)
    _COUNTS.clear()
    return counts
