"""Offline analysis of a recording: find every rep, judge it, keep what the report needs.

The same steps as a live session, on a whole sequence: raw poses -> cleaning (the causal
filter used live) -> counting (``formcoach.counting``) -> judging each rep (:class:`FormJudge`).
A hold (plank) is judged in stretches of the exercise's ``tempo_s`` over the held time.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.core.view import View, estimate_view
from formcoach.core.words import counted, joined_asks, plural, sentence
from formcoach.counting import stream_reps
from formcoach.form.exercises import Exercise
from formcoach.form.judge import FormJudge, JudgeSettings, RepVerdict
from formcoach.form.posture import one_unit, read_posture, stretched_per_frame
from formcoach.form.readings import RepCurves
from formcoach.pose.cache import cached_poses
from formcoach.pose.cleaning import CleanSettings, clean
from formcoach.pose.estimator import PoseEstimator
from formcoach.pose.keypoints import DEFAULT_FPS, load_keypoints
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import KEYPOINT_SUFFIXES, is_camera, open_source

__all__ = [
    "FRAME_SIZE_ADVICE",
    "STRETCHED_FRAME",
    "UNKNOWN_FRAME",
    "UNKNOWN_RATE",
    "Analysis",
    "RepResult",
    "a_picture",
    "analyze_sequence",
    "assumed_fps",
    "ignored_options",
    "load_poses",
    "nothing_counted",
]

#: Said once when the poses are fractions of a frame of unknown size: every angle is then read
#: as if the frame were square (a 16:9 frame turns a line by up to 16 degrees).
FRAME_SIZE_ADVICE = "give its size (--frame-size WIDTHxHEIGHT, e.g. 1280x720) for true angles."
#: Said instead for keypoints stretched to fill each frame (RepCount rows): a frame size
#: cannot help there, and asking for one sent the user after a fix that changes nothing.
STRETCHED_FRAME = (
    "These keypoints were stretched to fill each frame, so their angles are only approximate "
    "(no frame size can restore them): judge the recording itself for true angles."
)
UNKNOWN_FRAME = (
    "These keypoints are fractions of a frame whose size I was not told, so I read angles as if "
    f"it were square: {FRAME_SIZE_ADVICE}"
)
#: Said when a keypoint file's frame rate was assumed: every time, speed and tempo read from it
#: scales with that guess (a 25 fps clip read at 30 fps moves 1.2 times too fast).
UNKNOWN_RATE = (
    "These keypoints store no frame rate, so I timed them at {fps:g} frames a second: give the "
    "recording's own (--fps, e.g. --fps 25) for true times and tempo."
)


@dataclass(frozen=True)
class RepResult:
    """One counted rep (or judged stretch of a hold) and its judgement.

    Attributes:
        rep: where it is.
        verdict: the judgement, or None when it could not be judged.
        error: why it could not be judged (a sentence), else None.
        curves: its measured feature curves (for plots), when judged.
        not_exercise: what to tell the person when the rep was not done in the exercise's
            posture (:mod:`formcoach.form.posture`): it is then not judged.
    """

    rep: Rep
    verdict: RepVerdict | None
    error: str | None = None
    curves: RepCurves | None = field(default=None, repr=False)
    not_exercise: str | None = None


def _which(note: str, reps: str) -> str:
    """``note`` with the reps it concerns inside its sentence: ``"... arms (rep 2 of 3)."``."""
    stop = note[-1] if note[-1:] in ".!?" else ""
    return f"{note[: len(note) - len(stop)]} ({reps}){stop}"


def _on_reps(text: str, numbers: list[int], judged: int, unit: str) -> str:
    """``text`` as is when it concerns all ``judged`` reps, else with the ones it does."""
    if len(numbers) == judged:
        return text
    if len(numbers) <= 3:
        listed = ", ".join(map(str, numbers[:-1])) + " and " * (len(numbers) > 1)
        which = plural(unit) if len(numbers) > 1 else unit
        return _which(text, f"{which} {listed}{numbers[-1]} of {judged}")
    return _which(text, f"{len(numbers)} of {counted(judged, unit)}")


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything found in one recording.

    Attributes:
        exercise: what was judged.
        source: what was read (for titles).
        poses: the cleaned poses (T frames).
        view: the camera view of the whole recording.
        results: one per rep (or judged stretch of a hold), in time order.
        held_s: for a hold, the seconds held; 0 for a rep exercise.
        judge: the judge used (for reference curves in plots).
        assumed_fps: the frame rate the poses were timed at without being told (a keypoint
            file stores none), else None.
    """

    exercise: Exercise
    source: str
    poses: PoseSequence
    view: View
    results: list[RepResult]
    held_s: float
    judge: FormJudge
    assumed_fps: float | None = None

    @property
    def judged(self) -> list[RepResult]:
        return [r for r in self.results if r.verdict is not None]

    def notes(self) -> list[str]:
        """Each thing the judge could not see, once, with the reps it concerns when it is not
        all of them: ``"Turn sideways so I can see your arms (rep 8 of 9)."`` (a note on one
        rep must not read as if the whole recording went unseen)."""
        judged = self.judged
        where: dict[str, list[int]] = {}
        for r in judged:
            for text in dict.fromkeys(r.verdict.hidden.values()) if r.verdict else ():
                where.setdefault(text, []).append(r.rep.number)
        unit = "stretch" if self.exercise.static else "rep"
        out = list(dict.fromkeys(r.not_exercise for r in self.results if r.not_exercise))
        # asks on the same reps said once: "Turn sideways so I can see your head and your legs."
        same_reps: dict[tuple[int, ...], list[str]] = {}
        for text, numbers in sorted(where.items()):
            same_reps.setdefault(tuple(numbers), []).append(text)
        for numbers, texts in same_reps.items():
            out += [_on_reps(t, list(numbers), len(judged), unit) for t in joined_asks(texts)]
        if judged and not one_unit(self.poses):
            out.append(STRETCHED_FRAME if stretched_per_frame(self.poses) else UNKNOWN_FRAME)
        if self.assumed_fps:
            out.append(UNKNOWN_RATE.format(fps=self.assumed_fps))
        return out

    def nothing_found(self) -> str | None:
        """What to check when no rep was counted (a sentence), else None."""
        if self.results or self.exercise.static:
            return None
        return f"No {plural(self.exercise.name)} found: {nothing_counted(self.exercise.name)}."

    def summary(self) -> dict[str, object]:
        """The figures ``formcoach analyze --json`` prints."""
        judged = self.judged
        scores = [r.verdict.score for r in judged if r.verdict]
        out: dict[str, object] = {
            "exercise": self.exercise.name,
            "source": self.source,
            "view": self.view.facing,
            "frames": len(self.poses),
            "duration_s": round(self.poses.duration, 3),
            "reps": 0 if self.exercise.static else len(self.results),
            "judged": len(judged),
            "passed": sum(1 for r in judged if r.verdict and r.verdict.passed),
            "not_exercise": sum(1 for r in self.results if r.not_exercise),
            "mean_score": round(float(np.mean(scores)), 1) if scores else None,
            "rep_results": [_rep_dict(r) for r in self.results],
        }
        if self.exercise.static:
            out["held_s"] = round(self.held_s, 2)
        hidden: dict[str, str] = {}
        for r in judged:
            if r.verdict:
                hidden.update(r.verdict.hidden)
        out["hidden"] = hidden
        return out


