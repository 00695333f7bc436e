"""Where the arms finish a shoulder press against the body's own line (round 18, dropped).

Each candidate is the direction of an arm segment read against a line of the body at the same
frame, signed degrees (+ towards where the person faces: the nose's side of the shoulders), so
a camera's roll does not move it. Read at the top (the frames where the wrist is within 10 % of
its highest over the rep) and as the change from the rep's rest (within 25 % of its lowest):

- ``arm-trunk``: shoulder->wrist against hip->shoulder; ``arm-legs``: against ankle->shoulder;
  ``arm-head``: against the hips' midpoint->nose; ``forearm-trunk``: elbow->wrist against
  hip->shoulder; ``upperarm-trunk``: shoulder->elbow against hip->shoulder;
- ``wrist-ankle``: ankle->wrist against ankle->shoulder; ``wrist-hip``: hip->wrist against
  hip->shoulder (the wrists' path seen from the feet or the hips, against the body);
- ``ankle-wrist``: round 14's ankle->wrist against the image's vertical, for comparison.

Two populations must pass: Pose Trainer's correct presses of the part (counted and cleaned as
``formcoach analyze`` does, near side) and the drawn textbook presses of
``tests/test_form_people.py`` (``--drawn`` seeds), as drawn, rolled +-5 degrees, turned 30
degrees from profile, mirrored and at 0.7x / 1.4x tempo. A limit is put half way between the
correct presses' least reading and the most of the faulty presses the built-in verdicts pass;
the share of drawn presses it would fail is printed. Only the change readings of ``CHANGE``
are printed (the arm's direction at rest is where the elbows point, not the hands' path).

Measured on the tuning part (9 correct, bad9 / bad11 the presses pushed back): every reading
is roll-free (+-5 degrees moves it by < 0.3), and each separates the real presses (``arm-legs``
at the top: correct 11.8 to 19.5, bad9 0.5, bad11 -1.4), but no limit passes the drawn presses
too: the correct lifters finish with the arms 19-32 degrees forward of the pose model's trunk
line, bad9 / bad11 about 10 forward and the drawn textbook presses -5 to 15 (arms in line with
the trunk), so bad9 / bad11 finish inside the drawn textbook's range on every reading (0.30 to
0.99 of the drawn presses read below the limit here; the judge, whose median over the aligned
turning point is kinder to a short top, failed 17 / 200 of them with ``arm-legs`` as a rule,
commit c4fb2d9). ``forearm-trunk`` change passes every drawn press only
because the drawn forearms lean back at rest and the real ones forward; its gap is 3.5 degrees
each side (correct down to -24.7, bad9 -31.7): not flat at x0.75 / x1.25.

Usage::

    python benchmarks/press_arm_line.py [--data ../shared/data] [--part tune] [--drawn 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

TOP, REST = 0.9, 0.25
#: Readings whose change from rest means something (the whole arm's or the upper arm's
#: direction at rest is where the elbows point, out of the picture: not the hands' path).
CHANGE = ("forearm-trunk", "wrist-ankle", "wrist-hip", "ankle-wrist")


def _deg(v: np.ndarray) -> np.ndarray:
    """(T,) degrees of (T, 2) image vectors from straight up, + towards +x."""
    return np.degrees(np.arctan2(v[..., 0], -v[..., 1]))


def readings(xy: np.ndarray, side: str) -> dict[str, tuple[float, float]]:
    """Candidate -> (at the top, change from rest to the top), for one rep's (T, J, 2) poses."""
    from formcoach.core.features import joint_xy

    def j(n: str) -> np.ndarray:
        return joint_xy(xy, n if n in ("nose", "mid_hip", "mid_shoulder") else f"{side}_{n}")

    def d(a: str, b: str) -> np.ndarray:
        return _deg(j(b) - j(a))

    facing = np.sign(np.nanmedian(j("nose")[:, 0] - j("mid_shoulder")[:, 0]))
    pairs = {
        "arm-trunk": (d("shoulder", "wrist"), d("hip", "shoulder")),
        "arm-legs": (d("shoulder", "wrist"), d("ankle", "shoulder")),
        "arm-head": (d("shoulder", "wrist"), d("mid_hip", "nose")),
        "forearm-trunk": (d("elbow", "wrist"), d("hip", "shoulder")),
        "upperarm-trunk": (d("shoulder", "elbow"), d("hip", "shoulder")),
        "wrist-ankle": (d("ankle", "wrist"), d("ankle", "shoulder")),
        "wrist-hip": (d("hip", "wrist"), d("hip", "shoulder")),
        "ankle-wrist": (d("ankle", "wrist"), 0.0),
    }
    high = j("shoulder")[:, 1] - j("wrist")[:, 1]
    lo, hi = np.nanmin(high), np.nanmax(high)
    top, rest = high >= lo + TOP * (hi - lo), high <= lo + REST * (hi - lo)
    out = {}
    for name, (seg, line) in pairs.items():
        x = facing * ((seg - line + 180.0) % 360.0 - 180.0)
        at_top = float(np.nanmedian(x[top]))
        out[name] = (at_top, at_top - float(np.nanmedian(x[rest])))
    return out


