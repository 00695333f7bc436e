"""Latency of live coaching in the browser, against the bare pose model, in one run.

    python benchmarks/web_latency.py [--data ../shared/data] [--duration 120] [--json]

A real headless Chromium (Debian's ``chromium`` + ``chromium-driver``) opens the training
page with a fake camera playing a real curl clip at 640x480 (converted to Y4M, looping) and a
fake microphone saying a real "yes" every 5 s; ``formcoach serve``'s app runs in this
process with the real models. After the spoken "ready?" it trains a free set for
``--duration`` seconds, then:

- **capture to landmarks drawn**: per frame, from the camera's capture time of the frame
  (``requestVideoFrameCallback``'s ``captureTime``) to the skeleton drawn on the page;
- **the pose model in the run**: the same frames' ``process()`` time inside the server;
- **the bare pose model**: a fresh model over the same clip's frames, nothing else running;
- **overhead**: capture-to-drawn minus the model's own time, per frame (p50), and the ratio
  of the capture-to-drawn p50 to the bare model's p50;
- **cue audio start after the rep's end**: from the capture time of a rep's last frame to
  the moment its spoken line starts playing in the page (includes the counter's wait to see
  that the rep is over);
- **memory**: this process's resident memory (the server) and the page's JS heap, sampled
  every 10 s; the slope over the second half of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CLIP = "chauhan08_fitness__barbell-curl.mp4"
YES = "speech/yes/6a27a9bf_nohash_0.wav"


class TimedModel:
    """BlazePose, remembering how long ``process()`` took for each frame index (ms)."""

    def __init__(self) -> None:
        from formcoach.pose.estimator import BlazePose

        self.model = BlazePose()
        self.skeleton = self.model.skeleton
        self.ms: dict[int, float] = {}

    def __call__(self, frame):
        from formcoach.pose.estimator import from_mediapipe

        t0 = time.perf_counter()
        landmarks = self.model.process_rgb(frame.rgb)
        self.ms[frame.index] = (time.perf_counter() - t0) * 1000
        h, w = frame.image.shape[:2]
        return from_mediapipe(landmarks, (w, h), frame.timestamp, frame.index)

    def close(self) -> None:
        self.model.close()


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _pct(values, q) -> float | None:
    return round(float(np.percentile(values, q)), 1) if len(values) else None


def _slope_per_min(samples: list[tuple[float, float]]) -> float | None:
    """MB per minute over the second half of ``(seconds, MB)`` samples."""
    half = samples[len(samples) // 2 :]
    if len(half) < 3:
        return None
    t, mb = np.array(half).T
    return round(float(np.polyfit(t / 60.0, mb, 1)[0]), 2)


def _material(data: Path, work: Path) -> tuple[Path, Path]:
    from formcoach.testing.browser import write_y4m
    from formcoach.voice.audio import read_wav, write_wav

    video = work / "camera.y4m"
    write_y4m(data / "videos" / CLIP, video, (640, 480))
    yes, rate = read_wav(data / YES)
    quiet = np.zeros(int((5.0 - len(yes) / rate) * rate), np.int16)  # "yes" every 5 s
    return video, write_wav(work / "yes.wav", np.concatenate([yes, quiet]), rate)


def _app(work: Path, models: list[TimedModel]):
    from formcoach.form.exercises import get_exercise
    from formcoach.store import Store
    from formcoach.web.app import create_app
    from formcoach.web.parts import LiveParts
    from formcoach.web.settings import ServeSettings

    db = work / "bench.db"
    with Store(db, validate_exercise=get_exercise) as store:
        store.add_profile("bench")

    def model() -> TimedModel:
        models.append(TimedModel())
        return models[-1]

    return create_app(ServeSettings(db=db, work_dir=work / "serve"), LiveParts(estimator=model))


def _train(driver, base: str, duration_s: float, memory: list) -> dict:
    """Start a free set and keep it going ``duration_s`` seconds after counting starts."""
    driver.get(f"{base}/train?profile=bench&exercise=bicep_curl&reps=1000")
    driver.find_element("css selector", '[data-testid="start"]').click()
    t_start, t0 = None, time.monotonic()
    while True:
        time.sleep(1.0)
        state = driver.execute_script("return window.formcoach.state") or {}
        if t_start is None and state.get("phase") == "training":
            t_start = time.monotonic()
        if t_start is not None and len(memory) <= (time.monotonic() - t_start) / 10:
            heap = driver.execute_script("return performance.memory.usedJSHeapSize") / 1e6
            memory.append((time.monotonic() - t_start, _rss_mb(), heap))
        if t_start is not None and time.monotonic() - t_start >= duration_s:
            break
        if driver.execute_script("return window.formcoach.ended") or time.monotonic() - t0 > (
            duration_s + 180
        ):
            break
    return driver.execute_script(
        "return {frames: window.formcoach.frames, cues: window.formcoach.cues,"
        " state: window.formcoach.state, ended: window.formcoach.ended}"
    )


def bare_model_ms(video: Path, period_s: float, limit: int = 300) -> list[float]:
    """Per-frame ``process()`` time of a fresh model over the clip's frames (RGB, 640x480),
    one frame every ``period_s`` as in the live run (on a busy machine a thread that waits
    between frames is scheduled sooner than a tight loop: the pacing keeps them comparable)."""
    import cv2

    from formcoach.pose.estimator import BlazePose
    from formcoach.testing.browser import letterbox

    cap = cv2.VideoCapture(str(video))
    frames = []
    while len(frames) < limit:
        ok, image = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(letterbox(image, (640, 480)), cv2.COLOR_BGR2RGB))
    out = []
    with BlazePose() as model:
        start = time.perf_counter()
        for k, rgb in enumerate(frames[:: max(1, round(period_s * 30))]):
            time.sleep(max(0.0, start + k * period_s - time.perf_counter()))
            t0 = time.perf_counter()
            model.process_rgb(rgb)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def summarise(page: dict, model_ms: dict[int, float], bare: list[float], memory) -> dict:
    frames = page["frames"]
    latency = np.array([f["drawn_ms"] - f["capture_ms"] for f in frames])
    in_run = [model_ms[f["id"]] for f in frames if f["id"] in model_ms]
    overhead = [
        f["drawn_ms"] - f["capture_ms"] - model_ms[f["id"]] for f in frames if f["id"] in model_ms
    ]
    captures = np.array([f["capture_ms"] for f in frames])
    cues = [c["latency_ms"] / 1000 for c in page["cues"]]
    told = [c["told_ms"] / 1000 for c in page["cues"]]
    frames = [f for f in frames if f.get("sent_ms") is not None]
    page_part = [f["sent_ms"] - f["capture_ms"] + f["drawn_ms"] - f["reply_ms"] for f in frames]
    encode = [f["sent_ms"] - f["called_ms"] for f in frames]
    server_part = [f["reply_ms"] - f["sent_ms"] for f in frames]
    p50, p95 = _pct(latency, 50), _pct(latency, 95)
    bare50 = _pct(bare, 50)
    seconds = (captures[-1] - captures[0]) / 1000 if len(captures) > 1 else 0
    return {
        "frames": len(frames),
        "frames_per_s": round(len(frames) / seconds, 1) if seconds else None,
        "capture_to_drawn_ms": {"p50": p50, "p95": p95, "max": _pct(latency, 100)},
        "model_in_run_ms": {"p50": _pct(in_run, 50), "p95": _pct(in_run, 95)},
        "model_bare_ms": {"p50": bare50, "p95": _pct(bare, 95)},
        "overhead_ms": {"p50": _pct(overhead, 50), "p95": _pct(overhead, 95)},
        "page_encode_and_draw_ms": {"p50": _pct(page_part, 50), "p95": _pct(page_part, 95)},
        "page_jpeg_encode_ms": {"p50": _pct(encode, 50), "p95": _pct(encode, 95)},
        "sent_to_reply_ms": {"p50": _pct(server_part, 50), "p95": _pct(server_part, 95)},
        "overhead_over_bare_model_p50_ms": round(p50 - bare50, 1) if p50 and bare50 else None,
        "ratio_to_bare_model": round(p50 / bare50, 2) if p50 and bare50 else None,
        "p95_over_p50": round(p95 / p50, 2) if p50 else None,
        "cue_after_rep_end_s": {
            "n": len(cues),
            "median": round(statistics.median(cues), 3) if cues else None,
            "p95": _pct(cues, 95),
            "max": round(max(cues), 3) if cues else None,
            "line_reaches_page_median": round(statistics.median(told), 3) if told else None,
        },
        "memory": {
            "samples": [[round(t), round(rss, 1), round(heap, 1)] for t, rss, heap in memory],
            "server_rss_mb_per_min": _slope_per_min([(t, rss) for t, rss, _ in memory]),
            "page_heap_mb_per_min": _slope_per_min([(t, heap) for t, _, heap in memory]),
        },
        "reps": (page.get("state") or {}).get("count"),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def targets(r: dict) -> dict[str, bool | None]:
    over = r["overhead_ms"]["p50"]
    cue = r["cue_after_rep_end_s"]["median"]
    slope = r["memory"]["server_rss_mb_per_min"]
    return {
        "overhead_p50_le_20ms": None if over is None else over <= 20,
        "p95_le_2x_p50": None if r["p95_over_p50"] is None else r["p95_over_p50"] <= 2,
        "cue_median_le_0.5s": None if cue is None else cue <= 0.5,
        "server_memory_flat_le_1mb_per_min": None if slope is None else abs(slope) <= 1.0,
    }


def run(data: Path, duration_s: float) -> dict:
    from formcoach.testing.browser import browser_missing, chromium, serving

    why = browser_missing()
    if why:
        raise SystemExit(f"web_latency: {why}")
    with tempfile.TemporaryDirectory(prefix="formcoach-bench-") as tmp:
        work = Path(tmp)
        video, microphone = _material(data, work)
        models: list[TimedModel] = []
        memory: list = []
        with serving(_app(work, models)) as base, chromium(work / "chrome", video, microphone) as d:
            page = _train(d, base, duration_s, memory)
        model_ms = {k: v for m in models for k, v in m.ms.items()}
        captures = [f["capture_ms"] for f in page["frames"]]
        period_s = (captures[-1] - captures[0]) / 1000 / max(1, len(captures) - 1)
        bare = bare_model_ms(data / "videos" / CLIP, period_s, limit=int(100 / period_s) + 1)
    result = summarise(page, model_ms, bare, memory)
    result["duration_s"] = duration_s
    result["targets"] = targets(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of training")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (args.data / "videos" / CLIP).is_file():
        print(
            f"web_latency: {args.data / 'videos' / CLIP} not found (pass --data)", file=sys.stderr
        )
        return 2
    result = run(args.data, args.duration)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
