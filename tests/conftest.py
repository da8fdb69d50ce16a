"""Shared fixtures: the corpus in tests/data, a config in tmp_path, the Flask app and client."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seedfeed.config import Config, from_dict

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = DATA / "corpus"  # the team's sample seeds with expected.json (see its README.md)
VALIDATORS = DATA / "validators"  # Atom RELAX NG schema and the JSON Feed 1.1 schema
SAMPLE = "000_8095125245e5b6dd.txt"


CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by `make test` (scripts/system-packages)
# Without the background-networking flags Chromium keeps dialling out of this closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (through playwright) for every browser test of the run."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "chromium is not installed (make test installs it)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def expected() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text("utf-8"))
    return data


def make_config(root: Path, **sections: dict[str, Any]) -> Config:
    """A config rooted in `root` (seeds/, feeds/, site/, state/ below it)."""
    raw: dict[str, dict[str, Any]] = {
        "paths": {"seeds": "seeds", "feeds": "feeds", "site": "site", "state": "state"},
        "ingest": {"settle_seconds": 0},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    return from_dict(raw, root)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def seeds_dir(config: Config) -> Path:
    """The seeds folder of `config`, holding the shipped sample article."""
    shutil.copy(CORPUS / SAMPLE, config.paths.seeds / SAMPLE)
    return config.paths.seeds


def write_seed(seeds: Path, name: str, title: str, body: str,
               meta: str = "時間:2024-05-01 08:00:00  來源:測試日報  作者:記者 林小文") -> Path:
    """A small scraped-page seed in the sample's layout."""
    path = seeds / name
    path.write_text(f"測試日報\n\n{title}\n\n{meta}\n\n{body}\n", encoding="utf-8")
    return path


def keep_beating(cfg: Config) -> threading.Event:
    """A worker's heartbeat (health.py) for tests that serve without a worker: /healthz is
    then judged healthy for as long as the test runs. Set the event to stop it."""
    from seedfeed.health import Beacon

    stop, beacon = threading.Event(), Beacon(cfg.paths.state)

    def beat() -> None:
        while not stop.is_set():
            beacon.write(None)
            stop.wait(1.0)

    beacon.write(None)
    threading.Thread(target=beat, daemon=True, name="test-heartbeat").start()
    return stop
