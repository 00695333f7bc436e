"""Counting on synthetic workouts whose repetitions are known exactly."""

from __future__ import annotations

import itertools
import tracemalloc
import warnings
from dataclasses import dataclass

import numpy as np
import pytest

from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.rep import Rep
from formcoach.core.skeleton import BLAZEPOSE_33, COMMON
from formcoach.counting import CountSettings, CountWarning, RepCounter, count_reps, stream_reps
from formcoach.pose.cleaning import clean
from formcoach.testing.workout import FPS, MOVES, TrueRep, Workout


def check_reps(reps: list[Rep], truth: list[TrueRep], far_tol_s: float = 0.45) -> None:
    """Same number of reps, each emitted rep at a true rep (its far point matches), in order."""
    got = [(r.number, round(r.features["far_s"], 2)) for r in reps]
    want = [round(t.far_s, 2) for t in truth]
    assert len(reps) == len(truth), f"counted {got}, expected far points at {want}"
    for r, t in zip(reps, truth, strict=True):
        assert abs(r.features["far_s"] - t.far_s) <= far_tol_s, f"rep {r.number}: {got} vs {want}"
        assert r.start_s <= t.far_s <= r.end_s
    assert [r.number for r in reps] == list(range(1, len(reps) + 1))


def latencies(reps: list[Rep], truth: list[TrueRep]) -> np.ndarray:
    """Seconds from each true rep's end to the frame that emitted it."""
    return np.array([r.emitted_frame / FPS - t.end_s for r, t in zip(reps, truth, strict=True)])


# --- sets of one movement ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("move", "view"), [("curl", "side"), ("squat", "side"), ("raise", "front"), ("curl", "front")]
)
def test_a_set_is_counted_rep_by_rep(move, view):
    seq, truth = Workout().hold(2).reps(move, [2.0] * 6).hold(2).build(noise_px=2, view=view)
    reps = count_reps(seq)
    check_reps(reps, truth)
    # each rep is emitted as soon as it is over: all but the set's first within 0.5 s
    lat = latencies(reps, truth)
    assert np.all(lat[1:] <= 0.5), lat
    assert np.median(lat) <= 0.5


def test_varying_speed_is_counted():
    periods = [1.4, 1.8, 2.2, 2.8, 2.2, 1.6, 1.2]  # speeding up and slowing down 2x
    seq, truth = Workout().hold(1).reps("curl", periods).hold(2).build(noise_px=2)
    check_reps(count_reps(seq), truth)


@pytest.mark.parametrize("noise_px", [0.0, 3.0, 6.0])
def test_jitter_makes_no_ghost_reps(noise_px):
    seq, truth = Workout().hold(2).reps("squat", [2.0] * 5).hold(3).build(noise_px=noise_px)
    check_reps(count_reps(seq), truth)


def test_pauses_and_a_rest_between_sets():
    w = Workout().hold(1).reps("squat", [2.0] * 3, pause_s=3.0).hold(8.0)
    seq, truth = w.reps("squat", [2.5] * 4).hold(2).build(noise_px=2)
    reps = count_reps(seq)
    check_reps(reps, truth)
    # the second set continues the first: its first rep needs no second rep to confirm it
    assert reps[3].emitted_frame / FPS - truth[3].end_s <= 0.5


# --- what must not be counted ----------------------------------------------------------
def test_walking_in_is_not_counted():
    w = Workout().walk_in(4.0, 1000.0).hold(1)
    seq, truth = w.reps("squat", [2.0] * 5).hold(2).build(noise_px=2)
    check_reps(count_reps(seq), truth)


def test_a_different_movement_before_the_set_is_not_counted():
    w = Workout().hold(1).reps("bend", [3.0], count=False).hold(1)  # picking the weights up
    seq, truth = w.reps("curl", [1.8] * 5).hold(1).build(noise_px=2)
    check_reps(count_reps(seq), truth)


def test_partial_movements_at_the_edges_are_not_counted():
    w = Workout().hold(1).reps("squat", [2.0], depth=0.3, count=False).hold(1)
    w = w.reps("squat", [2.0] * 5).hold(1).reps("squat", [1.5], depth=0.3, count=False).hold(1)
    seq, truth = w.build(noise_px=2)
    check_reps(count_reps(seq), truth)


