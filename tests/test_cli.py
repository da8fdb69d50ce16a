"""The `seedfeed` command as a user runs it: check, build, exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import CORPUS, SAMPLE

FIELDS = ("path", "status", "error", "id", "title", "published", "updated", "source", "author",
          "editor", "language", "tags", "summary", "content_text", "image", "duplicate_of")


def seedfeed(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "seedfeed", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, check=False)


def rows(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def test_check_json_on_the_sample(expected: dict[str, dict[str, Any]]) -> None:
    proc = seedfeed("check", "--json", str(CORPUS / SAMPLE))
    assert proc.returncode == 0, proc.stderr
    [row] = rows(proc.stdout)
    assert set(FIELDS) <= set(row)
    want = expected[SAMPLE]
    for key in ("title", "published", "source", "author", "editor"):
        assert row[key] == want[key], key
    assert row["status"] == "ok" and row["error"] is None and row["duplicate_of"] is None
    assert row["image"] is None  # scraped text has no image
    assert row["id"].startswith("urn:uuid:")
    paragraphs = row["content_text"].split("\n\n")
    assert paragraphs[0].startswith(want["first_paragraph_starts"])
    assert paragraphs[-1].endswith(want["last_paragraph_ends"])
    for s in want["must_contain"]:
        assert s in row["content_text"]
    for s in want["must_not_contain"]:
        assert s not in row["content_text"] and s not in row["title"]
    footer = (CORPUS / SAMPLE).read_text("utf-8").split("新者勝!")[1]
    for line in filter(None, (x.strip() for x in footer.splitlines())):
        assert line not in paragraphs, line


def test_check_reports_a_reject_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes((CORPUS / SAMPLE).read_bytes())
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_bytes((CORPUS / SAMPLE).read_bytes())
    proc = seedfeed("check", "--json", str(tmp_path))
    assert proc.returncode == 1
    by_name = {Path(r["path"]).name: r for r in rows(proc.stdout)}
    assert by_name["good.txt"]["status"] == "ok"
    assert by_name[".hidden.txt"]["status"] == "ignored"
    bad = by_name["bad.txt"]
    assert bad["status"] == "rejected"
    assert "bad.txt" in bad["error"] and "empty" in bad["error"]
    human = seedfeed("check", str(tmp_path))
    assert human.returncode == 1
    assert any(line.startswith("rejected") and "bad.txt" in line
               for line in human.stdout.splitlines())


def test_check_default_folder_comes_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes((CORPUS / SAMPLE).read_bytes())
    (tmp_path / "c.toml").write_text('[paths]\nseeds = "in"\n', encoding="utf-8")
    proc = seedfeed("check", "--json", "--config", str(tmp_path / "c.toml"))
    assert proc.returncode == 0
    assert [Path(r["path"]).name for r in rows(proc.stdout)] == ["a.txt"]


def test_build_prints_a_summary(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SAMPLE).write_bytes((CORPUS / SAMPLE).read_bytes())
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    proc = seedfeed("build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    head, *counts = proc.stdout.splitlines()
    assert head.startswith("1 seed built in ") and "files updated" in head
    assert [line.split() for line in counts] == [["published", "1"], ["duplicates", "0"],
                                                  ["rejected", "0"], ["warnings", "0"],
                                                  ["pending", "0"]]
    assert (tmp_path / "feeds" / "atom.xml").is_file()
    assert (tmp_path / "site" / "index.html").is_file()
    status = json.loads((tmp_path / ".seedfeed" / "status.json").read_text("utf-8"))
    assert status["ok"] and status["published"] == 1


def test_every_command_has_help() -> None:
    for cmd in ("serve", "build", "check", "worker"):
        proc = seedfeed(cmd, "--help")
        assert proc.returncode == 0 and "--config" in proc.stdout


def test_check_reports_the_id_the_feed_carries(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "a.txt"
    seed.write_bytes((CORPUS / SAMPLE).read_bytes())
    (tmp_path / "config.toml").write_text("[ingest]\nsettle_seconds = 0\n", encoding="utf-8")
    assert seedfeed("build", cwd=tmp_path).returncode == 0
    seed.rename(tmp_path / "seeds" / "renamed.txt")  # the index carries the ID over
    assert seedfeed("build", cwd=tmp_path).returncode == 0
    feed_id = json.loads((tmp_path / "feeds" / "feed.json").read_text("utf-8"))["items"][0]["id"]
    for args in (["seeds"], ["seeds/renamed.txt"], [str(tmp_path / "seeds" / "renamed.txt")]):
        [row] = rows(seedfeed("check", "--json", *args, cwd=tmp_path).stdout)
        assert row["id"] == feed_id, args


def test_check_names_each_file_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes((CORPUS / SAMPLE).read_bytes())
    proc = seedfeed("check", "--json", str(tmp_path), str(tmp_path / "a.txt"))
    [row] = rows(proc.stdout)
    assert row["status"] == "ok" and row["duplicate_of"] is None


def test_serve_on_a_taken_port_is_one_line_exit_2_before_any_build(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SAMPLE).write_bytes((CORPUS / SAMPLE).read_bytes())
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = seedfeed("serve", "--config", str(tmp_path / "config.toml"), "--port", str(port))
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert f"127.0.0.1:{port}" in line and "server.port" in line and "already in use" in line
    assert not any((tmp_path / "feeds").glob("*")), "nothing may be built when serve cannot listen"


def test_serve_port_from_the_environment_is_checked(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "seedfeed", "serve", "--config",
                           str(tmp_path / "config.toml")], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "SEEDFEED_PORT": "http"}, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "seedfeed: config error: SEEDFEED_PORT: must be a whole number, got 'http'"


def test_serve_raises_the_open_file_limit_to_hold_its_connections() -> None:
    """The web workers inherit the limit: each needs one descriptor per held connection.
    Under a hard limit too low for server.connections, it holds what fits and says so."""
    code = ("import logging, resource, sys; from seedfeed.cli import _fit_open_files; "
            "logging.basicConfig(stream=sys.stdout); R = resource.RLIMIT_NOFILE; "
            "resource.setrlimit(R, (256, 4096)); a = _fit_open_files(2048); "
            "b = resource.getrlimit(R)[0]; resource.setrlimit(R, (512, 512)); "
            "print(a, b, _fit_open_files(2048), resource.getrlimit(R)[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    *warning, figures = out.stdout.strip().splitlines()
    assert figures.split() == ["2048", str(2048 + 256), "256", "512"]
    [line] = warning
    assert "server.connections = 2048 does not fit the open-file limit (512)" in line
