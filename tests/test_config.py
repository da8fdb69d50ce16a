from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import fields, replace
from pathlib import Path

import pytest

from seedfeed.config import SECTIONS, Config, PathsConfig, load, with_server
from seedfeed.errors import ConfigError

from .conftest import ROOT


def test_code_defaults_are_the_documented_ones() -> None:
    """The values README.md and config.toml document as defaults, from the code itself."""
    cfg = Config()
    assert cfg.site.title == "武進新聞"
    assert cfg.site.base_url == "http://127.0.0.1:8000"
    assert (cfg.site.language, cfg.site.timezone) == ("zh-Hant", "Asia/Shanghai")
    assert cfg.paths == PathsConfig(Path("seeds"), Path("feeds"), Path("site"), Path(".seedfeed"))
    assert cfg.feeds.max_entries == 50
    assert cfg.ingest.settle_seconds == 1.0
    assert cfg.scheduler.interval == 5
    assert (cfg.server.host, cfg.server.port) == ("127.0.0.1", 8000)


def check_shipped_config(path: Path) -> Config:
    """What holds of the shipped config.toml whatever values a user puts in it: it loads,
    its paths resolve beside it, and every key the code knows is written out in it."""
    cfg = load(path)
    assert cfg.paths.seeds == (path.parent / tomllib.loads(path.read_text("utf-8"))
                               .get("paths", {}).get("seeds", "seeds")).resolve()
    text = path.read_text("utf-8")
    for name in SECTIONS:
        assert f"[{name}]" in text, name
        for key in fields(getattr(cfg, name)):
            assert re.search(rf"^{key.name} *= .*# ", text, re.M), f"{name}.{key.name} undocumented"
    return cfg


def test_shipped_config_documents_every_key() -> None:
    check_shipped_config(ROOT / "config.toml")


def test_shipped_config_check_survives_a_users_port_edit(tmp_path: Path) -> None:
    text = (ROOT / "config.toml").read_text("utf-8")
    edited, count = re.subn(r"^port = \d+", "port = 8123", text, flags=re.M)
    assert count == 1
    (tmp_path / "config.toml").write_text(edited, encoding="utf-8")
    assert check_shipped_config(tmp_path / "config.toml").server.port == 8123


def test_serve_address_precedence() -> None:
    cfg = Config()
    assert with_server(cfg, environ={}).server.port == 8000
    env = {"SEEDFEED_HOST": "0.0.0.0", "SEEDFEED_PORT": "9001"}
    assert (with_server(cfg, environ=env).server.host, with_server(cfg, environ=env).server.port) == (
        "0.0.0.0", 9001)
    assert with_server(cfg, "::1", 9002, environ=env).server == replace(cfg.server, host="::1", port=9002)
    with pytest.raises(ConfigError, match="SEEDFEED_PORT: must be a whole number"):
        with_server(cfg, environ={"SEEDFEED_PORT": "eighty"})
    with pytest.raises(ConfigError, match="--port: must be 1–65535"):
        with_server(cfg, port=70000, environ={})


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
        ("[server]\nconnections = 0\n", "server.connections: must be ≥ 1, got 0"),
        ("[server]\nheader_timeout = 0\n", "server.header_timeout: must be between"),
        ("[server]\nheader_timeout = 61\n", "server.header_timeout: must be between"),
        ("[scheduler]\ninterval = 0\n", "scheduler.interval: must be > 0"),
        ('[scheduler]\nwatch = "yes"\n', "scheduler.watch: must be true or false"),
        ("[site\n", "not valid TOML"),
        ('[site]\nmanaging_editor = "editor@example.com"\n',
         "site.managing_editor: must be an e-mail address and a name in brackets"),
        ('[site]\nwebmaster = "Jane <web@example.com>"\n',
         "site.webmaster: must be an e-mail address and a name in brackets"),
        ('[site]\nicon = "javascript:alert(1)"\n', "site.icon: must be an absolute http(s) URL"),
        ('[site]\nlogo = "//cdn.example.com/logo.png"\n', "site.logo: must be an absolute"),
        ('[site]\nlogo = "logo one.png"\n', "site.logo: must be an absolute"),
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
