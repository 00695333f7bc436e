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
