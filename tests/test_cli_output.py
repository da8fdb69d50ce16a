"""What `seedfeed` shows a person: the build summary, check's warnings and summary line,
-q and -v, progress on a terminal against plain lines when piped, colour, --help examples."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import CORPUS, SAMPLE

IMPOSSIBLE_DATE = "026_impossible_date.txt"  # publishes with a warning
ESC = "\x1b"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "seedfeed", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env={**os.environ, **(env or {})},
                          check=False)


def on_terminal(*args: str, cwd: Path, stream: str,
                env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run with `stream` ("stdout" or "stderr") on a pseudo-terminal: (code, what the
    terminal got, what the other stream got through a pipe)."""
    master, slave = pty.openpty()
    other = "stderr" if stream == "stdout" else "stdout"
    proc = subprocess.Popen([sys.executable, "-m", "seedfeed", *args], cwd=cwd,
                            env={**os.environ, "TERM": "xterm", **(env or {})},
                            **{stream: slave, other: subprocess.PIPE})  # type: ignore[call-overload]
    os.close(slave)
    got = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            got.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    piped = getattr(proc, other).read().decode()
    code = proc.wait(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return code, got.decode(), piped


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A site with the sample, a seed that publishes with a warning and 13 empty files."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SAMPLE).write_bytes((CORPUS / SAMPLE).read_bytes())
    (seeds / IMPOSSIBLE_DATE).write_bytes((CORPUS / IMPOSSIBLE_DATE).read_bytes())
    for n in range(13):
        (seeds / f"empty{n:02}.txt").write_bytes(b"")
    (tmp_path / "config.toml").write_text("[ingest]\nsettle_seconds = 0\n", encoding="utf-8")
    return tmp_path


def test_build_summary_counts_and_the_first_ten_rejections(site: Path) -> None:
    proc = run("build", cwd=site)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("15 seeds built in ") and "files updated" in lines[0]
    counts = {parts[0]: parts[1] for parts in map(str.split, lines[1:]) if len(parts) >= 2
              and parts[1].isdigit()}
    assert counts == {"published": "2", "duplicates": "0", "rejected": "13", "warnings": "1",
                      "pending": "0"}
    shown = [line.strip() for line in lines if line.strip().startswith("empty")]
    assert shown == [f"empty{n:02}.txt: the file is empty" for n in range(10)]
    assert "    … and 3 more" in lines
    assert ESC not in proc.stdout + proc.stderr, "no colour nor cursor moves when piped"
    again = run("build", cwd=site).stdout.splitlines()[0]
    assert "nothing changed" in again


def test_quiet_prints_nothing_on_success_and_only_errors_otherwise(site: Path) -> None:
    for n in range(13):
        (site / "seeds" / f"empty{n:02}.txt").unlink()
    for args in (["build", "-q"], ["check", "-q"], ["-q", "check", "seeds"]):
        proc = run(*args, cwd=site)
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), args
    (site / "seeds" / "bad.txt").write_bytes(b"")
    proc = run("check", "-q", cwd=site)
    assert proc.returncode == 1 and proc.stderr == ""
    [line] = proc.stdout.splitlines()
    assert line.startswith("rejected") and "bad.txt: the file is empty" in line
    proc = run("build", "--quiet", cwd=site)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == "seedfeed: rejected bad.txt: the file is empty\n"


def test_verbose_logs_debug_detail(site: Path) -> None:
    proc = run("check", "-v", "seeds/" + SAMPLE, cwd=site)
    assert proc.returncode == 0
    assert f"DEBUG seedfeed: config {site / 'config.toml'}: seeds {site / 'seeds'}" in proc.stderr
    assert "DEBUG" not in run("check", "seeds/" + SAMPLE, cwd=site).stderr
    assert run("build", "-v", "-q", cwd=site).returncode == 2  # one or the other


def test_check_shows_warnings_under_their_file_and_a_summary(site: Path) -> None:
    proc = run("check", cwd=site)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if IMPOSSIBLE_DATE in line)
    assert lines[at].startswith("ok ")
    assert lines[at + 1].startswith("          warning: impossible date left out: '2023-02-30")
    assert lines[-1] == "2 ok, 13 rejected, 0 ignored, 1 warning"
    as_json = run("check", "--json", cwd=site)
    assert as_json.stderr.splitlines()[-1] == "2 ok, 13 rejected, 0 ignored, 1 warning"
    assert all(line.startswith("{") for line in as_json.stdout.splitlines())


