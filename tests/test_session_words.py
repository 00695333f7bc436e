"""How a set ended, as the session's summary and report say it."""

import io

import pytest

from formcoach.render.session_report import _sets
from formcoach.session.results import SessionResult, SetResult
from formcoach.session.run import print_result


@pytest.mark.parametrize(
    ("ended_by", "words"),
    [("target", "target reached"), ("idle", "you stopped moving"), ("end", "recording ended")],
)
def test_a_set_ends_in_words(ended_by, words):
    """The summary read 'bicep curl set 1: 3/3 reps, form 93/100 (target)' and the report's
    'ended' column 'target' / 'end'."""
    s = SetResult("bicep curl", 1, 3, None, ended_by=ended_by)
    result = SessionResult("ana", 1, "finished", sets=(s,))
    out = io.StringIO()
    print_result(result, out)
    assert f"({ended_by})" not in out.getvalue() and words in out.getvalue()
    assert words in _sets(result)[0]["ended_by"]
