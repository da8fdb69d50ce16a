"""deploy/nginx.conf with real nginx: the published folders served as static files."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from seedfeed.fastpath import cache_control

from .conftest import CORPUS, ROOT, SAMPLE
from .hub import Hub
from .test_serve_e2e import Server, free_port, wait_for

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def start_nginx(root: Path, app_port: int, prefix: Path, interval: float = 1,
                hubs: list[str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Real nginx running deploy/nginx.conf over the published folders in `root`, edited
    as its header comment says for a site that scans every `interval` seconds (and, given
    `hubs`, as its WebSub comment says for a site at http://127.0.0.1:<app_port>)."""
    assert Path(NGINX).exists(), "nginx is not installed (.ci/run installs it)"
    port = free_port()
    server = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    server = (server.replace("/srv/seedfeed", str(root))
              .replace("listen 80;", f"listen 127.0.0.1:{port};")
              .replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
              .replace("public, max-age=5, stale-while-revalidate=30", cache_control(interval)))
    if hubs:
        line = next(x for x in server.splitlines() if "(?<sf_feed>" in x)
        named = "".join(f'<{h}>; rel="hub", ' for h in hubs)
        edited = (line.replace('# "~^', '"~^', 1)
                  .replace("https://news.example.org", f"http://127.0.0.1:{app_port}")
                  .replace('<https://hub.example/>; rel="hub", ', named))
        server = server.replace(line, edited)
    (prefix / "logs").mkdir(parents=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        "daemon off;\nuser root;  # the test runs as root in a private tmp folder\n"
        "worker_processes 1;\npid nginx.pid;\nerror_log logs/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp;\n"
        f" fastcgi_temp_path {prefix}/tmp; uwsgi_temp_path {prefix}/tmp;"
        f" scgi_temp_path {prefix}/tmp;\n{server}\n}}\n", encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=(prefix / "logs" / "stderr.log").open("w"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: requests.get(url + "/", timeout=2).status_code == 200, 10, "nginx up")
    except BaseException:
        proc.terminate()
        raise
    return proc, url


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[str, Server]]:
    app = Server(tmp_path / "site-root")
    shutil.copy(CORPUS / SAMPLE, app.seeds / SAMPLE)
    try:
        wait_for(lambda: (r := app.get("/feeds/feed.json")).ok and r.json()["items"], 15,
                 "sample published")
        proc, url = start_nginx(app.root, app.port, tmp_path / "nginx")
    except BaseException:
        app.stop()
        raise
    try:
        yield url, app
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        app.stop()


def test_nginx_serves_the_published_files(nginx: tuple[str, Server]) -> None:
    url, app = nginx
    for name, mime in (("atom.xml", "application/atom+xml"), ("rss.xml", "application/rss+xml"),
                       ("feed.json", "application/feed+json")):
        r = requests.get(f"{url}/feeds/{name}", timeout=5)
        assert r.status_code == 200
        assert r.headers["Content-Type"] == f"{mime}; charset=utf-8"
        assert r.content == app.get(f"/feeds/{name}").content
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert "Link" not in r.headers  # no hubs configured: no WebSub header
        assert requests.get(f"{url}/feeds/{name}", timeout=5, headers={
            "If-None-Match": r.headers["ETag"]}).status_code == 304
        assert requests.get(f"{url}/feeds/{name}", timeout=5, headers={
            "If-Modified-Since": r.headers["Last-Modified"]}).status_code == 304
    gz = requests.get(f"{url}/feeds/atom.xml", timeout=5, headers={"Accept-Encoding": "gzip"},
                      stream=True)
    assert gz.headers["Content-Encoding"] == "gzip"
    raw = gz.raw.read()
    assert raw == (app.root / "feeds" / "atom.xml.gz").read_bytes()  # the published sibling
    article = app.get("/feeds/feed.json").json()["items"][0]["url"].removeprefix(app.url)
    page = requests.get(url + article, timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "唯創新者勝" in page.text
    assert requests.get(f"{url}/status", timeout=5).json()["published"] == 1
    assert requests.get(f"{url}/feeds/.seedfeed-manifest.json", timeout=5).status_code == 404


def test_nginx_sends_the_websub_link_header_as_its_comment_says(tmp_path: Path) -> None:
    hub = Hub()
    app = Server(tmp_path / "site-root", extra={"websub": {"hubs": [hub.url]}})
    proc = None
    try:
        shutil.copy(CORPUS / SAMPLE, app.seeds / SAMPLE)
        wait_for(lambda: (r := app.get("/feeds/feed.json")).ok and r.json()["items"], 15,
                 "sample published")
        proc, url = start_nginx(app.root, app.port, tmp_path / "nginx", hubs=[hub.url])
        topic = next(p for p in app.get("/feeds/feeds.opml").text.split('"')
                     if p.startswith(app.url + "/feeds/source/") and p.endswith("atom.xml"))
        for path in ("/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json",
                     topic.removeprefix(app.url)):
            want = f'<{hub.url}>; rel="hub", <{app.url}{path}>; rel="self"'
            for base in (app.url, url):
                first = requests.get(base + path, timeout=5)
                assert first.status_code == 200 and first.headers["Link"] == want, (base, path)
                again = requests.get(base + path, timeout=5,
                                     headers={"If-None-Match": first.headers["ETag"]})
                assert again.status_code == 304 and again.headers["Link"] == want, (base, path)
                head = requests.head(base + path, timeout=5)
                assert head.headers["Link"] == want, (base, path)
        for path in ("/", "/feeds/feeds.opml"):
            assert "Link" not in requests.get(url + path, timeout=5).headers, path
        # the running serve told the hub of the feeds its first build wrote
        assert f"{app.url}/feeds/atom.xml" in hub.wait_for(3)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        app.stop()
        hub.close()