def test_a_stream_that_stops_mid_rep_does_not_emit_the_half_rep():
    w = Workout().hold(1).reps("squat", [2.0] * 4).hold(1)
    # the 4th squat starts at 1 + 1.2 + 3 * 2 = 8.2 s and reaches its bottom at 9.2 s
    for stop in (8.7, 9.2, 9.6):
        seq, truth = w.build(noise_px=2, stop_s=stop)
        assert len(truth) == 3
        check_reps(count_reps(seq), truth)


# --- recordings cut around the reps ------------------------------------------------------
def cut_clip(start_s: float, end_s: float) -> PoseSequence:
    """Six squats in a row (2 s each, from 1.2 s), cut to ``[start_s, end_s)``."""
    seq, _ = Workout().reps("squat", [2.0] * 6).build(noise_px=2)
    part = seq[round(start_s * FPS) : round(end_s * FPS)]
    assert isinstance(part, PoseSequence)
    return part


@pytest.mark.parametrize(
    ("start_s", "end_s", "count"),
    [
        (2.2, 12.7, 5),  # from a bottom to halfway up: 5.25 cycles
        (2.2, 13.0, 5),  # ...to near the top: 5.4 cycles
        (1.7, 12.0, 5),  # from halfway down to 80 % down: 5.15 cycles
        (1.3, 11.9, 5),  # 5.3 cycles
        (3.2, 12.2, 4),  # from a rest pose to a bottom: 4.5 cycles (half is not enough)
    ],
)
def test_a_clip_cut_around_the_reps_counts_the_cycles_it_shows(start_s, end_s, count):
    """The complete reps, and those cut by the clip's edges when what is seen of them makes
    most of a cycle, whatever the phase the clip starts at."""
    reps = count_reps(cut_clip(start_s, end_s))
    assert len(reps) == count, [(r.start_s, r.end_s, r.features.get("cut")) for r in reps]
    assert [r.number for r in reps] == list(range(1, count + 1))
    assert all(a.end_frame <= b.start_frame for a, b in itertools.pairwise(reps))


def test_a_clip_of_the_second_half_of_a_rep_counts_it():
    """Cut around one squat that starts at its bottom: the visible half is the rep."""
    clip = cut_clip(6.2, 7.5)
    for hint in (None, SQUAT):
        reps = count_reps(clip, hint)
        assert len(reps) == 1 and reps[0].features["cut"] == 1.0, hint
    sitting = Workout().hold(3).pose({"left_hip": 95, "right_hip": 95, "left_knee": 85}, 1.2)
    seq, _ = sitting.hold(0.3).build(noise_px=2)
    assert count_reps(seq) == []  # a recording that began at rest is not cut around a rep


@pytest.mark.parametrize(
    "workout",
    [
        Workout().hold(20),
        Workout()
        .hold(3)
        .pose({"trunk_lean": 60, "left_hip": 60, "right_hip": 60, "left_knee": 100}, 2)
        .hold(5),
        Workout().walk_in(6.0, 1500.0).hold(2),
    ],
    ids=["standing still", "sitting down", "walking"],
)
def test_no_repetition_counts_zero(workout):
    seq, _ = workout.build(noise_px=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CountWarning)  # a valid clip: no warning either
        assert count_reps(seq) == []


def test_a_single_clear_rep_is_counted_at_the_end():
    seq, truth = Workout().hold(0.5).reps("squat", [2.0]).hold(0.5).build(noise_px=1)
    check_reps(count_reps(seq), truth)


# --- bad input -------------------------------------------------------------------------
def test_empty_sequence_counts_zero_with_a_warning():
    with pytest.warns(CountWarning, match="empty"):
        assert count_reps(PoseSequence.empty(COMMON, fps=30.0)) == []


def test_all_missing_sequence_counts_zero_with_a_warning():
    seq, _ = Workout().hold(1).reps("curl", [2.0] * 3).build()
    blank = seq.replace(visibility=np.zeros_like(seq.visibility))
    with pytest.warns(CountWarning, match="no pose"):
        assert count_reps(blank) == []
    counter = RepCounter(fps=30)
    assert all(counter.update(p) == [] for p in blank)  # type: ignore[misc]
    with pytest.warns(CountWarning, match="no pose was seen"):
        assert counter.finish() == []


