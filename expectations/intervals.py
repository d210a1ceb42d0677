"""Arithmetic on stated figures as intervals: 107.70万元 means [1,076,950, 1,077,050] 元, never the float 1077000."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @classmethod
    def stated(cls, value: float, precision: float) -> Interval:
        return cls(value - precision, value + precision)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def entirely_above(self, other: Interval) -> bool:
        return self.low > other.high

    def entirely_below(self, other: Interval) -> bool:
        return self.high < other.low

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


def interval_sum(items: Iterable[Interval]) -> Interval:
    total = Interval(0.0, 0.0)
    for item in items:
        total = total + item
    return total