def _rep_dict(r: RepResult) -> dict[str, object]:
    if r.verdict is not None:
        d = r.verdict.as_dict()
        d["number"] = r.rep.number
        return d
    out = {"number": r.rep.number, **r.rep.as_dict(), "error": r.error}
    return out | ({"not_exercise": r.not_exercise} if r.not_exercise else {})


def load_poses(
    source: str,
    fps: float | None = None,
    frame_size: tuple[int, int] | None = None,
    progress: bool | None = None,
    estimator: PoseEstimator | None = None,
) -> PoseSequence:
    """The raw poses of a source: cached for video files, computed for a camera, read for
    keypoint files.

    ``estimator`` is the pose model to run when one is needed (default: a new BlazePose); it
    is closed when the source ends, as :func:`~formcoach.pose.sources.open_source` does.
    """

    path = Path(source)
    if not is_camera(source) and path.is_file() and path.suffix.lower() not in KEYPOINT_SUFFIXES:
        return cached_poses(path, progress=progress, estimator=estimator)
    if not is_camera(source) and path.exists():
        return load_keypoints(path, fps=fps, frame_size=frame_size)
    src = open_source(source, fps=fps, frame_size=frame_size, estimator=estimator)
    return run_poses(src, progress=progress).raw


def nothing_counted(name: str | None, flag: str = "") -> str:
    """What to check when no rep of exercise ``name`` (None: of any movement) was counted;
    ``flag`` follows the exercise, e.g. ``" (-e)"`` where the user named it with that option."""
    shows = f"that the recording shows {plural(name)}{flag} and " if name else ""
    return f"check {shows}that the whole movement is in view"


def assumed_fps(source: str, fps: float | None) -> float | None:
    """The frame rate ``source`` is timed at when nobody gave one: a ``.npy`` keypoint file
    or an OpenPose folder stores none, so :data:`DEFAULT_FPS`; None when ``fps`` was given
    or the source states its own (a video, a camera, a formcoach ``.npz``)."""
    path = Path(source)
    if fps is not None or is_camera(source) or not path.exists():
        return None
    return DEFAULT_FPS if path.is_dir() or path.suffix.lower() == ".npy" else None


