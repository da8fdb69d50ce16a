"""The human site as files: what every page links (stylesheet, icon, feed preview pages),
what it must not carry (scripts, inline styles), the article page's metadata and labels in
its own script, dates with their zone, and the documents one change re-renders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seedfeed.config import Config
from seedfeed.pipeline import build

from .conftest import make_config, write_seed


@pytest.fixture
def site(tmp_path: Path) -> Config:
    cfg = make_config(tmp_path, feeds={"max_entries": 3, "archive_entries": 3})
    for i in range(5):
        write_seed(cfg.paths.seeds, f"t{i}.txt", f"第{i}號新聞的標題文字", f"第{i}號新聞的正文內容。",
                   meta=f"時間:2024-05-0{i + 1} 09:30:00  來源:測試日報  作者:記者 林小文")
    build(cfg)
    return cfg


def pages(cfg: Config) -> list[Path]:
    return sorted(cfg.paths.site.rglob("*.html"))


def linked(html: str, rel: str) -> str:
    m = re.search(rf'<link rel="{rel}"[^>]* href="([^"]+)"', html)
    assert m, f"no rel={rel} link"
    return m.group(1)


def test_pages_carry_no_script_and_no_inline_style(site: Config) -> None:
    """The site's Content-Security-Policy allows no script and no inline style."""
    assert len(pages(site)) > 8
    for page in pages(site):
        html = page.read_text("utf-8")
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", html, re.I), page


def test_stylesheet_and_icon_are_published_files_named_by_their_digest(site: Config) -> None:
    import hashlib

    index = (site.paths.site / "index.html").read_text("utf-8")
    for rel in ("stylesheet", "icon"):
        url = linked(index, rel)
        assert url.startswith(site.base_url + "/assets/")
        path = site.paths.site / url.removeprefix(site.base_url + "/")
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest()[:12] in path.name
        for page in pages(site):
            assert linked(page.read_text("utf-8"), rel) == url, page
    css = (site.paths.site / linked(index, "stylesheet").removeprefix(site.base_url + "/")).read_text()
    assert "font-family" in css


def test_served_stylesheet_and_icon_have_their_types(site: Config) -> None:
    from seedfeed.web import create_app

    client = create_app(site).test_client()
    index = client.get("/").data.decode()
    css = client.get(linked(index, "stylesheet").removeprefix(site.base_url))
    icon = client.get(linked(index, "icon").removeprefix(site.base_url))
    assert css.status_code == icon.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert icon.headers["Content-Type"] == "image/svg+xml"
