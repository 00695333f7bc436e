"""A self-contained HTML report of an analysis: plots first, then the per-rep table.

One file, no external assets: the plots are PNG images (matplotlib, Agg backend) embedded as
base64. What a person would rather look at than read:

- the score of every rep against the limit of a correct rep;
- how far each body part was from the reference in every rep (a heat map);
- each judged feature's curve in every rep against the reference rep;
- the table: time, score, verdict, what to fix.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np

from formcoach.analysis import Analysis
from formcoach.core.errors import FormcoachError
from formcoach.core.features import feature
from formcoach.form.judge import score_from_deviation

__all__ = ["render_report", "write_report"]

_GOOD, _BAD, _REF = "#2e9d5b", "#d1495b", "#222222"

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1000px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{background:#f4f5f7;border-radius:10px;padding:.8rem 1.2rem;min-width:8rem}
.card b{display:block;font-size:1.8rem}
img{max-width:100%;border:1px solid #eee;border-radius:8px;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid #eee;text-align:left}
.pass{color:#2e9d5b;font-weight:600}.fail{color:#d1495b;font-weight:600}
.note{background:#fff6e0;border-left:4px solid #f0b429;padding:.6rem 1rem;margin:1rem 0}
"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _score_plot(a: Analysis) -> str | None:
    import matplotlib.pyplot as plt

    judged = a.judged
    if not judged:
        return None
    fig, ax = plt.subplots(figsize=(9, 3))
    nums = [r.rep.number for r in judged]
    scores = [r.verdict.score for r in judged if r.verdict]
    colors = [_GOOD if r.verdict and r.verdict.passed else _BAD for r in judged]
    ax.bar(nums, scores, color=colors)
    ax.axhline(score_from_deviation(1.0), color="#888", ls="--", lw=1)
    ax.text(nums[-1] + 0.45, score_from_deviation(1.0) + 2, "limit", color="#888", ha="right")
    ax.set_ylim(0, 100)
    ax.set_xlabel("stretch" if a.exercise.static else "rep")
    ax.set_ylabel("score")
    ax.set_title("Score of every " + ("stretch of the hold" if a.exercise.static else "rep"))
    ax.set_xticks(nums)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _parts_plot(a: Analysis) -> str | None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap

    judged = a.judged
    if not judged:
        return None
    parts = sorted({p for r in judged if r.verdict for p in r.verdict.distances})
    m = np.full((len(parts), len(judged)), np.nan)
    for j, r in enumerate(judged):
        for i, p in enumerate(parts):
            if r.verdict and p in r.verdict.distances:
                m[i, j] = r.verdict.distances[p]
    cmap = LinearSegmentedColormap.from_list("dev", [_GOOD, "#f0d060", _BAD])
    fig, ax = plt.subplots(figsize=(9, 0.5 + 0.45 * len(parts)))
    im = ax.imshow(m, aspect="auto", cmap=cmap, vmin=0, vmax=2)
    ax.set_yticks(range(len(parts)), [p.replace("_", " ") for p in parts])
    ax.set_xticks(range(len(judged)), [str(r.rep.number) for r in judged])
    ax.set_xlabel("stretch" if a.exercise.static else "rep")
    ax.set_title("How far each body part was from the reference (1 = limit of a good rep)")
    fig.colorbar(im, ax=ax, fraction=0.025)
    return _png(fig)


def _curves_plot(a: Analysis) -> str | None:
    import matplotlib.pyplot as plt

    judged = [r for r in a.judged if r.curves is not None]
    if not judged:
        return None
    keys = sorted({k for r in judged if r.curves for k in r.curves.curves})
    if not keys:
        return None
    ref = a.judge.reference_curves(a.view.facing)
    cols = 3 if len(keys) > 4 else 2 if len(keys) > 1 else 1
    rows = int(np.ceil(len(keys) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False)
    defs = a.exercise.feature_defs()
    for ax, key in zip(axes.flat, keys, strict=False):
        base = key.split("@")[0]
        for r in judged:
            c = r.curves.curves.get(key) if r.curves else None
            if c is None:
                continue
            x = np.linspace(0, 100, len(c))
            ok = bool(r.verdict and r.verdict.passed)
            ax.plot(x, c, color=_GOOD if ok else _BAD, alpha=0.55, lw=1.2)
        rc = (
            ref.get(key)
            if key in ref
            else next((v for k, v in ref.items() if k.split("@")[0] == base), None)
        )
        if rc is not None:
            ax.plot(np.linspace(0, 100, len(rc)), rc, color=_REF, lw=2.5, label="reference")
        f = defs.get(base)
        unit = "degrees" if f is not None and feature(f.resolved("left")).is_angle else ""
        side = f" ({key.split('@')[1]})" if "@" in key else ""
        ax.set_title(f"{base.replace('.', ': ').replace('_', ' ')}{side}", fontsize=10)
        ax.set_xlabel("% of the rep")
        if unit:
            ax.set_ylabel(unit)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in list(axes.flat)[len(keys) :]:
        ax.axis("off")
    handles = [
        plt.Line2D([], [], color=_REF, lw=2.5, label="reference"),
        plt.Line2D([], [], color=_GOOD, label="good rep"),
        plt.Line2D([], [], color=_BAD, label="rep to fix"),
    ]
    fig.suptitle("Each body part's movement against the reference")
    fig.tight_layout()
    fig.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, frameon=False
    )
    return _png(fig)


def render_report(a: Analysis) -> str:
    """The report as one HTML document (a string)."""
    import matplotlib

    matplotlib.use("Agg")
    e = html.escape
    s = a.summary()
    judged = a.judged
    passed = s["passed"]
    cards = [
        (
            "held" if a.exercise.static else "reps",
            f"{a.held_s:.0f} s" if a.exercise.static else str(s["reps"]),
        ),
        ("good", f"{passed} of {len(judged)}"),
        ("mean score", "–" if s["mean_score"] is None else f"{s['mean_score']:.0f}"),
        ("camera", a.view.facing),
    ]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>formcoach — {e(a.exercise.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(a.exercise.title)}</h1>",
        f"<p class='sub'>{e(a.source)} · {s['duration_s']:.1f} s · {s['frames']} frames</p>",
        "<div class='cards'>",
        *[f"<div class='card'>{e(k)}<b>{e(v)}</b></div>" for k, v in cards],
        "</div>",
    ]
    advice = _advice(a)
    if advice:
        parts.append(f"<div class='note'><b>To work on:</b> {e(advice)}</div>")
    for note in sorted(set(s["hidden"].values())):  # type: ignore[union-attr]
        parts.append(f"<div class='note'>{e(note)}</div>")
    for img in (_score_plot(a), _parts_plot(a), _curves_plot(a)):
        if img:
            parts.append(f"<img alt='plot' src='data:image/png;base64,{img}'>")
    parts.append("<h2>Rep by rep</h2><table><tr><th>#</th><th>time</th><th>score</th>")
    parts.append("<th>verdict</th><th>body part</th><th>what to do</th></tr>")
    for r in a.results:
        t = f"{r.rep.start_s:.1f}–{r.rep.end_s:.1f} s"
        if r.verdict is None:
            parts.append(
                f"<tr><td>{r.rep.number}</td><td>{t}</td><td>–</td><td>not judged</td>"
                f"<td></td><td>{e(r.error or '')}</td></tr>"
            )
            continue
        v = r.verdict
        cls, word = ("pass", "good") if v.passed else ("fail", "fix")
        worst = ", ".join(p.replace("_", " ") for p in v.worst)
        parts.append(
            f"<tr><td>{r.rep.number}</td><td>{t}</td><td>{v.score}</td>"
            f"<td class='{cls}'>{word}</td><td>{e(worst)}</td><td>{e(v.cue)}</td></tr>"
        )
    parts.append("</table>")
    parts.append(
        "<p class='sub'>Score: 100 is the reference movement; 61 is the limit of a good rep. "
        f"Reference: {'your demonstration' if a.exercise.taught else 'formcoach generic'}."
        "</p></body></html>"
    )
    return "\n".join(parts)


def _advice(a: Analysis) -> str:
    """The most frequent correction over the failed reps."""
    cues: dict[str, int] = {}
    for r in a.judged:
        if r.verdict and not r.verdict.passed:
            cues[r.verdict.cue] = cues.get(r.verdict.cue, 0) + 1
    if not cues:
        return ""
    cue, n = max(cues.items(), key=lambda kv: kv[1])
    return f"{cue} ({n} of {len(a.judged)} reps)"


def write_report(a: Analysis, path: str | Path) -> Path:
    """Write the report to ``path`` (.html); returns the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise FormcoachError(
            f"report file {str(path)!r} must end in .html", "name it e.g. report.html"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(a), encoding="utf-8")
    return path
