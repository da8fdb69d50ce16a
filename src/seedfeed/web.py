"""Web: a Flask app that serves the published files, and the worker's status.

It never parses seeds or renders: everything it sends is a file publish.py wrote (or the
status the worker wrote). Feeds get strong ETags, Last-Modified, 304s, HEAD, precompressed
gzip/brotli by Accept-Encoding, Cache-Control tied to the scan interval.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from datetime import UTC, datetime
from io import BufferedReader
from pathlib import Path
from threading import Lock

from flask import Flask, Response, abort, jsonify, request
from werkzeug.security import safe_join
from werkzeug.wsgi import wrap_file

from .config import Config, load
from .published import FEEDS

_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html",  # werkzeug adds "; charset=utf-8" to text/* types
    ".css": "text/css",
    ".js": "text/javascript",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
}
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


class ETags:
    """Strong ETags from file contents, cached by (inode, size, mtime): a file is hashed
    once, and a file replaced by publish (a new inode) is hashed again."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[int, int, int, str]] = {}
        self._lock = Lock()

    def get(self, path: Path, fh: BufferedReader, st: os.stat_result) -> str:
        """The tag of the open file `fh` (whose fstat is `st`); leaves `fh` at its start."""
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            hit = self._cache.get(path)
        if hit and hit[:3] == stamp:
            return hit[3]
        tag = hashlib.file_digest(fh, "sha256").hexdigest()[:32]
        fh.seek(0)
        with self._lock:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[path] = (*stamp, tag)
        return tag


def _open_variant(path: Path) -> tuple[BufferedReader, str | None]:
    """The precompressed sibling the client accepts, else the file itself, opened once:
    its validators and its body come from the same open file, even while publish
    replaces it."""
    accepted = request.accept_encodings
    for coding, suffix in _ENCODINGS:
        if accepted[coding]:
            try:
                return path.with_name(path.name + suffix).open("rb"), coding
            except FileNotFoundError:
                continue
    try:
        return path.open("rb"), None
    except (FileNotFoundError, IsADirectoryError):
        abort(404)


def _serve_file(app: Flask, root: Path, name: str, mimetype: str | None = None,
                max_age: int | None = None) -> Response:
    cfg: Config = app.config["SEEDFEED"]
    if any(part.startswith(".") for part in name.split("/")) or name.endswith((".gz", ".br")):
        abort(404)
    joined = safe_join(str(root), name)
    if joined is None:
        abort(404)
    path = Path(joined)  # a missing file or a folder is a 404 when it is opened
    fh, coding = _open_variant(path)
    st = os.fstat(fh.fileno())
    etag = app.extensions["seedfeed_etags"].get(Path(fh.name), fh, st)
    # What send_file does, but with the size from the same fstat as the validators.
    resp = Response(wrap_file(request.environ, fh), direct_passthrough=True,
                    mimetype=mimetype or _TYPES.get(path.suffix, "application/octet-stream"))
    resp.content_length = st.st_size
    resp.set_etag(etag)
    resp.last_modified = datetime.fromtimestamp(int(st.st_mtime), UTC)
    resp.make_conditional(request.environ, accept_ranges=True, complete_length=st.st_size)
    if coding:
        resp.headers["Content-Encoding"] = coding
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if max_age is not None:
        resp.headers["Cache-Control"] = f"public, max-age={max_age}, immutable"
    else:
        resp.headers["Cache-Control"] = f"public, max-age={max(1, int(cfg.scheduler.interval))}"
    return resp


_ARCHIVE = re.compile(r"(?:.+/)?archive/\d+/[^/]+")
_YEAR = 365 * 86400


def _feed(app: Flask, root: Path, name: str) -> Response:
    """A feed document: a full archive page never changes (immutable); an archive page that
    is still filling up lives in an `open/` folder and is served at its final URL."""
    media = FEEDS.get(name.rsplit("/", 1)[-1])
    if name == "feeds.opml":
        media = "text/x-opml; charset=utf-8"
    if _ARCHIVE.fullmatch(name):
        if (root / name).is_file():
            return _serve_file(app, root, name, media, max_age=_YEAR)
        head, _, fmt = name.rpartition("/")
        return _serve_file(app, root, f"{head}/open/{fmt}", media)
    return _serve_file(app, root, name, media)


def _read_status(cfg: Config) -> dict[str, object] | None:
    try:
        data: dict[str, object] = json.loads((cfg.paths.state / "status.json").read_text("utf-8"))
        return data
    except (FileNotFoundError, ValueError):
        return None


def _register(app: Flask, cfg: Config) -> None:
    @app.get("/feeds/<path:name>")
    def feed(name: str) -> Response:
        return _feed(app, cfg.paths.feeds, name)

    @app.get("/")
    def index() -> Response:
        return _serve_file(app, cfg.paths.site, "index.html")

    @app.get("/articles/<slug>")
    def article(slug: str) -> Response:
        return _serve_file(app, cfg.paths.site, f"articles/{slug}.html")

    @app.get("/status")
    def status() -> Response:
        data = _read_status(cfg)
        if data is None:
            data = {"ok": False, "error": "the worker has not reported yet"}
        resp = jsonify(data)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        data = _read_status(cfg) or {}
        try:
            age = time.time() - (cfg.paths.state / "status.json").stat().st_mtime if data else None
        except FileNotFoundError:
            age = None
        stale_after = max(30.0, 3 * cfg.scheduler.interval)
        problem = (
            "the worker has not reported yet" if age is None
            else f"the last scan was {age:.0f}s ago" if age > stale_after
            else data.get("error")
        )
        body = jsonify({"status": "ok" if not problem else "failing", "problem": problem})
        body.headers["Cache-Control"] = "no-store"
        return body, 503 if problem else 200

    @app.get("/<path:name>")
    def site_file(name: str) -> Response:
        # pages are published as <path>.html and linked without the suffix
        if "." not in name.rsplit("/", 1)[-1]:
            name += ".html"
        return _serve_file(app, cfg.paths.site, name)


def create_app(config: Config | None = None) -> Flask:
    """The WSGI app: `seedfeed.web:create_app()` reads ./config.toml or SEEDFEED_CONFIG."""
    cfg = config if config is not None else load()
    app = Flask(__name__, static_folder=None)
    app.config["SEEDFEED"] = cfg
    app.extensions["seedfeed_etags"] = ETags()

    @app.errorhandler(404)
    def not_found(_: Exception) -> tuple[str, int, dict[str, str]]:
        return "Not found\n", 404, {"Content-Type": "text/plain; charset=utf-8",
                                   "X-Content-Type-Options": "nosniff"}

    _register(app, cfg)
    return app
