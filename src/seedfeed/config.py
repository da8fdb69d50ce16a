"""Configuration: config.toml -> validated, frozen dataclasses with every default in one place.

Unknown keys are errors that name the key path. Relative paths resolve against the config
file's folder. Precedence: command line > SEEDFEED_CONFIG > ./config.toml > defaults; for
`serve`'s address: --host/--port > SEEDFEED_HOST/SEEDFEED_PORT > server.* > defaults.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from math import isfinite
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError


@dataclass(frozen=True)
class SiteConfig:
    title: str = "武進新聞"
    base_url: str = "http://127.0.0.1:8000"
    language: str = "zh-Hant"
    timezone: str = "Asia/Shanghai"
    description: str = ""
    author: str = ""
    variants: tuple[str, ...] = ()  # script variants (BCP 47), made with OpenCC
    icon: str = ""  # a square image: an absolute URL or a path under the published site
    logo: str = ""  # a wider one (Atom logo, RSS image)
    rights: str = ""  # RSS copyright, Atom rights
    managing_editor: str = ""  # RSS managingEditor: "editor@example.com (Name)"
    webmaster: str = ""  # RSS webMaster, the same form

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class PathsConfig:
    seeds: Path = Path("seeds")
    feeds: Path = Path("feeds")
    site: Path = Path("site")
    state: Path = Path(".seedfeed")


@dataclass(frozen=True)
class FeedsConfig:
    max_entries: int = 50
    archive_entries: int = 50
    summary_chars: int = 160
    tombstone_days: float = 30.0


@dataclass(frozen=True)
class IngestConfig:
    max_bytes: int = 2_000_000
    settle_seconds: float = 1.0
    max_seconds: float = 10.0
    max_future_days: float = 30.0


@dataclass(frozen=True)
class SchedulerConfig:
    interval: float = 5.0
    watch: bool = True
    full_scan: float = 60.0
    lock_wait: float = 30.0


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 2
    connections: int = 2048
    header_timeout: float = 10.0


@dataclass(frozen=True)
class Variant:
    """What makes a config a script variant's: its tag (also its URL prefix) and the
    language of the original it is converted from."""

    tag: str
    origin: str


@dataclass(frozen=True)
class WebSubConfig:
    hubs: tuple[str, ...] = ()
    timeout: float = 10.0
    retries: int = 5
    backoff: float = 2.0
    build_wait: float = 10.0


@dataclass(frozen=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    websub: WebSubConfig = field(default_factory=WebSubConfig)
    source: Path | None = None  # the file this came from, for messages
    # set on the config of a script variant (render/variants.py), never read from the file
    variant: Variant | None = None

    @property
    def base_url(self) -> str:
        """The site's root: shared assets, and the original's pages."""
        return self.site.base_url.rstrip("/")

    @property
    def site_url(self) -> str:
        """Where this config's pages live: the root, or a variant's prefix below it."""
        return self.base_url + (f"/{self.variant.tag}" if self.variant else "")

    @property
    def feeds_url(self) -> str:
        """Where this config's feeds live: /feeds, or a variant's folder below it."""
        return self.base_url + "/feeds" + (f"/{self.variant.tag}" if self.variant else "")


SECTIONS = {f.name: f.type for f in fields(Config) if f.name not in ("source", "variant")}
_CLASSES: dict[str, type] = {
    "site": SiteConfig, "paths": PathsConfig, "feeds": FeedsConfig, "ingest": IngestConfig,
    "scheduler": SchedulerConfig, "server": ServerConfig, "websub": WebSubConfig,
}


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Check one value against the type of its default."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"must be true or false, got {value!r}", key=key)
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"must be a list of strings, got {value!r}", key=key)
        return tuple(value)
    if isinstance(default, Path):
        if not isinstance(value, str) or not value:
            raise ConfigError(f"must be a non-empty path string, got {value!r}", key=key)
        return Path(value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
            raise ConfigError(f"must be a number, got {value!r}", key=key)
        return float(value)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"must be a whole number, got {value!r}", key=key)
        return value
    if not isinstance(value, str):
        raise ConfigError(f"must be a string, got {value!r}", key=key)
    return value


def _unknown(what: str, name: str, known: list[str], prefix: str = "") -> str:
    """`unknown key; did you mean feeds.max_entries?`, else the list of known names."""
    near = difflib.get_close_matches(name, known, n=1)
    if near:
        return f"unknown {what}; did you mean {prefix}{near[0]}?"
    return f"unknown {what} (known: {', '.join(known)})"


def _section(name: str, raw: Any) -> Any:
    cls = _CLASSES[name]
    if not isinstance(raw, dict):
        raise ConfigError("must be a table", key=name)
    defaults = cls()
    known = {f.name for f in fields(cls)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(_unknown("key", key, sorted(known), f"{name}."), key=f"{name}.{key}")
        values[key] = _coerce(f"{name}.{key}", value, getattr(defaults, key))
    return cls(**values)


def _validate(cfg: Config) -> None:
    def need(ok: bool, key: str, message: str) -> None:
        if not ok:
            raise ConfigError(message, key=key)

    url = urlsplit(cfg.site.base_url)
    need(url.scheme in ("http", "https") and bool(url.netloc), "site.base_url",
         f"must be an absolute http(s) URL, got {cfg.site.base_url!r}")
    try:
        ZoneInfo(cfg.site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        need(False, "site.timezone", f"unknown time zone {cfg.site.timezone!r} (e.g. Asia/Shanghai)")
    need(bool(cfg.site.title.strip()), "site.title", "must not be empty")
    problem = variants_problem(cfg.site.language, cfg.site.variants)
    need(problem is None, "site.variants", problem or "")
    need(cfg.feeds.max_entries >= 1, "feeds.max_entries", f"must be ≥ 1, got {cfg.feeds.max_entries}")
    need(cfg.feeds.archive_entries >= 1, "feeds.archive_entries",
         f"must be ≥ 1, got {cfg.feeds.archive_entries}")
    need(0 <= cfg.feeds.tombstone_days <= 36500, "feeds.tombstone_days",
         f"must be between 0 and 36500 days, got {cfg.feeds.tombstone_days}")
    need(cfg.feeds.summary_chars >= 10, "feeds.summary_chars",
         f"must be ≥ 10, got {cfg.feeds.summary_chars}")
    need(cfg.ingest.max_bytes >= 1, "ingest.max_bytes", f"must be ≥ 1, got {cfg.ingest.max_bytes}")
    need(cfg.ingest.settle_seconds >= 0, "ingest.settle_seconds",
         f"must be ≥ 0, got {cfg.ingest.settle_seconds}")
    need(0 < cfg.ingest.max_seconds <= 3600, "ingest.max_seconds",
         f"must be > 0 and ≤ 3600 seconds, got {cfg.ingest.max_seconds}")
    need(0 <= cfg.ingest.max_future_days <= 36500, "ingest.max_future_days",
         f"must be between 0 and 36500 days, got {cfg.ingest.max_future_days}")
    need(0 < cfg.scheduler.interval <= 86400, "scheduler.interval",
         f"must be > 0 and ≤ 86400 seconds, got {cfg.scheduler.interval}")
    need(1 <= cfg.server.port <= 65535, "server.port", f"must be 1–65535, got {cfg.server.port}")
    need(0 < cfg.scheduler.full_scan <= 86400, "scheduler.full_scan",
         f"must be > 0 and ≤ 86400 seconds, got {cfg.scheduler.full_scan}")
    need(0 <= cfg.scheduler.lock_wait <= 86400, "scheduler.lock_wait",
         f"must be ≥ 0 and ≤ 86400 seconds, got {cfg.scheduler.lock_wait}")
    _validate_websub(cfg.websub)
    need(cfg.server.threads >= 1, "server.threads", f"must be ≥ 1, got {cfg.server.threads}")
    need(cfg.server.connections >= 1, "server.connections",
         f"must be ≥ 1, got {cfg.server.connections}")
    need(0.001 <= cfg.server.header_timeout <= 60, "server.header_timeout",
         f"must be between 0.001 and 60 seconds, got {cfg.server.header_timeout}")


_REGION_SCRIPTS = {"tw": "hant", "hk": "hant", "mo": "hant", "cn": "hans", "sg": "hans",
                   "my": "hans"}


def script_tag(language: str | None) -> str | None:
    """`hant` or `hans` for a Chinese language tag that names its script: the script
    subtag (zh-Hant, zh-Hans-TW), else the region's (zh-TW, zh-CN); None for a bare `zh`
    and for other languages. The one rule the config, the pages and the variants share."""
    parts = (language or "").lower().replace("_", "-").split("-")
    if parts[0] != "zh":
        return None
    for script in ("hant", "hans"):
        if script in parts[1:]:
            return script
    return next((_REGION_SCRIPTS[p] for p in parts[1:] if p in _REGION_SCRIPTS), None)


def variants_problem(language: str, variants: tuple[str, ...]) -> str | None:
    """Why `site.variants` cannot be made for a site in `language`, or None."""
    if not variants:
        return None
    own = script_tag(language)
    if own is None:
        return (f"script variants need a Chinese site language with a script "
                f"(zh-Hant or zh-Hans), site.language is {language!r}")
    if len(set(variants)) < len(variants):
        return f"a variant is listed twice: {list(variants)}"
    for tag in variants:
        if tag not in VARIANT_TAGS:
            return f"unknown variant {tag!r} (known: {', '.join(VARIANT_TAGS)})"
        if script_tag(tag) == own:
            other = [t for t in VARIANT_TAGS if script_tag(t) != own]
            return f"{tag!r} is the site's own script; a {language} site can add {other}"
    return None


# The scripts a site can be converted to (render/variants.py picks the OpenCC table).
VARIANT_TAGS = ("zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK")


def _validate_websub(ws: WebSubConfig) -> None:
    for hub in ws.hubs:
        url = urlsplit(hub)
        # it goes into a Link header as it is: printable ASCII, nothing that ends the <…>
        if (url.scheme not in ("http", "https") or not url.netloc
                or not all("!" <= c <= "~" and c not in '<>"' for c in hub)):
            raise ConfigError(f"each hub must be an absolute http(s) URL, got {hub!r}",
                              key="websub.hubs")
        if ws.hubs.count(hub) > 1:
            raise ConfigError(f"{hub!r} is listed twice", key="websub.hubs")
    if not 0 < ws.timeout <= 300:
        raise ConfigError(f"must be > 0 and ≤ 300 seconds, got {ws.timeout}", key="websub.timeout")
    if not 0 <= ws.retries <= 100:
        raise ConfigError(f"must be between 0 and 100, got {ws.retries}", key="websub.retries")
    if not 0 < ws.backoff <= 3600:
        raise ConfigError(f"must be > 0 and ≤ 3600 seconds, got {ws.backoff}", key="websub.backoff")
    if not 0 <= ws.build_wait <= 600:
        raise ConfigError(f"must be between 0 and 600 seconds, got {ws.build_wait}",
                          key="websub.build_wait")
# What RSS 2.0 and the W3C validator take for a person: an address, then a name in brackets.
_MAILBOX = re.compile(r"[A-Za-z0-9_.+'!#$%&*/=?^`{|}~-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9][A-Za-z0-9-]*"
                      r" \([^()<>&\x00-\x1f]+\)")
_URL_CHARS = re.compile(r"[^\s\x00-\x1f\x7f\"'<>\\^`{|}]+")


def _validate_feed_extras(cfg: Config) -> None:
    """The site's images and RSS people: values feeds can carry as they are."""
    for key in ("icon", "logo"):
        value = getattr(cfg.site, key)
        url = urlsplit(value) if _URL_CHARS.fullmatch(value) else None
        if value and (url is None or (url.scheme or url.netloc) and not (
                url.scheme in ("http", "https") and url.netloc)):
            raise ConfigError(f"must be an absolute http(s) URL or a path under the published "
                              f"site (e.g. /logo.png), got {value!r}", key=f"site.{key}")
    for key in ("managing_editor", "webmaster"):
        value = getattr(cfg.site, key)
        if value and not _MAILBOX.fullmatch(value):
            raise ConfigError(f"must be an e-mail address and a name in brackets, e.g. "
                              f"'editor@example.com (Jane Doe)', got {value!r}", key=f"site.{key}")


