"""``formcoach session`` from the command line: failures are one clear line, data untouched."""

from click.testing import CliRunner

from formcoach.cli import main


def test_missing_camera_is_a_clear_error(tmp_path):
    db = tmp_path / "f.db"
    r = CliRunner().invoke(
        main,
        [
            "session",
            "--camera",
            "97",
            "--profile",
            "ana",
            "--db",
            str(db),
            "--voice",
            "text",
            "--microphone",
            "off",
            "--no-window",
        ],
    )
    assert r.exit_code != 0
    assert "cannot open camera 97" in r.output and "Traceback" not in r.output


def test_unknown_profile_says_how_to_add_it(tmp_path):
    from formcoach.testing.figure import stick_figure

    poses = stick_figure({}, n_frames=10).save(tmp_path / "p.npz")
    args = ["session", "--profile", "zed", "--db", str(tmp_path / "f.db"), "--voice", "text"]
    r = CliRunner().invoke(main, [*args, "--video", str(poses)])
    assert r.exit_code != 0 and "no profile named 'zed'" in r.output


def test_missing_video_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(
        main, ["session", "--video", str(tmp_path / "no.mp4"), "--voice", "text"]
    )
    assert r.exit_code != 0 and "no such video" in r.output


def test_corrupt_database_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "f.db"
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    r = CliRunner().invoke(
        main, ["session", "--profile", "ana", "--db", str(db), "--voice", "text", "--no-window"]
    )
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert db.read_bytes() == junk


def test_ctrl_c_says_what_was_kept_instead_of_aborted(tmp_path, monkeypatch):
    """Ctrl-C mid-set: click used to print only "Aborted!", as if all were lost."""
    from formcoach.cli import cmd_session
    from formcoach.store import RepRecord, Store

    db = tmp_path / "f.db"
    with Store(db) as s:
        s.add_profile("ana", plan={})

    def interrupted_session(opts, echo, write_report):
        with Store(db) as s, s.record_session("ana", "camera 0") as rec:
            rec.start_set("push-up", 10)
            for k in (1, 2, 3):
                rec.add_rep(RepRecord(k, start_s=k, end_s=k + 0.5, score=80.0))
            raise KeyboardInterrupt

    monkeypatch.setattr(cmd_session, "run_session", interrupted_session)
    r = CliRunner().invoke(main, ["session", "--profile", "ana", "--db", str(db)])
    assert r.exit_code == 130, r.output
    assert "Aborted!" not in r.output
    assert "session 1 for ana: interrupted (Ctrl-C); kept 1 set, 3 reps" in r.output
    assert "formcoach history ana" in r.output


def test_ctrl_c_before_any_set_says_nothing_was_stored(tmp_path, monkeypatch):
    from formcoach.cli import cmd_session
    from formcoach.store import Store

    db = tmp_path / "f.db"
    with Store(db) as s:
        s.add_profile("ana", plan={})

    def greeting(opts, echo, write_report):
        raise KeyboardInterrupt

    monkeypatch.setattr(cmd_session, "run_session", greeting)
    r = CliRunner().invoke(main, ["session", "--profile", "ana", "--db", str(db)])
    assert r.exit_code == 130 and "before any set began" in r.output


def test_a_read_only_database_is_refused_before_the_greeting(tmp_path, monkeypatch):
    """On a read-only file the session greeted, asked "ready?", then failed at the first set."""
    import os

    from formcoach.store import Store
    from formcoach.testing.figure import stick_figure

    db = tmp_path / "f.db"
    with Store(db) as s:
        s.add_profile("ana")
    poses = stick_figure({}, n_frames=10).save(tmp_path / "p.npz")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m, **kw: m != os.W_OK and real(p, m, **kw))
    args = ["session", "--profile", "ana", "--db", str(db), "--voice", "text", "--no-window"]
    r = CliRunner().invoke(main, [*args, "--video", str(poses), "--answers", "yes"])
    assert r.exit_code == 1 and "is read-only" in r.output and "chmod u+w" in r.output
    assert "Hello" not in r.output and "ready" not in r.output