def test_gaps_in_detection_do_not_break_a_set():
    seq, truth = Workout().hold(1).reps("curl", [2.0] * 6).hold(1).build(noise_px=2)
    vis = seq.visibility.copy()
    vis[200:206] = 0  # a person lost for 0.2 s mid-set
    check_reps(count_reps(seq.replace(visibility=vis)), truth)


def test_upper_body_only_is_enough():
    """A desk camera sees no legs: the arms still make the reps."""
    seq, truth = Workout().hold(1).reps("curl", [2.0] * 5).hold(1).build(noise_px=2, view="front")
    legs = [i for i, n in enumerate(COMMON.joints) if n.split("_")[-1] in LEG_JOINTS]
    vis = seq.visibility.copy()
    vis[:, legs] = 0
    check_reps(count_reps(seq.replace(visibility=vis)), truth)


LEG_JOINTS = ("hip", "knee", "ankle", "heel", "index")


def test_counter_validates_its_arguments():
    with pytest.raises(ValueError, match="fps"):
        RepCounter(fps=0)
    with pytest.raises(TypeError, match="ExerciseHint"):
        RepCounter(exercise="squat")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="return_share"):
        CountSettings(return_share=1.5)
    counter = RepCounter()
    counter.finish()
    with pytest.raises(RuntimeError, match="after finish"):
        counter.update(Pose.missing(COMMON, 0.0, 0))


# --- streaming --------------------------------------------------------------------------
def test_offline_counting_is_the_streaming_path():
    seq, _ = Workout().hold(1).reps("squat", [2.0] * 4).hold(1).build(noise_px=3)
    offline = count_reps(seq)
    live = RepCounter(fps=FPS)
    streamed = []
    for pose in clean(seq):
        streamed.extend(live.update(pose))  # type: ignore[arg-type]
    streamed.extend(live.finish())
    assert [(r.start_frame, r.end_frame, r.emitted_frame) for r in offline] == [
        (r.start_frame, r.end_frame, r.emitted_frame) for r in streamed
    ]
    assert len(offline) == 4 and live.count == 4
    # reps come out of update() only once their end has been seen, never ahead of it
    assert all(r.emitted_frame >= r.end_frame for r in streamed)


def test_any_skeleton_counts_the_same():
    seq, truth = Workout().hold(1).reps("squat", [2.0] * 5).hold(1).build(noise_px=2)
    idx = BLAZEPOSE_33.common_indices()
    xy = np.full((len(seq), len(BLAZEPOSE_33), 2), np.nan, np.float32)
    vis = np.zeros((len(seq), len(BLAZEPOSE_33)), np.float32)
    xy[:, idx] = seq.xy
    vis[:, idx] = seq.visibility
    blaze = PoseSequence(xy, vis, seq.timestamps, BLAZEPOSE_33, seq.frame_size, seq.fps)
    a, b = count_reps(seq), count_reps(blaze)
    check_reps(b, truth)
    assert [r.end_frame for r in a] == [r.end_frame for r in b]


def test_timestamps_rule_over_fps():
    """A 15 fps stream counts like a 30 fps one: durations come from the timestamps."""
    seq, truth = Workout().hold(1).reps("curl", [2.0] * 5).hold(1).build(noise_px=2)
    half = seq[::2]
    assert isinstance(half, PoseSequence)
    half = half.replace(fps=None)
    reps = stream_reps(clean(half), fps=None)
    assert len(reps) == len(truth)


def test_memory_stays_bounded_on_a_long_stream():
    one_set = Workout().reps("squat", [2.0] * 10).hold(6.0)
    seq, truth = one_set.build(noise_px=2)
    poses = list(clean(seq))
    counter = RepCounter(fps=FPS)
    period = seq.timestamps[-1] + 1 / FPS

    def feed(rounds: int, offset: int) -> int:
        n = 0
        for k in range(rounds):
            for p in poses:
                shifted = Pose(
                    p.xy,
                    p.visibility,
                    p.timestamp + (offset + k) * period,
                    p.index + (offset + k) * len(poses),
                    p.skeleton,
                )
                n += len(counter.update(shifted))
        return n

    tracemalloc.start()
    feed(2, 0)  # warm up: every buffer reaches its bound
    before = tracemalloc.take_snapshot()
    n = feed(6, 2)  # 6 more sets, 60 reps, ~3 minutes of stream
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert n == 6 * len(truth)
    assert grown < 64 * 1024, f"counter state grew by {grown} bytes over 6 sets"


