"""Render the operator's status page (/status.html) from the worker's status record.

Pure: the status dict (what /status sends as JSON) and the health verdict in, bytes out,
in the site's script, with the site's stylesheet. Lists are cut at LIST_MOST rows: the JSON
view and `seedfeed check` have them all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..config import Config
from .labels import shown_date
from .pages import _ENV, _context

LIST_MOST = 200


def _when(cfg: Config, value: Any) -> str | None:
    try:
        return shown_date(datetime.fromisoformat(str(value)), cfg.site.zone, False)
    except (TypeError, ValueError):
        return None


def render_status(cfg: Config, status: dict[str, Any], problem: str | None) -> bytes:
    ctx = _context(cfg, cfg.site.language)
    lists = {}
    for name, field in (("rejected", "reason"), ("warnings", "warning")):
        rows = [(str(r.get("seed")), str(r.get(field))) for r in status.get(name) or []
                if isinstance(r, dict)]
        lists[name] = (rows[:LIST_MOST], max(0, len(rows) - LIST_MOST))
    html = _ENV.get_template("status.html").render(
        **ctx, canonical=None, status=status, problem=problem, lists=lists,
        last_scan=_when(cfg, status.get("last_scan")),
        last_change=_when(cfg, status.get("last_change")),
        pending=[str(p) for p in status.get("pending") or []][:LIST_MOST],
        scheduled=[(str(r.get("seed")), _when(cfg, r.get("at"))) for r in
                   status.get("scheduled") or [] if isinstance(r, dict)][:LIST_MOST],
        scheduler=status.get("scheduler") or {}, versions=status.get("versions") or {})
    return html.encode("utf-8")