def from_dict(raw: dict[str, Any], root: Path | None = None, source: Path | None = None) -> Config:
    """Build a Config from parsed TOML; relative paths resolve against `root`."""
    sections = {}
    for name, value in raw.items():
        if name not in SECTIONS:
            raise ConfigError(_unknown("section", name, list(SECTIONS)), key=name)
        sections[name] = _section(name, value)
    cfg = Config(**sections, source=source)
    _validate(cfg)
    _validate_feed_extras(cfg)
    base = (root or Path.cwd()).resolve()
    p = cfg.paths
    resolved = PathsConfig(*((base / getattr(p, f.name)).resolve() for f in fields(PathsConfig)))
    _separate(resolved)
    return replace(cfg, paths=resolved)


def _separate(paths: PathsConfig) -> None:
    """The four folders must not overlap: seeds inside feeds would publish themselves,
    feeds = site would let one tree's cleanup delete the other's files."""
    named = [(f"paths.{f.name}", getattr(paths, f.name)) for f in fields(PathsConfig)]
    for i, (key, path) in enumerate(named):
        for other_key, other in named[i + 1:]:
            if path == other or path.is_relative_to(other) or other.is_relative_to(path):
                raise ConfigError(f"must not be the same as, inside or around {other_key} "
                                  f"({path} vs {other})", key=key)