# --- exercise-aware mode ----------------------------------------------------------------
@dataclass(frozen=True)
class Hint:
    """A minimal :class:`~formcoach.core.rep.ExerciseHint` (the exercise library is elsewhere)."""

    name: str
    drive: tuple[str, ...]
    static: bool = False


def test_exercise_mode_follows_the_drive_features_only():
    w = Workout().hold(1).reps("raise", [2.0] * 4, count=False).hold(1)  # arm raises first
    seq, truth = w.reps("squat", [2.0] * 5).hold(1).build(noise_px=2)
    assert len(count_reps(seq)) == 9  # class-agnostic: both sets are repetitions
    squat = Hint("squat", ("left_knee", "right_knee", "angle(left_shoulder, left_hip, left_knee)"))
    check_reps(count_reps(seq, squat), truth)


@dataclass(frozen=True)
class KnownHint(Hint):
    """A hint that also gives each drive feature's rest and turning value (and tolerance), as
    the exercise library's exercises do."""

    levels: tuple[tuple[str, float, float, float], ...] = ()

    def drive_levels(self) -> dict[str, tuple[float, float, float]]:
        return {name: (rest, turn, tol) for name, rest, turn, tol in self.levels}


SQUAT = KnownHint(
    "squat",
    ("left_knee", "right_knee", "left_hip", "right_hip"),
    levels=(
        ("left_knee", 172, 85, 16),
        ("right_knee", 172, 85, 16),
        ("left_hip", 172, 75, 18),
        ("right_hip", 172, 75, 18),
    ),
)
CURL = KnownHint(
    "curl",
    ("left_elbow", "right_elbow"),
    levels=(("left_elbow", 168, 45, 16), ("right_elbow", 168, 45, 16)),
)


def curl_rest(seconds: float) -> Workout:
    """Standing with the arms at a curl's rest pose."""
    return Workout().pose(MOVES["curl"][0], 0.5).hold(seconds)


def whole(reps: list[Rep], truth: list[TrueRep]) -> None:
    """Each rep runs from where it leaves rest to where it is back (within a tenth of the rep:
    its first and last few percent are hardly a movement)."""
    for r, t in zip(reps, truth, strict=True):
        tol = 0.1 * (t.end_s - t.start_s) + 0.1
        assert abs(r.start_s - t.start_s) <= tol, (r, t)
        assert abs(r.end_s - t.end_s) <= tol, (r, t)


def test_a_known_exercise_counts_a_single_rep_whole():
    """One curl with rests around it: counted, from where it leaves rest to where it is back."""
    seq, truth = curl_rest(1).reps("curl", [2.4]).hold(1).build(noise_px=2)
    reps = count_reps(seq, CURL)
    check_reps(reps, truth)
    whole(reps, truth)


def test_a_known_exercise_counts_slow_reps_with_pauses():
    seq, truth = curl_rest(1).reps("curl", [4.0, 5.0, 3.0], pause_s=2.5).build(noise_px=2)
    reps = count_reps(seq, CURL)
    check_reps(reps, truth, far_tol_s=0.8)
    whole(reps, truth)
    # each is emitted soon after it is over, not when the next one confirms it
    assert np.all(latencies(reps, truth) <= 0.5), latencies(reps, truth)


def test_a_known_exercise_ignores_other_movements():
    """Walking in, bending to pick the weights up and raising the arms are not curls."""
    w = Workout().walk_in(3.0, 800.0).hold(1).reps("bend", [3.0], count=False).hold(1)
    w = w.reps("raise", [2.0] * 3, count=False).hold(1)
    seq, truth = w.reps("curl", [2.0] * 4).hold(1).build(noise_px=2)
    check_reps(count_reps(seq, CURL), truth)


def test_a_known_exercise_counts_with_one_arm_hidden():
    seq, truth = Workout().hold(1).reps("curl", [2.5] * 2).hold(1).build(noise_px=2)
    vis = seq.visibility.copy()
    right = [COMMON.index(n) for n in ("right_elbow", "right_wrist")]
    vis[:, right] = 0
    vis[40:, right] = 1  # the hidden arm comes into view mid-rep: no jump, no ghost rep
    check_reps(count_reps(seq.replace(visibility=vis), CURL), truth)


