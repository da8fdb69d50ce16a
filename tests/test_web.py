"""The Flask app serving published files: validators, 304s, compression, status."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from flask.testing import FlaskClient

from seedfeed.config import Config
from seedfeed.health import Beacon
from seedfeed.pipeline import build, write_status
from seedfeed.web import create_app

TYPES = {
    "atom.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}


@pytest.fixture
def client(config: Config, seeds_dir: Path) -> FlaskClient:
    report = build(config)
    write_status(config, report, None, report.finished_at)
    Beacon(config.paths.state).write(None)  # a worker's heartbeat: healthy
    return create_app(config).test_client()


@pytest.mark.parametrize("name", TYPES)
def test_feed_headers(client: FlaskClient, config: Config, name: str) -> None:
    r = client.get(f"/feeds/{name}")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == TYPES[name]
    assert r.data == (config.paths.feeds / name).read_bytes()
    etag = r.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert r.headers["Last-Modified"].endswith("GMT")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Encoding" in r.headers["Vary"]
    assert r.headers["Cache-Control"] == "public, max-age=5, stale-while-revalidate=30"


@pytest.mark.parametrize("name", TYPES)
def test_conditional_get(client: FlaskClient, name: str) -> None:
    first = client.get(f"/feeds/{name}")
    again = client.get(f"/feeds/{name}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    since = client.get(f"/feeds/{name}",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(f"/feeds/{name}", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


@pytest.mark.parametrize(("coding", "decode"), [("gzip", gzip.decompress),
                                                 ("br", brotli.decompress)])
def test_compressed_by_accept_encoding(client: FlaskClient, config: Config, coding: str,
                                       decode: object) -> None:
    plain = client.get("/feeds/atom.xml")
    r = client.get("/feeds/atom.xml", headers={"Accept-Encoding": coding})
    assert r.headers["Content-Encoding"] == coding
    assert decode(r.data) == plain.data  # type: ignore[operator]
    assert r.headers["ETag"] != plain.headers["ETag"]  # each representation its own validator
    assert len(r.data) < len(plain.data)
    again = client.get("/feeds/atom.xml", headers={"Accept-Encoding": coding,
                                                   "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_head_has_headers_and_no_body(client: FlaskClient) -> None:
    get = client.get("/feeds/rss.xml")
    head = client.head("/feeds/rss.xml")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(get.data))


def test_pages_and_autodiscovery(client: FlaskClient) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert index.headers["Content-Type"] == "text/html; charset=utf-8"
    html = index.data.decode()
    for name, mime in TYPES.items():
        assert (f'<link rel="alternate" type="{mime.split(";")[0]}"' in html
                and f"/feeds/{name}" in html)
    link = client.get("/feeds/feed.json").get_json()["items"][0]["url"]
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "唯創新者勝" in page.data.decode()


def test_status_and_health(client: FlaskClient) -> None:
    status = client.get("/status").get_json()
    assert status["ok"] is True and status["published"] == 1 and status["rejected"] == []
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"


def test_health_fails_before_the_worker_reports(config: Config) -> None:
    client = create_app(config).test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/status").get_json()["ok"] is False


@pytest.mark.parametrize("path", ["/feeds/.seedfeed-manifest.json", "/feeds/../state/status.json",
                                  "/feeds/nope.xml", "/articles/nope", "/.seedfeed-manifest.json"])
def test_private_or_missing_files_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_status_lists_rejected_seeds_while_the_rest_is_served(config: Config,
                                                             seeds_dir: Path) -> None:
    (seeds_dir / "broken.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    report = build(config)
    write_status(config, report, None, report.finished_at)
    client = create_app(config).test_client()
    status = client.get("/status").get_json()
    assert status["published"] == 1
    [rejected] = status["rejected"]
    assert rejected["seed"] == "broken.txt" and rejected["reason"]
    assert len(client.get("/feeds/feed.json").get_json()["items"]) == 1


def test_status_lists_warnings_of_published_seeds(config: Config) -> None:
    (config.paths.seeds / "odd.txt").write_text(
        "測試日報\n\n日期不可能的新聞標題\n\n時間:2023-02-30 10:00  來源:測試日報\n\n正文一段。\n",
        encoding="utf-8")
    report = build(config)
    write_status(config, report, None, report.finished_at)
    status = create_app(config).test_client().get("/status").get_json()
    assert status["published"] == 1 and status["rejected"] == []
    [warning] = status["warnings"]
    assert warning["seed"] == "odd.txt" and "2023-02-30" in warning["warning"]


def test_a_browser_gets_the_sites_own_404_page(client: FlaskClient, config: Config) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.data == (config.paths.site / "404.html").read_bytes()
    assert "lang=" in page.data.decode() and page.headers["Content-Security-Policy"]
    script = client.get("/no/such/page")  # a feed reader or a script: short plain text
    assert script.status_code == 404 and script.headers["Content-Type"].startswith("text/plain")


def test_assets_are_served_as_immutable(client: FlaskClient, config: Config) -> None:
    [css] = (config.paths.site / "assets").glob("site.*.css")
    r = client.get(f"/assets/{css.name}")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/css; charset=utf-8"
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/").headers["Cache-Control"].startswith("public, max-age=5")


def test_status_page_for_people(config: Config, seeds_dir: Path) -> None:
    (seeds_dir / "壞掉的.txt").write_bytes(b"")
    report = build(config)
    write_status(config, report, None, report.finished_at,
                 {"interval": 5.0, "watching": True, "full_scan": 60.0})
    client = create_app(config).test_client()
    data = client.get("/status").get_data(as_text=True)
    assert "壞掉的.txt" in data and "\\u" not in data  # JSON for scripts, UTF-8 unescaped
    beat = Beacon(config.paths.state)
    beat.write(None)
    page = client.get("/status.html")
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert '<html lang="zh-Hant">' in html and "運作狀態" in html and "正常" in html
    assert "壞掉的.txt" in html and "empty" in html  # the rejected seed and its reason
    assert "監看檔案系統事件" in html and "granian" in html and "<script" not in html
    assert str(config.paths.state) not in html
    beat.write("cannot write the status file in /srv/secret/state: No space left on device")
    html = client.get("/status.html").get_data(as_text=True)
    assert "異常" in html and "No space left" in html and "/srv/secret" not in html