def ignored_options(
    source: str, fps: float | None, frame_size: tuple[int, int] | None
) -> list[str]:
    """What to say of ``--fps`` / ``--frame-size`` given for a video or a camera, which state
    their own frame rate and measure poses in their own pixels: each was ignored (not an error).
    Empty for keypoint files and OpenPose folders, and when neither was given."""
    path = Path(source)
    if not is_camera(source) and (not path.is_file() or path.suffix.lower() in KEYPOINT_SUFFIXES):
        return []
    what = f"{Path(source).name} is {'a camera' if is_camera(source) else 'a video'}"
    out = []
    if frame_size is not None:
        out.append(
            f"--frame-size only applies to keypoint files stored as fractions of the frame; "
            f"{what}, whose poses are measured in its own pixels, so it was ignored."
        )
    if fps is not None:
        out.append(
            f"--fps only applies to keypoint files, which store no frame rate; {what}, which "
            "states its own, so it was ignored."
        )
    return out


def _hold_windows(rep: Rep, seq: PoseSequence, seconds: float, start_number: int) -> list[Rep]:
    """Cut a held stretch into judged windows of about ``seconds`` each."""
    fps = seq.frame_rate()
    n = max(1, round((rep.end_frame - rep.start_frame + 1) / (seconds * fps)))
    edges = np.linspace(rep.start_frame, rep.end_frame + 1, n + 1).round().astype(int)
    ts = seq.timestamps
    return [
        Rep(int(a), int(b) - 1, float(ts[a]), float(ts[b - 1]), start_number + i, int(b) - 1)
        for i, (a, b) in enumerate(itertools.pairwise(edges))
        if b - 1 > a
    ]


def a_picture(name: str) -> FormcoachError:
    """The error for a source of one frame (``name`` as the user gave it): a photo, which
    OpenCV reads as a video of one frame."""
    return FormcoachError(
        f"{name} is a single frame (a picture, not a recording)", "pass a video of the whole set"
    )


def _check_recording(raw: PoseSequence, source: str) -> None:
    """Raise what is wrong with ``raw`` as a recording to judge: a single frame, or nobody."""
    if len(raw) == 1:
        raise a_picture(source or "the recording")
    if len(raw) == 0 or not raw.detected.any():
        raise FormcoachError(
            f"nobody was detected in {source or 'the recording'}",
            "make sure your whole body is in view and lit",
        )


def analyze_sequence(
    raw: PoseSequence,
    exercise: Exercise,
    source: str = "",
    settings: JudgeSettings = JudgeSettings(),
    judge: FormJudge | None = None,
    clean_settings: CleanSettings | None = None,
    check_posture: bool = True,
    assumed_fps: float | None = None,
) -> Analysis:
    """Count and judge every rep of a recording.

    Args:
        raw: the raw poses (they are cleaned here, as live).
        exercise: what is being done.
        source: a name for the recording.
        settings: judge settings.
        judge: a ready judge (e.g. with a person's own references).
        clean_settings: how the raw poses are cleaned (the pipeline's defaults when omitted).
        check_posture: refuse (not judge) a rep that contradicts the exercise's posture.
        assumed_fps: the frame rate ``raw`` was timed at without being told (see
            :func:`assumed_fps`), to say so in the notes.

    Raises:
        FormcoachError: nobody was seen in the recording, or it is a single picture.
    """
    _check_recording(raw, source)
    poses = clean(raw, clean_settings or CleanSettings())
    view = estimate_view(poses)
    judge = judge or FormJudge(exercise, settings)
    # the poses are cleaned once, as live: the counter gets them as the session's counter does
    reps = stream_reps(poses, exercise, raw.frame_rate())
    if exercise.static:
        held = sum(r.duration_s for r in reps)
        windows: list[Rep] = []
        for r in reps:
            windows += _hold_windows(r, poses, exercise.tempo_s, len(windows) + 1)
        reps = windows
    else:
        held = 0.0
    results = []
    for r in reps:
        seen = read_posture(exercise, poses, r) if check_posture else None
        if seen is not None and not seen.fits:  # not judged: its faults would be another's
            results.append(RepResult(r, None, seen.short(exercise), None, seen.message(exercise)))
            continue
        try:
            curves = judge.measure(poses, r, view, view.near_side)
            verdict = judge.judge_curves(curves, r)
            results.append(RepResult(r, verdict, None, curves))
        except FormcoachError as e:
            results.append(RepResult(r, None, sentence(str(e))))
    return Analysis(exercise, source, poses, view, results, held, judge, assumed_fps)
