"""Which candidate loops are repetitions: the ones that repeat.

A loop in posture space is a repetition when it looks like the repetitions around it: the same
direction of movement, a similar range and a similar duration. :class:`RepConfirmer` keeps a
*template* of the current set (the average of its last few reps):

- a candidate similar to the template, starting from the template's rest side (not from its
  far side: that would be the second half of one rep and the first half of the next), is a
  repetition straight away;
- otherwise it waits among a few *unconfirmed* candidates (one copy of each loop); when a
  later candidate is similar to an unconfirmed one (and starts after it ended, from the same
  side), both are repetitions and become the new template. This is how a set starts (its
  first rep is emitted when the second ends) and how a new exercise takes over.

Walking in, setting up, racking the bar or scratching an ear make loops that nothing similar
follows: they stay unconfirmed and are dropped. A loop like the template but slower (a set's
last rep, ground out) is remembered (:attr:`RepConfirmer.slower`) until the next rep: at the
stream's end it is the set's last rep (:mod:`~formcoach.counting.lastrep`). A stream that never
repeated anything may still hold one lone repetition (a clip cut around one rep):
:meth:`RepConfirmer.lone` gives it at the end of the stream when it dominates the stream
(nothing else moved half as much) and is a movement of about a torso length
(``lone_min_range``).

**A known exercise** (:class:`~formcoach.counting.expected.ExpectedRep`) is the first template
the counter has, before any rep: a candidate that moves the way the exercise does (its
direction from rest to far, starting on the rest side) over at least ``prior_share`` of the
exercise's range of motion is a repetition at once, so a single rep, slow reps with pauses and
the first rep of a set need nothing to repeat them. Such a clear rep also confirms the loops
before it that it repeats and that move the exercise's way short of ``prior_share``: they
waited for a look-alike, as a set's first reps do when counting without the exercise (RepCount
stu10_24, front raises: the set's second rep covered 0.49 of the range, its third 0.50; the
third counted alone and the second was dropped with the loops that waited). A candidate that
moves the other way (toward the exercise's rest) is never a repetition of that exercise by
itself; it only continues a set counted from its far end, like the set's reps
(:mod:`~formcoach.counting.backward`: a set whose first reps are none of them the exercise's
movement beyond doubt is a set start, counted from the end it was entered from; so is one that a
clear rep begins or that resumes after a pause, which keeps the exercise's rest unless it
missed its first rep, :mod:`~formcoach.counting.leadin`). Any
other movement toward its far pose still counts once it repeats, as above, as a coach counts a
faulty rep to correct it: a smaller one (a range the camera view foreshortens, a shrug that
barely rises), one starting nearer the far pose than the rest (squats that never stand up) or
one off the exercise's direction (from the front, knees caving in open the hips' angle in the
image while the knees close). Alone, such a movement says too little to be counted
(:meth:`RepConfirmer.lone` gives only the exercise's movement beyond doubt).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from formcoach.counting.backward import runs_back
from formcoach.counting.candidates import Candidate
from formcoach.counting.expected import ExpectedRep
from formcoach.counting.settings import CountSettings
from formcoach.counting.smallops import cosine, nan_to_zero

__all__ = ["RepConfirmer", "Template"]

Distance = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True, eq=False)
class Template:
    """The typical repetition of the current set.

    Attributes:
        rest: (D,) mean start pose; far: (D,) mean far pose.
        direction: (D',) mean mirror-invariant movement vector.
        span: median mirror-invariant range; duration: median duration, seconds.
    """

    rest: np.ndarray
    far: np.ndarray
    direction: np.ndarray
    span: float
    duration: float


def _mean(poses: list[np.ndarray]) -> np.ndarray:
    """Mean posture, ignoring features never seen (NaN where none saw them)."""
    stack = np.array(poses)
    seen = ~np.isnan(stack)
    n = seen.sum(axis=0)
    total = np.where(seen, stack, 0.0).sum(axis=0)
    return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def _overlap(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates share frames."""
    return a.start.index <= b.end.index and b.start.index <= a.end.index


@dataclass(eq=False)
class RepConfirmer:
    """Accepts candidate loops that repeat the set's template or each other.

    Args:
        settings: the counter's settings.
        mirror: maps a posture vector to its left/right-invariant view (D') for comparisons.
        prior: the exercise's expected rep, when the exercise is known.
    """

    settings: CountSettings = field(default_factory=CountSettings)
    mirror: Callable[[np.ndarray], np.ndarray] = lambda f: f
    prior: ExpectedRep | None = None

    def __post_init__(self) -> None:
        self._reps: deque[Candidate] = deque(maxlen=self.settings.template_reps)
        self._unconfirmed: deque[Candidate] = deque(maxlen=self.settings.unconfirmed_kept)
        self.accepted = 0
        self._largest: list[Candidate] = []  # the largest movements offered, for lone()
        #: whether the movement repeats now (:class:`~formcoach.counting.periodicity.PeriodTracker`)
        self.repeats = False
        self._template: Template | None = None
        #: whether the last accepted reps began a set (a new template, or the first rep after
        #: a pause longer than a rep), and the rep accepted before that set (None if none)
        self.set_start = False
        self.before: Candidate | None = None
        #: the newest loop since the last rep like the set's reps but slower (:mod:`lastrep`)
        self.slower: Candidate | None = None

    @property
    def template(self) -> Template | None:
        """The current set's typical rep, or ``None`` before the first confirmed pair."""
        return self._template

    def _refresh(self) -> None:
        reps = list(self._reps)
        self._template = Template(
            rest=_mean([c.start.pose for c in reps]),
            far=_mean([c.reach for c in reps]),
            direction=np.mean([self._dir(c) for c in reps], axis=0),
            span=float(np.median([np.linalg.norm(self._dir(c)) for c in reps])),
            duration=float(np.median([c.duration for c in reps])),
        )

    def _dir(self, c: Candidate) -> np.ndarray:
        return nan_to_zero(self.mirror(c.reach) - self.mirror(c.origin))

    def _similar(self, c: Candidate, direction: np.ndarray, span: float, duration: float) -> bool:
        s = self.settings
        d = self._dir(c)
        ratio = float(np.linalg.norm(d)) / max(span, 1e-9)
        dur = c.duration / max(duration, 1e-9)
        return (
            cosine(d, direction) >= s.similar_cos
            and 1.0 / s.amp_ratio <= ratio <= s.amp_ratio
            and 1.0 / s.dur_ratio <= dur <= s.dur_ratio
        )

    def like_but_slower(self, c: Candidate, t: Template, metric: Distance) -> bool:
        """Whether ``c`` is a rep of the set ``t`` in all but its pace, slower: its direction,
        its range (within ``amp_ratio``), its start on the rest side, a longer duration (a
        rep is ground out or held when tired, never hurried to a fraction of the set's)."""
        return (
            c.duration > t.duration
            and self._similar(c, t.direction, t.span, c.duration)  # any longer duration
            and self._same_side(c, t.rest, t.far, metric)
        )

    @staticmethod
    def _same_side(c: Candidate, rest: np.ndarray, far: np.ndarray, metric: Distance) -> bool:
        return metric(c.start.pose, rest) <= metric(c.start.pose, far)

    def _moving(self, c: Candidate) -> tuple[np.ndarray, np.ndarray]:
        """(D,) ``c``'s movement from its start to its far pose, and (D,) bool the known
        drive features that move in it (at least a quarter as much as the one that moves
        most): a hidden arm's frozen value, or a one-arm rep, says nothing about the other
        arm."""
        p = self.prior
        assert p is not None
        d = nan_to_zero(c.reach - c.start.pose)
        moving = np.abs(d) >= 0.25 * float(np.abs(d[p.known]).max(initial=0.0))
        return d, moving & p.known

    def prior_share(self, c: Candidate) -> float | None:
        """The share of the exercise's range of motion ``c`` covers toward the exercise's far
        pose (measured on the drive features that move in it), or None when it moves the
        other way (toward rest: the second half of a rep and the first of the next) or
        moves none of the exercise's known features."""
        p = self.prior
        if p is None:
            return float("inf")
        _, moving = self._moving(c)
        if not moving.any():
            return None
        start, far = p.progress(c.start.pose, moving), p.progress(c.reach, moving)
        if not (np.isfinite(start) and np.isfinite(far)) or far <= start:
            return None
        return far - start

    def its_way(self, c: Candidate) -> bool:
        """Whether ``c`` is the exercise's movement beyond doubt: in its direction from rest to
        far, starting on the rest side (nearer the exercise's rest than its far pose)."""
        p = self.prior
        if p is None:
            return True
        d, _ = self._moving(c)
        if cosine(np.where(p.known, d, 0.0), p.direction) < self.settings.similar_cos:
            return False
        return self.progress(c.start.pose, c) <= 0.5

    def progress(self, pose: np.ndarray, c: Candidate) -> float:
        """Where ``pose`` (D,) lies from the known exercise's rest (0) to its far pose (1),
        along the drive features that move in ``c`` (NaN when none does)."""
        assert self.prior is not None
        _, moving = self._moving(c)
        return self.prior.progress(pose, moving) if moving.any() else float("nan")

    def _goes_on(self, c: Candidate, t: Template | None, metric: Distance) -> bool:
        """Whether ``c``, the exercise's movement the other way round beyond doubt
        (:func:`~formcoach.counting.backward.runs_back`), continues a set counted from its far
        end (``t``, the set's template, runs that way and ``c`` is like it)."""
        p = self.prior
        if p is None or t is None:
            return False
        d, moving = self._moving(c)
        return (
            runs_back(p, c.start.pose, d, moving, self.settings.similar_cos)
            and self._similar(c, t.direction, t.span, t.duration)
            and self._same_side(c, t.rest, t.far, metric)
        )

    def clear_rep(self, c: Candidate) -> bool:
        """Whether ``c`` is a rep of the known exercise by itself, with nothing to repeat it:
        its movement beyond doubt (:meth:`its_way`) over at least ``prior_share`` of its
        range of motion."""
        share = self.prior_share(c)
        return (
            self.prior is not None
            and share is not None
            and share >= self.settings.prior_share
            and self.its_way(c)
        )

    def offer(self, c: Candidate, metric: Distance) -> list[Candidate]:
        """Judge one candidate; return the candidates now accepted as reps, oldest first."""
        s = self.settings
        if c.duration < s.shortest_rep_s or c.travel > s.step_torsos:
            return []
        share = self.prior_share(c)
        t = self._template
        if share is None and not self._goes_on(c, t, metric):
            return []  # the exercise's movement the other way, or none of it
        self._note(c)
        last = self._reps[-1] if self._reps else None
        clear = self.clear_rep(c)
        if clear or (
            t is not None
            and self._similar(c, t.direction, t.span, t.duration)
            and self._same_side(c, t.rest, t.far, metric)
        ):
            accepted = self._waited_for(c, metric) if clear else [c]
            self._reps.extend(accepted)
            paused = t is None or last is None or c.start.time - last.end.time > t.duration
            self.set_start = paused
        else:
            accepted = self._chain(c, metric)
            if not accepted:
                self._wait(c)
                if t is not None and self.like_but_slower(c, t, metric):
                    self.slower = c
                return []
            self._reps.clear()
            self._reps.extend(accepted)
            self.set_start = self.prior is None or not any(self.its_way(x) for x in accepted)
        self.before = last if self.set_start else None
        self.slower = None
        self._unconfirmed.clear()
        self._refresh()
        self.accepted += len(accepted)
        return accepted

    def entered_like(self, entry: Candidate, first: Candidate) -> bool:
        """Whether ``entry`` (from the far pose of the set's ``first`` rep to its start and back
        to its far pose) is the same movement as ``first`` the other way round."""
        d = self._dir(first)
        return self._similar(entry, -d, float(np.linalg.norm(d)), first.duration)

    def rephase(self, old: int, reps: list[Candidate]) -> None:
        """Replace the last ``old`` accepted reps by ``reps`` (the same set counted from its
        other end, :mod:`~formcoach.counting.phase`): they alone are the template now (the
        reps before, counted from the other end, would blur it)."""
        assert len(reps) == old
        self._reps.clear()
        self._reps.extend(reps)
        self._refresh()

    def _chain(self, c: Candidate, metric: Distance) -> list[Candidate]:
        """``c`` and the unconfirmed candidates it repeats, as successive reps (or nothing)."""
        like = [
            p
            for p in self._unconfirmed
            if p.far.index < c.start.index
            and self._similar(c, self._dir(p), float(np.linalg.norm(self._dir(p))), p.duration)
            and self._same_side(c, p.start.pose, p.reach, metric)
        ]
        if not like:
            return []
        chain = [c]
        for p in sorted(like, key=lambda p: -p.far.index):  # newest first, each before the next
            if p.far.index < chain[0].start.index:
                chain.insert(0, p)
        small = min(x.span for x in chain) < self.settings.lone_min_range
        if len(chain) < 3 and small and not self.repeats:
            return []  # two small look-alikes may be chance: wait for a third, or a rhythm
        return chain

    def _waited_for(self, c: Candidate, metric: Distance) -> list[Candidate]:
        """A clear rep ``c`` and, before it, the loops it repeats (:meth:`_chain`) that are the
        exercise's movement beyond doubt (:meth:`its_way`) short of ``prior_share`` of its
        range: they waited for a look-alike, and ``c`` is one (a set's first reps a little
        smaller than the next, or foreshortened by the view)."""
        return [p for p in self._chain(c, metric) if p is not c and self.its_way(p)] + [c]

    def _wait(self, c: Candidate) -> None:
        """Keep ``c`` among the unconfirmed candidates. The same loop (the same start, far and
        end frames, reached from another possible start) is one candidate: its copies would
        push the set's first reps out of the few kept, and whether they did would hinge on how
        many possible starts a frame more or less made."""
        key = (c.start.index, c.far.index, c.end.index)
        for p in [p for p in self._unconfirmed if (p.start.index, p.far.index, p.end.index) == key]:
            self._unconfirmed.remove(p)
        self._unconfirmed.append(c)

    def _note(self, c: Candidate) -> None:
        """Remember ``c`` among the two largest movements offered that do not overlap."""
        kept = [o for o in self._largest if not _overlap(o, c)]
        same = [o for o in self._largest if o not in kept]
        top = max([c, *same], key=lambda o: o.span)
        self._largest = sorted([*kept, top], key=lambda o: -o.span)[:2]

    def dominant(self) -> tuple[Candidate | None, float]:
        """The largest movement offered so far and the size of the largest other one that
        does not overlap it in time (0 when there is none)."""
        if not self._largest:
            return None, 0.0
        other = self._largest[1].span if len(self._largest) > 1 else 0.0
        return self._largest[0], other

    def lone(self) -> Candidate | None:
        """At the end of a stream that counted nothing: its one clear repetition, if any.

        It is the largest movement offered, when nothing else offered moved half as much (a
        recording cut around one rep; two similar movements would have confirmed each other)
        and its range reaches ``lone_min_range``.
        """
        best, other = self.dominant()
        if self.accepted or best is None or other >= 0.5 * best.span or not self.its_way(best):
            return None
        return best if best.span >= self.settings.lone_min_range else None
