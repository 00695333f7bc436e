"""The session report: one self-contained HTML file (inline SVG plots, no external files)."""

from __future__ import annotations

import html
import io
from datetime import datetime
from pathlib import Path

from formcoach.session.results import SessionResult
from formcoach.store import Store

__all__ = ["scores_plot_svg", "write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:60rem;color:#1d2430;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem}
.sub{color:#5b6575;margin-top:0} .cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{background:#f3f5f8;border-radius:.6rem;padding:.8rem 1.2rem;min-width:8rem}
.card b{display:block;font-size:1.6rem} table{border-collapse:collapse;width:100%}
td,th{padding:.35rem .6rem;border-bottom:1px solid #e3e7ee;text-align:left;font-size:.92rem}
.ok{color:#1a7f37;font-weight:600} .bad{color:#c62828;font-weight:600}
figure{margin:1rem 0} svg{max-width:100%;height:auto} .said{color:#3b4656}
"""


def scores_plot_svg(result: SessionResult) -> str:
    """Form score of every rep of the session, coloured by verdict, as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs, ys, colors, labels = [], [], [], []
    i = 0
    for s in result.sets:
        for r in s.reps:
            i += 1
            if r.score is None:
                continue
            xs.append(i)
            ys.append(max(r.score, 1.5))  # a zero score still shows as a sliver
            colors.append("#1a7f37" if r.passed else "#c62828")
        labels.append((i, f"{s.exercise} {s.number}"))
    fig, ax = plt.subplots(figsize=(8, 2.8), dpi=100)
    ax.bar(xs, ys, color=colors, width=0.7)
    ax.axhline(61, color="#888", lw=0.8, ls="--")
    ax.set_ylim(0, 100)
    ax.set_ylabel("form score")
    ax.set_xlabel("rep")
    start = 0.5
    for end, label in labels:
        ax.axvline(end + 0.5, color="#ccc", lw=0.8)
        ax.text((start + end + 0.5) / 2, 97, label, ha="center", va="top", fontsize=8)
        start = end + 0.5
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def write_report(result: SessionResult, store: Store, folder: str | Path) -> Path:
    """Write ``session-<id>.html`` into ``folder`` and return its path."""
    from formcoach.store.history import history, progress_plot_html

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = result.profile or "guest"
    path = folder / f"session-{result.session_id or 'none'}.html"
    esc = html.escape
    scores = [s.score for s in result.sets if s.score is not None]
    latencies = result.cue_latencies()
    cards = [
        ("sets", str(len(result.sets))),
        ("reps", str(result.reps)),
        ("form score", f"{sum(scores) / len(scores):.0f}" if scores else "–"),
        ("status", result.status),
    ]
    if latencies:
        cards.append(("median cue delay", f"{sorted(latencies)[len(latencies) // 2]:.2f} s"))
    rows = []
    for s in result.sets:
        for k, r in enumerate(s.reps, 1):
            verdict = "–" if r.passed is None else ("good" if r.passed else "fix")
            cls = "" if r.passed is None else ("ok" if r.passed else "bad")
            rows.append(
                f"<tr><td>{esc(s.exercise)} {s.number}</td><td>{k}</td>"
                f"<td>{r.rep.start_s:.1f}–{r.rep.end_s:.1f} s</td>"
                f"<td>{'' if r.score is None else r.score}</td>"
                f'<td class="{cls}">{verdict}</td>'
                f'<td class="said">{esc(r.said or r.note)}</td></tr>'
            )
    set_rows = [
        f"<tr><td>{esc(s.exercise)}</td><td>{s.number}</td>"
        f"<td>{s.count if s.target_hold_s is None else f'{s.hold_s or 0:.0f} s'}</td>"
        f"<td>{s.target_reps if s.target_hold_s is None else f'{s.target_hold_s:.0f} s'}</td>"
        f"<td>{'' if s.score is None else f'{s.score:.0f}'}</td><td>{esc(s.ended_by)}</td></tr>"
        for s in result.sets
    ]
    progress = ""
    if result.profile:
        try:
            progress = progress_plot_html(history(store, result.profile))
        except Exception as e:  # the report must not fail because of a plot
            progress = f"<p>(no progress plot: {esc(str(e))})</p>"
    transcript = "".join(f"<li>{esc(line)}</li>" for line in result.said)
    heard = "".join(
        f"<li>{esc(q)} → <b>{esc(i)}</b> ({esc(how)})</li>" for q, i, how in result.heard
    )
    doc = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>formcoach session – {esc(name)}</title><style>{_CSS}</style></head><body>
<h1>Training session: {esc(name.replace("_", " ").title())}</h1>
<p class="sub">{datetime.now():%A %d %B %Y, %H:%M} · formcoach, offline</p>
<div class="cards">{"".join(f'<div class="card"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in cards)}
</div>
<h2>Form score of every rep</h2><figure>{scores_plot_svg(result) if rows else "<p>No reps.</p>"}
</figure>
<h2>Sets</h2><table><tr><th>exercise</th><th>set</th><th>done</th><th>target</th>
<th>form</th><th>ended</th></tr>{"".join(set_rows)}</table>
<h2>Every rep and what the coach said</h2><table><tr><th>set</th><th>rep</th><th>time</th>
<th>score</th><th>verdict</th><th>said</th></tr>{"".join(rows)}</table>
<h2>Progress</h2>{progress}
<h2>Conversation</h2><ul>{heard}</ul><details><summary>Everything the coach said</summary>
<ol>{transcript}</ol></details>
</body></html>"""
    path.write_text(doc, encoding="utf-8")
    return path
