from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seedfeed.config import Config, load
from seedfeed.errors import ConfigError

from .conftest import ROOT


def test_shipped_config_loads_with_the_documented_values() -> None:
    cfg = load(ROOT / "config.toml")
    assert cfg.site.title == "武進新聞"
    assert cfg.site.timezone == "Asia/Shanghai"
    assert cfg.paths.seeds == ROOT / "seeds"
    assert cfg.feeds.max_entries == 50
    assert cfg.scheduler.interval == 5
    assert (cfg.server.host, cfg.server.port) == ("127.0.0.1", 8000)


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text('[paths]\nseeds = "in"\n', encoding="utf-8")
    assert load(tmp_path / "c.toml").paths.seeds == tmp_path / "in"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[feeds]\nmax_entries = 0\n", "feeds.max_entries: must be ≥ 1, got 0"),
        ("[feeds]\nmax_entrys = 5\n", "feeds.max_entrys: unknown key"),
        ("[sitee]\n", "sitee: unknown section"),
        ('[site]\ntimezone = "Mars/Base"\n', "site.timezone: unknown time zone"),
        ('[site]\nbase_url = "example.org"\n', "site.base_url: must be an absolute"),
        ('[server]\nport = "80"\n', "server.port: must be a whole number"),
        ("[scheduler]\ninterval = 0\n", "scheduler.interval: must be > 0"),
        ('[scheduler]\nwatch = "yes"\n', "scheduler.watch: must be true or false"),
        ("[site\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path)
    assert message in str(info.value)


def test_cli_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[feeds]\nmax_entries = -3\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "seedfeed", "build", "--config", str(path)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "seedfeed: config error: feeds.max_entries: must be ≥ 1, got -3"
    ]


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path / "nope.toml")


def test_defaults_are_frozen() -> None:
    cfg = Config()
    with pytest.raises(AttributeError):
        cfg.site.title = "x"  # type: ignore[misc]
