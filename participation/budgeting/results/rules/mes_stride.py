"""Which ranges of increments the add1 loop tries to skip, under exact certificates."""

from __future__ import annotations

import math
from fractions import Fraction

from .mes_certificate import line_certificate
from .mes_setup import MesSetup


class Stride:
    """Chooses the ranges to certify after each run.

    A certificate proves its whole window, part of it (up to where a check's lines cross)
    or nothing. After a change of outcome the first window reaches twice the last piece
    (the increments one outcome lasted) and grows fourfold while whole proofs come back,
    up to half of the last window that failed. A partial proof usually stops 85-100% of
    the way to the real change, so one shorter window follows from there (half of what
    was proven) and the next run goes where that one stops; when a run there still finds
    the same outcome, its first window is as long as that last proof. A proof of nothing
    narrows to where a failing check's lines cross, or (soon after a change, when long
    windows are loose at their far end) to an eighth. Where even the run's own next
    increment fails in a short window, no certificates are tried for a few runs (1, 4, 16,
    64 in a row): where the outcome changes at nearly every increment (small per-voter
    budgets, e.g. Lodz) the loop is then a plain one-by-one loop.
    """

    def __init__(self, setup: MesSetup, base: Fraction, last_k: int | None) -> None:
        self.setup, self.base, self.last_k = setup, base, last_k
        self.pause, self.backoff = 0, 1
        self.piece: tuple[list[int], int] = ([], 0)  # current winners, increment they began
        self.piece_length = 4  # how many increments the last finished piece lasted
        self.near = 0  # a window for the next run, when a partial proof stopped short of it

    def restart(self, length: int) -> None:
        """A fresh start for one outcome that has lasted `length` increments so far."""
        self.piece, self.piece_length = ([], 0), length
        self.near, self.pause, self.backoff = 0, 0, 1

    def cover(self, winners: list[int], k: int) -> int:
        """The last increment known to give `winners` (at least k, where they were found).

        Increments past k count only when an exact certificate proves them."""
        fresh = winners != self.piece[0]
        if fresh:  # a new piece: its first windows are long, loose at the far end
            if self.piece[0]:
                self.piece_length = max(1, k - self.piece[1])
            self.piece = (winners, k)
        # the last proof stopped just before k (same winners): the change is near
        window = self.near if self.near and not fresh else 2 * self.piece_length
        self.near = 0
        covered = k
        if self.pause:  # a plain one-by-one stretch: certificates kept failing
            self.pause -= 1
            return covered
        ceiling = None  # half the last window that failed (its far end was too loose)
        target, closing = k, False  # closing: a proof stopped short, the change is near
        while self.last_k is None or covered < self.last_k:
            start = covered + 1
            target = start + window - 1
            if self.last_k is not None:
                target = min(target, self.last_k)
            reach, hint = line_certificate(
                self.setup, winners, self.base + start, self.base + target
            )
            end = min(target, self._last_increment(reach)) if reach else start - 1
            if end == target:
                covered = target
                window = 4 * window if ceiling is None else max(window, min(4 * window, ceiling))
                continue
            ceiling = max(1, (target - start + 1) // 2)
            proven = end - start + 1
            if proven > 0:
                covered = end
                if closing:  # the second stop in a row: the change is right after it
                    self.near = max(4, proven)
                    break
                # proofs stop 85-100% of the way to the change (or short in a loose long
                # window): a short window from there stops at it
                closing, window = True, max(4, proven // 2 if 8 * proven >= window else 2 * proven)
                continue
            if closing:
                break  # nothing proven right after a stop: the change is there
            end = math.ceil(hint - self.base) - 1 if hint is not None else start - 1
            if start <= end < target:  # retry up to where the failing check's lines cross
                window = end - start + 1
                continue
            if fresh and target - start >= 8:  # nothing proven, not even `start`, so
                window //= 8  # soon after a change: its far end is likely too loose
                continue
            break  # where a change was expected, it is likely here: a fresh run
        if covered == k and target - k <= 8:  # not even k + 1 in a short window: the outcome
            # may really change at every increment
            self.pause, self.backoff = self.backoff, min(4 * self.backoff, 64)
        else:
            self.backoff = 1
        return covered

    def _last_increment(self, reach: tuple[Fraction, bool]) -> int:
        """The last k with base + k inside a certificate's reach."""
        x, inclusive = reach
        return math.floor(x - self.base) if inclusive else math.ceil(x - self.base) - 1
