"""Why a labelled rep was not counted: the zigzag's turns and the candidate loops in a window.

:mod:`rep_alignment` says which labelled reps were missed and the counter's state around them;
this prints, for one clip and a window of frames, what the counter did there, in order:

- ``turn``: a new turning point of the zigzag (its frame, its size, the hysteresis ``delta`` it
  had to pass and the noise floor ``noise_z`` times the posture's noise inside it);
- ``cand``: a loop offered to :class:`~formcoach.counting.confirm.RepConfirmer` (start, far and
  end frames, span, duration, travel) and which reps it made (by start frame), with the
  unconfirmed loops kept after it;
- ``overlap``: a loop not offered because it began before the last rep's arrival.

A rep without a ``turn`` near its far frame was never a loop (the zigzag measures distance
from the last turn, which a lead-in may leave elsewhere); one with loops that do not chain
was not confirmed; one whose ``delta`` sits on the floor was hidden by the noise estimate.

Found on the RepCount tuning part (main at 43ad42a), the 11 labelled reps missed at a set's
start (``rep_alignment.py --reps --trace``, all classes, without stu4_5 / stu7_4): the noise floor
(``noise_z`` times the posture's noise) is the bar itself at 1 of them only (stu10_5 L05, 0.79);
lowering it for all (``noise_z`` 3 -> 2.25 / 1.5) makes the 5-sampling mean worse, 0.209 ->
0.211 / 0.214. The misses are four other things:

- no loop, the last turn is the lead-in's (stu10_24 L00: 7.0 from the turn at frame 24 all
  through the rep, which moves 1.8 across that line; stu8_45 L00: the turn at 26 is 2.3 from
  the rest reached at 61, more than 0.4 of the 6.2 excursion; stu6_3 L00: 62 -> 94 is 7.9, the
  rep comes back 2.5 of it);
- reps cut in pieces by the pose's own wiggles, as large as the rep (stu10_5 L03-L05: turns every
  7-22 frames of 1.2-1.9 against a range of 1.8; the floor, 0.77, is real jitter there, a
  lower one makes more pieces), which do not chain;
- loops at twice the labelled rate and then no turn for 133 frames (stu10_5 L00-L02);
- squats slower than the slowest cycle counted (stu8_70 L00-L01: 183-237 frames), whose wiggles
  make turns inside the rep.

The 9 tuning reps missed at a set's end (main at cb29e90, same listing) are four things, one
of them a lost rep the counter can see (:mod:`formcoach.counting.lastrep`, round 17):

- the last rep ground out slower than the set (stu6_42 L07: 1294-1354-1597, 10.1 s against
  the set's 4.1 s, x2.4 past ``dur_ratio``, in the set's direction, cos 0.99, and range, 0.94);
  it waited for a look-alike that never came: now counted at the end of the stream;
- the clip ending half a cycle after the counter's last rep, which counts the set from its
  other phase and one rep more at the start (stu10_25 L06, stu5_16 L09): counts right, 7 and 10;
- the last reps leaving the set's movement (stu8_45 L09-L10: cos -0.02 to 0.10 with the set's
  direction; stu6_3 L10-L12: loops of 2 to 2.4 times the set's range, cos -0.23 to 0.25, one
  long loop 1146-1494 counted for three);
- squats slower than ``slowest_hz`` (stu8_70 L03: 237 frames), as at the set's start.

Usage::

    python benchmarks/turn_trace.py [--data ../shared/data] CLIP FIRST LAST

Class-agnostic, as ``formcoach eval counting`` counts. For the tuning part's clips only.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from formcoach.counting import CountWarning, count_reps
from formcoach.counting.confirm import RepConfirmer
from formcoach.counting.counter import RepCounter
from formcoach.counting.excursions import ExcursionTracker
from formcoach.eval.counting import find_clips, load_clip


def traced(seq, lo: int, hi: int) -> list[str]:
    """Count ``seq`` as ``count_reps`` does; the turns and loops of frames ``lo..hi``."""
    log: list[str] = []
    offer0, turn0, after0 = RepConfirmer.offer, ExcursionTracker._turn, RepCounter._after_last

    def offer(self, c, metric):
        out = offer0(self, c, metric)
        if lo <= c.end.index <= hi:
            kept = [(p.start.index, p.end.index) for p in self._unconfirmed]
            log.append(
                f"cand {c.start.index}-{c.far.index}-{c.end.index} span={c.span:.2f} "
                f"dur={c.duration:.2f} travel={c.travel:.2f} -> "
                f"{[x.start.index for x in out]} unconfirmed={kept}"
            )
        return out

    def turn(self, now, metric, delta):
        last = self._turns[-1] if self._turns else None
        turn0(self, now, metric, delta)
        if self._turns and self._turns[-1] is not last and lo <= now.index <= hi:
            t = self._turns[-1]
            floor = self.settings.noise_z * metric.noise
            # the first turn's size is no turn size (not in _sizes): its way from the start
            size = metric.distance(t.pose, last.pose) if last is not None else float("nan")
            log.append(
                f"turn {t.index} size={size:.2f} delta={delta:.2f} "
                f"floor={floor:.2f} (seen at {now.index})"
            )

    def after(self, c):
        ok = after0(self, c)
        if not ok and lo <= c.end.index <= hi:
            log.append(f"overlap {c.start.index}-{c.far.index}-{c.end.index}")
        return ok

    RepConfirmer.offer, ExcursionTracker._turn, RepCounter._after_last = offer, turn, after
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountWarning)
            reps = count_reps(seq)
    finally:
        RepConfirmer.offer, ExcursionTracker._turn, RepCounter._after_last = offer0, turn0, after0
    log.append(f"reps {[(r.start_frame, r.end_frame) for r in reps]}")
    return log


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("clip", help="clip stem, e.g. stu10_5")
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    args = ap.parse_args(argv)
    clips = {Path(c.file).stem: c for c in find_clips(args.data / "counting" / "repcount")}
    if args.clip not in clips:
        ap.error(f"no clip {args.clip!r} in {args.data}/counting/repcount: give a stem")
    print("\n".join(traced(load_clip(clips[args.clip]), args.first, args.last)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
