import pytest

from formcoach.core.errors import FormcoachError
from formcoach.render.progress import progress_plot, progress_plot_html
from formcoach.store import RepRecord, Store
from formcoach.store.history import format_history, history


@pytest.fixture
def store():
    with Store(":memory:") as s:
        s.add_profile("Ana")
        s.add_profile("Bob")
        yield s


def _session(store, name, sets, status="finished"):
    """sets: [(exercise, [(score, passed, worst_part), ...]), ...]"""
    with store.record_session(name) as rec:
        for exercise, reps in sets:
            rec.start_set(
                exercise, target_reps=len(reps) or None, target_hold_s=None if reps else 30
            )
            for n, (score, passed, part) in enumerate(reps, 1):
                rec.add_rep(RepRecord(n, score=score, passed=passed, worst_part=part))
            if not reps:
                rec.end_set(hold_s=27.0)
        if status == "interrupted":
            rec.finish("interrupted")


def test_history_aggregates_volume_scores_and_the_most_cued_part(store):
    _session(
        store,
        "Ana",
        [
            ("bicep_curl", [(60, False, "left_arm"), (70, False, "left_arm"), (80, True, "trunk")]),
            ("bicep_curl", [(90, True, "left_arm")]),
            ("plank", []),
        ],
    )
    _session(
        store,
        "Ana",
        [("bicep_curl", [(85, True, None), (75, False, "trunk")])],
        status="interrupted",
    )
    _session(store, "Bob", [("squat", [(10, False, "knees")] * 1)])
    h = history(store, "ana")
    assert h.profile == "Ana"
    assert [s.status for s in h.sessions] == ["finished", "interrupted"]
    assert (h.total_sets, h.total_reps) == (4, 6)
    curl = h.exercises["bicep_curl"]
    assert [(p.sets, p.reps) for p in curl] == [(2, 4), (1, 2)]
    assert [p.mean_score for p in curl] == [75.0, 80.0]
    assert [p.pass_rate for p in curl] == [0.5, 0.5]
    assert h.exercises["plank"][0].hold_s == 27.0 and h.exercises["plank"][0].reps == 0
    # only failed reps count: left arm twice, trunk once (Bob's knees are not Ana's)
    assert h.cued_parts == {"left_arm": 2, "trunk": 1}
    assert h.most_cued_part == "left_arm"
    text = format_history(h)
    assert "Ana: 2 sessions, 4 sets, 6 reps" in text
    assert "Needs the most work: left arm (2 failed reps)" in text
    assert "interrupted" in text
    d = h.to_dict()
    assert d["most_cued_part"] == "left_arm" and d["exercises"]["bicep_curl"][1]["reps"] == 2


def test_history_of_a_new_profile_is_empty_and_of_an_unknown_one_an_error(store):
    h = history(store, "Bob")
    assert (h.sessions, h.total_reps, h.most_cued_part) == ([], 0, None)
    assert "No sessions yet" in format_history(h)
    with pytest.raises(FormcoachError, match="no profile named 'zoe'"):
        history(store, "zoe")


def test_progress_plot_is_a_png_or_an_svg_and_embeds_in_html(store):
    _session(store, "Ana", [("squat", [(70, True, None), (50, False, "knees")])])
    _session(store, "Ana", [("squat", [(80, True, None)]), ("bicep_curl", [(90, True, None)])])
    h = history(store, "Ana")
    png = progress_plot(h, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    svg = progress_plot(h, "svg")
    assert b"<svg" in svg[:1000] and b"squat" in svg and b"bicep_curl" in svg
    html = progress_plot_html(h)
    assert html.startswith("<svg") and "<?xml" not in html
    assert "data:image/png;base64," in progress_plot_html(h, "png")
    assert progress_plot(history(store, "Bob")).startswith(b"\x89PNG")  # empty history draws
    with pytest.raises(ValueError, match="png' or 'svg"):
        progress_plot(h, "gif")
