"""Web: a Flask app that serves the published files, and the worker's status.

It never parses seeds or renders: everything it sends is a file publish.py wrote (or the
status the worker wrote). The published documents are answered by the fast path
(fastpath.py, WSGI middleware in front of Flask's routing) with strong ETags per encoding,
Last-Modified, 304s, HEAD, precompressed gzip/brotli by Accept-Encoding and Cache-Control
tied to the scan interval; Flask owns /status, /healthz and the errors. Every answer
carries the security headers of headers.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from .config import Config, load
from .fastpath import TEXT_TYPE, FastPath
from .headers import SECURITY
from .health import read as read_health
from .health import verdict
from .render.status import render_status


def _read_status(cfg: Config) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((cfg.paths.state / "status.json").read_text("utf-8"))
        return data
    except (FileNotFoundError, ValueError):
        return None


def _public(cfg: Config, value: Any) -> Any:
    """`value` with the server's folders named by their config keys: no absolute path of
    this machine goes out to anyone who asks."""
    if isinstance(value, str):
        for key in ("state", "seeds", "feeds", "site"):
            value = value.replace(str(getattr(cfg.paths, key)), f"<paths.{key}>")
        return _ABSOLUTE.sub("…/", value)
    if isinstance(value, list):
        return [_public(cfg, v) for v in value]
    if isinstance(value, dict):
        return {k: _public(cfg, v) for k, v in value.items()}
    return value


_ABSOLUTE = re.compile(r"(?<![\w.<>~:/-])/(?:[^\s/'\"<>]+/)+")


def _health(cfg: Config) -> str | None:
    return verdict(read_health(cfg.paths.state), cfg.scheduler.interval)


def _register(app: Flask, cfg: Config) -> None:
    @app.get("/status")
    def status() -> Response:
        data = _read_status(cfg) or {"ok": False, "error": None}
        problem = _health(cfg)
        if problem is not None:
            data["ok"], data["error"] = False, data.get("error") or problem
        data["health"] = problem or "ok"
        resp = Response(json.dumps(_public(cfg, data), ensure_ascii=False, indent=2),
                        content_type="application/json; charset=utf-8")
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/status.html")
    def status_page() -> Response:
        data = _read_status(cfg) or {"ok": False}
        problem = _public(cfg, _health(cfg) or data.get("error"))
        resp = Response(render_status(cfg, _public(cfg, data), problem),
                        content_type="text/html; charset=utf-8")
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        problem = _public(cfg, _health(cfg))
        body = jsonify({"status": "ok" if not problem else "failing", "problem": problem})
        body.headers["Cache-Control"] = "no-store"
        return body, 503 if problem else 200


def _not_found_page(cfg: Config) -> bytes | None:
    """The published 404 page (site/404.html), if there is one."""
    try:
        return (cfg.paths.site / "404.html").read_bytes()
    except OSError:
        return None


def _guard(app: Flask, cfg: Config) -> None:
    """Whatever a client sends, the answer is a status with a short plain-text body, and
    every answer (routes, errors, Flask's own OPTIONS) carries the security headers."""

    @app.errorhandler(HTTPException)  # 404, 405 (with its Allow), 500 for a bug of ours ...
    def http_error(e: HTTPException) -> tuple[str | bytes, int, dict[str, str]]:
        headers = {k: v for k, v in e.get_headers() if k.lower() != "content-type"}
        if e.code == 404 and "text/html" in request.headers.get("Accept", ""):
            page = _not_found_page(cfg)  # a browser: the site's own page, in its language
            if page is not None:
                return page, 404, {**headers, "Content-Type": "text/html; charset=utf-8"}
        return f"{e.name}\n", e.code or 500, {**headers, "Content-Type": TEXT_TYPE}

    @app.after_request
    def secure(resp: Response) -> Response:
        for name, value in SECURITY:
            resp.headers.setdefault(name, value)
        return resp


def create_app(config: Config | None = None) -> Flask:
    """The WSGI app: `seedfeed.web:create_app()` reads ./config.toml or SEEDFEED_CONFIG.
    The fast path is part of it, under whichever WSGI server runs it."""
    cfg = config if config is not None else load()
    app = Flask(__name__, static_folder=None)
    app.config["SEEDFEED"] = cfg
    fast = FastPath(app.wsgi_app, str(cfg.paths.feeds), str(cfg.paths.site),
                    cfg.scheduler.interval, hubs=cfg.websub.hubs, base_url=cfg.base_url)
    app.extensions["seedfeed_fastpath"] = fast
    app.wsgi_app = fast  # type: ignore[method-assign]

    _guard(app, cfg)
    _register(app, cfg)
    return app