def real_presses(data: Path, part: str) -> list[dict]:
    """Every counted press of the part: file, label, main's verdict, readings."""
    from formcoach.eval.form_builtin import judge_labelled
    from formcoach.eval.form_data import read_labels
    from formcoach.pose.cleaning import clean

    files = [
        lf
        for lf in read_labels(data / "form" / "posetrainer")
        if lf.exercise == "shoulderpress" and lf.part == part
    ]
    reps, _ = judge_labelled(files)
    seqs = {lf.file: lf.seq for lf in files}
    rows = []
    for r in reps:
        assert r.rep is not None and r.curves is not None
        xy = clean(seqs[r.source]).to_common().xy[r.rep.start_frame : r.rep.end_frame + 1]
        side = r.curves.near_side or "left"
        name = Path(r.source).stem.replace("shoulderpress", "")
        rows.append({"file": name, "correct": r.correct, "passed": r.passed, **readings(xy, side)})
    return rows


def _roll(xy: np.ndarray, deg: float) -> np.ndarray:
    r = np.radians(deg)
    rot = np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])
    centre = np.nanmean(xy.reshape(-1, 2), axis=0)
    return centre + (xy - centre) @ rot.T


VARIATIONS = {
    "given": lambda xy: xy,
    "roll-5": lambda xy: _roll(xy, -5.0),
    "roll+5": lambda xy: _roll(xy, 5.0),
    "yaw30": lambda xy: xy * [np.cos(np.radians(30.0)), 1.0],
    "mirror": lambda xy: xy * [-1.0, 1.0],
}


def drawn_presses(seeds: int) -> dict[str, list[dict]]:
    """Variation -> the drawn textbook presses' readings (left side near the camera)."""
    from form_people import person, pose
    from test_form_people import shoulder_press

    out: dict[str, list[dict]] = {k: [] for k in (*VARIATIONS, "tempo0.7", "tempo1.4")}
    for seed in range(seeds):
        p = person(seed)
        view, spec, anchor = shoulder_press(p)
        xy = pose(p, spec, view, anchor=anchor).to_common().xy.astype(float)
        for name, vary in VARIATIONS.items():
            out[name].append(readings(vary(xy), "left"))
        for k in (0.7, 1.4):
            q = replace(p, tempo_s=p.tempo_s / k)
            out[f"tempo{k}"].append(
                readings(pose(q, spec, view, anchor=anchor).to_common().xy, "left")
            )
    return out


def summary(real: list[dict], drawn: dict[str, list[dict]]) -> dict[str, dict]:
    """Per candidate and reading (top / change): ranges, the half-way limit, drawn fails."""
    out = {}
    for name in [k for k, v in real[0].items() if isinstance(v, tuple)]:
        for k, how in enumerate(("top", "change") if name in CHANGE else ("top",)):
            good = [r[name][k] for r in real if r["correct"]]
            missed = {
                r["file"]: round(r[name][k], 1) for r in real if not r["correct"] and r["passed"]
            }
            below = [x for x in missed.values() if x < min(good)]  # the arms further back
            limit = (min(good) + max(below)) / 2 if below else float("nan")
            fails = {
                v: round(float(np.mean([d[name][k] < limit for d in rows])), 2)
                for v, rows in drawn.items()
            }
            span = {
                v: (
                    round(min(d[name][k] for d in rows), 1),
                    round(max(d[name][k] for d in rows), 1),
                )
                for v, rows in drawn.items()
            }
            out[f"{name} {how}"] = {
                "correct": (round(min(good), 1), round(max(good), 1)),
                "missed faults": missed,
                "limit": round(limit, 1),
                "drawn": span["given"],
                "drawn failing": fails,
            }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", default="tune", choices=("tune", "validate"))
    ap.add_argument("--drawn", type=int, default=200, help="drawn textbook presses (seeds)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}: pass --data ../shared/data", file=sys.stderr)
        return 2
    real = real_presses(args.data, args.part)
    result = {"reps": real, "summary": summary(real, drawn_presses(args.drawn))}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    for r in sorted(real, key=lambda r: (not r["correct"], r["file"])):
        cells = " ".join(
            f"{k}={v[0]:6.1f}/{v[1]:6.1f}" for k, v in r.items() if isinstance(v, tuple)
        )
        label = f"{'good' if r['correct'] else 'bad '} {'pass' if r['passed'] else 'fail'}"
        print(f"{r['file']:>7} {label} {cells}")
    for k, s in result["summary"].items():
        worst = max(s["drawn failing"].items(), key=lambda kv: kv[1])
        print(
            f"{k:22} correct {s['correct']}  missed faults {s['missed faults']}  limit "
            f"{s['limit']}  drawn {s['drawn']}  drawn failing {s['drawn failing']['given']} "
            f"(worst {worst[0]} {worst[1]})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