def with_server(cfg: Config, host: str | None = None, port: int | str | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    """`serve`'s address: the option, else SEEDFEED_HOST / SEEDFEED_PORT, else the file."""
    env = os.environ if environ is None else environ

    def pick(option: Any, option_name: str, var: str, key: str, current: Any) -> tuple[Any, str]:
        if option is not None:
            return option, option_name
        if env.get(var):
            return env[var], var
        return current, key

    host, host_key = pick(host, "--host", "SEEDFEED_HOST", "server.host", cfg.server.host)
    raw_port, port_key = pick(port, "--port", "SEEDFEED_PORT", "server.port", cfg.server.port)
    if not str(host).strip():
        raise ConfigError("must not be empty", key=host_key)
    try:
        number = int(raw_port)
    except ValueError:
        raise ConfigError(f"must be a whole number, got {raw_port!r}", key=port_key) from None
    if not 1 <= number <= 65535:
        raise ConfigError(f"must be 1–65535, got {number}", key=port_key)
    return replace(cfg, server=replace(cfg.server, host=str(host).strip(), port=number))


def default_path() -> Path:
    return Path(os.environ.get("SEEDFEED_CONFIG") or "config.toml")


def load(path: Path | str | None = None) -> Config:
    """Read and validate a config file; a missing default file means all defaults."""
    explicit = path is not None or "SEEDFEED_CONFIG" in os.environ
    file = Path(path) if path is not None else default_path()
    if not file.exists():
        if explicit:
            raise ConfigError("config file not found", key=str(file))
        return from_dict({}, Path.cwd())
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"not valid TOML: {e}", key=str(file)) from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read: {e}", key=str(file)) from e
    return from_dict(raw, file.resolve().parent, file.resolve())