# --- holds (static exercises) ------------------------------------------------------------
PLANK_POSE = {"trunk_lean": 80, "left_hip": -80, "right_hip": -80}
PLANK = KnownHint(
    "plank",
    ("height(mid_shoulder, mid_hip)", "left_hip", "right_hip"),
    static=True,
    levels=(
        ("height(mid_shoulder, mid_hip)", 0.0, 0.0, 0.2),
        ("left_hip", 168, 168, 14),
        ("right_hip", 168, 168, 14),
    ),
)


def test_a_hold_is_the_stretch_held_in_position():
    """Standing, getting down, holding 6 s, getting up: one hold, about the 6 s."""
    w = Workout().hold(2).pose(PLANK_POSE, 1.5).hold(6).pose({}, 1.5).hold(2)
    seq, _ = w.build(noise_px=2)
    holds = count_reps(seq, PLANK)
    assert len(holds) == 1
    h = holds[0]
    assert 3.0 <= h.start_s <= 3.8 and 9.3 <= h.end_s <= 10.3, (h.start_s, h.end_s)
    assert h.features["held_s"] == pytest.approx(h.duration_s, abs=0.01)


def test_a_wobble_does_not_break_a_hold_but_getting_up_does():
    sag = {**PLANK_POSE, "left_hip": -60, "right_hip": -60}
    w = Workout().pose(PLANK_POSE, 1).hold(3).pose(sag, 0.15).pose(PLANK_POSE, 0.15).hold(3)
    w = w.pose({}, 1).hold(2).pose(PLANK_POSE, 1).hold(3)
    seq, _ = w.build(noise_px=2)
    holds = count_reps(seq, PLANK)
    assert [round(h.duration_s) for h in holds] == [7, 3], [h.duration_s for h in holds]


def test_a_hold_is_emitted_when_it_ends_live_and_offline_alike():
    w = Workout().pose(PLANK_POSE, 1).hold(3).pose({}, 1).hold(2).pose(PLANK_POSE, 1).hold(2)
    seq, _ = w.build(noise_px=2)
    offline = count_reps(seq, PLANK)
    live = RepCounter(PLANK, fps=FPS)
    during = [r for p in clean(seq) for r in live.update(p)]  # type: ignore[arg-type]
    at_end = live.finish()
    assert len(during) == 1 and len(at_end) == 1  # the first once left, the second at the end
    assert during[0].emitted_frame > during[0].end_frame
    assert [(r.start_frame, r.end_frame) for r in offline] == [
        (r.start_frame, r.end_frame) for r in during + at_end
    ]


def test_without_a_reference_position_a_hold_is_a_steady_stretch():
    """A hint without levels: only steadiness tells a hold, so moving makes none."""
    seq, truth = Workout().hold(2).reps("squat", [2.0] * 4).build(noise_px=2)
    holds = count_reps(seq, Hint("plank", ("trunk_tilt",), static=True))
    assert len(holds) == 1 and holds[0].end_s <= truth[0].start_s + 0.5  # standing before


@pytest.mark.parametrize(("style", "fault"), [("high", None), ("forearm", "sag"), ("high", "pike")])
def test_a_plank_sagging_or_piking_is_still_in_its_position_and_standing_is_not(style, fault):
    """The session times a hold by the counter's rule on a few seconds of poses: the built-in
    plank's position is the body's line and straight knees, not the hips' bend (the judge
    corrects that), nor the shoulders' height over the hips (the arms set it)."""
    from formcoach.counting.holds import holds_position
    from formcoach.form.exercises import get_exercise
    from formcoach.testing.movements import plank_hold

    take = plank_hold(6.0, style=style, fault=fault, size=30.0, seed=3)
    plank, fps = get_exercise("plank"), take.poses.fps
    assert holds_position(take.poses[round(4 * fps) : round(6 * fps)], plank) is True
    assert holds_position(take.poses[: round(0.5 * fps)], plank) is False  # standing


def test_an_unknown_drive_feature_is_a_clear_error():
    from formcoach.core.errors import FormcoachError

    with pytest.raises(FormcoachError, match=r"exercise 'odd'.*left_tail"):
        RepCounter(Hint("odd", ("tilt(left_hip, left_tail)",)))
