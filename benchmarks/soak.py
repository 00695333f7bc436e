"""A long live session in accelerated time: does anything grow, slow down or get lost?

A synthetic person trains for ``--minutes`` of 30 fps stream: sets of bicep curls and squats
(side view), each item of the plan a few sets, every set after a standing rest; the rests
(15-40 s), the tempo (2.2-3.4 s a rep) and the reps per item (8-12) vary. Everything after
the pose model runs for real, as in ``formcoach session``: the One-Euro cleaning, the
streaming :class:`~formcoach.counting.RepCounter`, the :class:`~formcoach.form.judge.FormJudge`,
the :class:`~formcoach.session.Coach`, the SQLite :class:`~formcoach.store.Store` (a file),
and the espeak-ng speaker writing every line to a WAV file.

Frames are pushed as fast as the coach takes them. The speaker, which in a live session has
seconds between two lines, is let catch up once per second of stream (that wait is not
counted as frame cost). Reported:

- RSS (resident memory) at the start of the stream and at its end;
- per-frame cost (main-thread CPU, and wall time) over the first and the last ten minutes
  of the stream, per exercise (their mix differs between the two windows) and overall;
- reps in the stream, reps the counter emitted, reps the coach recorded, rows stored.

Targets (issue 12): RSS growth <= 50 MB; last-ten-minute cost within 10 % of the first;
every emitted rep stored.

Usage::

    python benchmarks/soak.py [--minutes 60] [--seed 0] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MOVE = {"bicep_curl": "curl", "squat": "squat"}
EXERCISES = tuple(MOVE)
WINDOW_S = 600.0


@dataclass(frozen=True)
class SetPlan:
    exercise: str
    reps: int
    rest_s: float
    period_s: float


def make_plan(minutes: float, seed: int) -> list[list[SetPlan]]:
    """Items (lists of sets of one exercise): a ten-minute cycle of varied sets, repeated
    until the stream lasts ``minutes`` (so its first and last ten minutes hold the same
    work, and any change in cost between them is the session's own drift)."""
    rng = np.random.default_rng(seed)
    cycle: list[list[SetPlan]] = []
    total, k = 0.0, 0
    while total < min(minutes * 60, WINDOW_S):
        exercise = EXERCISES[k % 2]
        reps = int(rng.integers(8, 13))
        sets = []
        for _ in range(int(rng.integers(3, 7))):
            s = SetPlan(exercise, reps, float(rng.uniform(15, 40)), float(rng.uniform(2.2, 3.4)))
            sets.append(s)
            total += s.rest_s + s.reps * s.period_s + 0.5
            if total >= min(minutes * 60, WINDOW_S):
                break
        cycle.append(sets)
        k += 1
    return cycle * max(1, round(minutes * 60 / total))


def rss_mb() -> float:
    """Resident memory of this process (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class Reference:
    """The same kinds of work on fixed input with fresh objects (cleaning, counting and
    judging one rep of each exercise), timed between sets: how fast the machine is at that
    moment, whatever the session has accumulated. Frame costs are compared in its units,
    so other programs slowing the machine do not pass for drift."""

    def __init__(self) -> None:
        from formcoach.form.exercises import get_exercise
        from formcoach.form.judge import FormJudge
        from formcoach.testing.workout import Workout

        self.inputs = {}
        for name in EXERCISES:
            ex = get_exercise(name)
            seq, _ = Workout().hold(1.0).reps(MOVE[name], [2.8, 2.8]).hold(1.0).build(seed=99)
            rep = seq[30 : 30 + round(2.8 * 30)]
            self.inputs[name] = (ex, seq, rep, FormJudge(ex))

    def cost_ms(self, name: str) -> float:
        """Main-thread CPU milliseconds per frame of the reference work for ``name``."""
        from formcoach.counting import RepCounter
        from formcoach.pose.cleaning import StreamCleaner

        ex, seq, rep, judge = self.inputs[name]
        c0 = time.thread_time()
        cleaner, counter = StreamCleaner(seq.skeleton), RepCounter(exercise=ex)
        for pose in seq:
            counter.update(cleaner(pose))
        counter.finish()
        judge.judge(rep)
        return 1e3 * (time.thread_time() - c0) / len(seq)


class SoakSource:
    """The synthetic stream, built set by set (so its frames never pile up in memory), timing
    the coach's work on every frame it hands out."""

    live = False
    fps = 30.0
    frame_size = (640, 480)
    frame_count = None
    description = "soak stream"
    path = None

    def __init__(self, items: list[list[SetPlan]], seed: int, speaker) -> None:
        from formcoach.core.skeleton import COMMON

        self.items = items
        self.seed = seed
        self.speaker = speaker
        self.skeleton = COMMON
        # (frame, [t, exercise, cycle, cpu s, wall s]): allocated and touched before the stream,
        # so the measurement itself neither grows the RSS nor burdens the garbage collector
        longest = sum(s.rest_s + s.reps * s.period_s + 3.0 for i in items for s in i)
        self.costs = np.full((int(longest * self.fps) + 1000, 5), np.nan)
        self.frames = 0
        self.rss: list[tuple[float, float]] = []  # (stream minute, RSS MB), every minute
        self.reference = Reference()
        self.ref: list[tuple[int, int, float]] = []  # (cycle, exercise, ms per frame) per set
        self.true_reps = 0

    def _set_poses(self, s: SetPlan, k: int):
        from formcoach.testing.workout import Workout

        w = Workout().hold(s.rest_s).reps(MOVE[s.exercise], [s.period_s] * s.reps).hold(0.5)
        seq, true = w.build(noise_px=0.8, seed=self.seed * 1000 + k)
        self.true_reps += len(true)
        return seq

    def __iter__(self) -> Iterator:
        from formcoach.core.pose import Pose
        from formcoach.pose.sources import TrackedFrame

        index, t0, k = 0, 0.0, 0
        per_cycle = sum(len(i) for i in self.items[: self._cycle_items()])
        for item in self.items:
            for s in item:
                seq = self._set_poses(s, k % per_cycle)  # a cycle repeats the same poses
                cycle = k // per_cycle
                k += 1
                ex = EXERCISES.index(s.exercise)
                self.ref.append((cycle, ex, self.reference.cost_ms(s.exercise)))
                for i in range(len(seq)):
                    t = t0 + float(seq.timestamps[i])
                    pose = Pose(seq.xy[i], seq.visibility[i], t, index, seq.skeleton)
                    if index % 30 == 0:
                        self.speaker.wait(30.0)  # live, a line has seconds to be spoken
                    if index % 1800 == 0:
                        self.rss.append((index / 1800, rss_mb()))
                    c0, w0 = time.thread_time(), time.perf_counter()
                    yield TrackedFrame(pose)
                    c1, w1 = time.thread_time(), time.perf_counter()
                    self.costs[index] = (t, ex, cycle, c1 - c0, w1 - w0)
                    index += 1
                    self.frames = index
                t0 += len(seq) / self.fps

    def _cycle_items(self) -> int:
        """Items in one cycle of the plan (it repeats the same exercises and sets)."""
        for n in range(1, len(self.items) + 1):
            if len(self.items) % n == 0 and self.items == self.items[:n] * (len(self.items) // n):
                return n
        return len(self.items)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def _window_ms(sel: np.ndarray, ref: list[float]) -> dict[str, float] | None:
    if not len(sel):
        return None
    cpu, wall = 1e3 * sel[:, 3].mean(), 1e3 * sel[:, 4].mean()
    out = {"frames": len(sel), "cpu_ms": cpu, "wall_ms": wall}
    if ref:
        out["reference_ms"] = float(np.mean(ref))
        out["cpu_in_reference_units"] = cpu / out["reference_ms"]
    return out


def cost_report(costs: np.ndarray, ref: list[tuple[int, int, float]]) -> dict:
    """Mean per-frame cost in the first and the last ten-minute cycle of the stream (the
    same sets, frame for frame), overall and per exercise; raw, and in units of the
    reference work timed between the sets of that cycle."""
    out: dict = {}
    cycles = (costs[0, 2], costs[-1, 2])
    for k, name in enumerate(("all", *EXERCISES)):
        mine = np.ones(len(costs), bool) if name == "all" else costs[:, 1] == k - 1
        first, last = (
            _window_ms(
                costs[mine & (costs[:, 2] == c)],
                [r for cy, ex, r in ref if cy == c and (name == "all" or ex == k - 1)],
            )
            for c in cycles
        )
        out[name] = {"first_10_min": first, "last_10_min": last}
        if first and last:
            out[name]["cpu_ratio"] = last["cpu_ms"] / first["cpu_ms"]
            if "reference_ms" in first and "reference_ms" in last:
                out[name]["ratio_in_reference_units"] = (
                    last["cpu_in_reference_units"] / first["cpu_in_reference_units"]
                )
    return out


class CountingCounter:
    """A RepCounter that also counts what it emits."""

    emitted = 0

    def __init__(self, exercise) -> None:
        from formcoach.counting import RepCounter

        self.inner = RepCounter(exercise=exercise)

    def update(self, pose):
        reps = self.inner.update(pose)
        CountingCounter.emitted += len(reps)
        return reps

    def finish(self):
        reps = self.inner.finish()
        CountingCounter.emitted += len(reps)
        return reps


def run(minutes: float, seed: int, folder: Path, costs_file: Path | None = None) -> dict:
    from formcoach.form.exercises import get_exercise
    from formcoach.form.judge import FormJudge
    from formcoach.session import Coach, SessionConfig
    from formcoach.store import Store, WorkoutItem
    from formcoach.voice.listener import ScriptedListener
    from formcoach.voice.speaker import make_speaker

    items = make_plan(minutes, seed)
    plan = [WorkoutItem(i[0].exercise, sets=len(i), reps=i[0].reps, rest_s=30) for i in items]
    store = Store(folder / "soak.db", validate_exercise=get_exercise)
    store.add_profile("soak", plan={d: plan for d in range(7)})
    speaker = make_speaker("espeak", out_dir=folder / "speech", output="files", echo=None)
    source = SoakSource(items, seed, speaker)
    recorded = []
    coach = Coach(
        SessionConfig(profile="soak", rest_scale=0.0),
        store,
        speaker,
        ScriptedListener(["yes"]),
        None,
        open_source=lambda: source,
        get_exercise=get_exercise,
        make_counter=CountingCounter,
        make_judge=lambda ex: FormJudge(ex),
        echo=None,
    )
    store.add_rep = _recording(store.add_rep, recorded)  # type: ignore[method-assign]
    rss0, t0 = rss_mb(), time.perf_counter()
    result = coach.run()
    wall = time.perf_counter() - t0
    speaker.close()
    rss1 = rss_mb()
    costs = source.costs[: source.frames]
    if costs_file is not None:
        np.save(costs_file, costs)  # columns: t, exercise, cycle, cpu s, wall s
    stream_s = float(costs[-1, 0]) if len(costs) else 0.0
    stored = sum(1 for r in store.reps_of("soak") if r["number"] is not None)
    store.close()
    wavs = sum(1 for _ in (folder / "speech").glob("*.wav"))
    return {
        "minutes": round(stream_s / 60, 2),
        "frames": len(costs),
        "sets": sum(len(i) for i in items),
        "wall_s": round(wall, 1),
        "status": result.status,
        "rss_mb": {
            "start": round(rss0, 1),
            "end": round(rss1, 1),
            "growth": round(rss1 - rss0, 1),
            "every_10_min": [round(m, 1) for k, m in source.rss if k % 10 == 0],
        },
        "per_frame": cost_report(costs, source.ref),
        "reps": {
            "in_stream": source.true_reps,
            "emitted": CountingCounter.emitted,
            "recorded": len(recorded),
            "stored": stored,
        },
        "speech_files": wavs,
    }


def _recording(add_rep, log: list):
    def add(set_id, rep):
        row = add_rep(set_id, rep)
        log.append(row)
        return row

    return add


def targets(r: dict) -> dict[str, bool]:
    ratios = [
        v.get("ratio_in_reference_units", v.get("cpu_ratio"))
        for k, v in r["per_frame"].items()
        if k != "all" and "cpu_ratio" in v
    ]
    reps = r["reps"]
    return {
        "rss_growth_le_50mb": bool(r["rss_mb"]["growth"] <= 50),
        "last_10_min_within_10pct": bool(ratios) and bool(max(ratios) <= 1.10),
        "every_emitted_rep_stored": reps["emitted"] == reps["recorded"] == reps["stored"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0, help="stream length (minutes)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--costs", type=Path, help="save every frame's cost here (.npy)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="formcoach-soak-") as tmp:
        report = run(args.minutes, args.seed, Path(tmp), args.costs)
    report["targets"] = targets(report)
    if args.json:
        print(json.dumps(report, default=float))
    else:
        print(json.dumps(report, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