def test_exit_codes_and_the_nearest_config_key(site: Path) -> None:
    assert run("check", "seeds/" + SAMPLE, cwd=site).returncode == 0
    assert run("check", "seeds/empty00.txt", cwd=site).returncode == 1
    (site / "config.toml").write_text("[feeds]\nmax_entrys = 5\n", encoding="utf-8")
    proc = run("build", cwd=site)
    assert proc.returncode == 2
    assert proc.stderr == ("seedfeed: config error: feeds.max_entrys: unknown key; "
                           "did you mean feeds.max_entries?\n")
    (site / "config.toml").write_text("[sitee]\n", encoding="utf-8")
    assert run("check", cwd=site).stderr.endswith("sitee: unknown section; did you mean site?\n")
    (site / "config.toml").write_text("[feeds]\nzzz = 5\n", encoding="utf-8")
    assert "unknown key (known: archive_entries," in run("build", cwd=site).stderr


def test_build_progress_moves_on_a_terminal_and_is_one_plain_line_piped(site: Path) -> None:
    code, terminal, out = on_terminal("build", cwd=site, stream="stderr")
    assert code == 0 and "15 seeds built in" in out
    assert "\r\x1b[2K" in terminal and " building " in terminal
    lines = terminal.replace("\r\n", "\n").split("\n")
    shown = [line.rsplit("\r", 1)[-1].removeprefix("\x1b[2K") for line in lines]
    logged = [line for line in shown if "WARNING" in line]
    assert logged and all(line[:4].isdigit() for line in logged), "the line is cleared first"
    assert shown[-1] == "", "the progress line is gone when the build ends"
    piped = run("build", cwd=site).stderr
    assert piped.splitlines()[0] == f"building from {site / 'seeds'}"
    assert "\r" not in piped and ESC not in piped


def test_check_progress_is_a_bar_on_a_terminal(site: Path) -> None:
    code, terminal, out = on_terminal("check", cwd=site, stream="stderr")
    assert code == 1 and out.splitlines()[-1] == "2 ok, 13 rejected, 0 ignored, 1 warning"
    frames = [f for f in terminal.split("\r\x1b[2K") if f]
    assert any(f.startswith("checking ") and " 14/15 " in f and f.endswith("empty12.txt")
               for f in frames), frames
    assert any("█" in f and "░" in f for f in frames)
    piped = run("check", cwd=site).stderr
    assert piped == f"checking {site / 'seeds'}\n"
    assert "\r" not in piped and ESC not in piped


def test_colour_only_on_a_terminal_and_never_under_no_color(site: Path) -> None:
    code, terminal, _ = on_terminal("check", cwd=site, stream="stdout")
    assert code == 1
    assert "\x1b[31mrejected\x1b[0m" in terminal and "\x1b[32mok\x1b[0m" in terminal
    assert "\x1b[33mwarning\x1b[0m" in terminal
    _, plain, _ = on_terminal("check", cwd=site, stream="stdout", env={"NO_COLOR": "1"})
    assert ESC not in plain and "rejected" in plain
    _, plain_build, err = on_terminal("build", cwd=site, stream="stdout", env={"NO_COLOR": "1"})
    assert ESC not in plain_build and "published" in plain_build
    assert ESC not in run("check", cwd=site).stdout


@pytest.mark.parametrize("command", ["serve", "build", "check", "worker"])
def test_every_command_help_has_examples(command: str, tmp_path: Path) -> None:
    proc = run(command, "--help", cwd=tmp_path)
    assert proc.returncode == 0
    examples = proc.stdout.split("\nexamples:\n", 1)[1].splitlines()
    assert len([line for line in examples if line.startswith(f"  seedfeed {command}")]) >= 2
    assert all(f"seedfeed {command}" in line for line in examples)
    assert "-q, --quiet" in proc.stdout and "-v, --verbose" in proc.stdout
