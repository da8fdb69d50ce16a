"""Images in feeds: the lead image of an entry as an enclosure and a thumbnail, the site's
icon and logo.

Pure: URLs and the config in, strings out. `local_file` only says which published file a URL
names; measuring it is the caller's (documents.py, an I/O stage), so that rendering never
reads the disk.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..config import Config
from ..model import Article

_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jpe": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml",
    ".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff", ".jxl": "image/jxl",
    ".heic": "image/heic", ".ico": "image/x-icon",
}
# What RSS 2.0 allows for a channel <image> (the W3C validator warns on anything else).
_RSS_IMAGE = {"image/jpeg", "image/png", "image/gif"}
UNKNOWN_LENGTH = 0  # RSS requires a length; its best-practice profile says 0 when unknown


def url_type(url: str) -> str | None:
    """An image's MIME type from its URL's extension (the query does not count)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    return _TYPES.get(PurePosixPath(unquote(path)).suffix.lower())


def lead_type(article: Article) -> str | None:
    """The lead image's MIME type: as the seed declares it, else from its URL."""
    if not article.image:
        return None
    return article.image_type or url_type(article.image)


def site_image(cfg: Config, value: str) -> str | None:
    """site.icon / site.logo as an absolute URL: as given, or a path under the published site."""
    if not value:
        return None
    if urlsplit(value).scheme:
        return value
    return f"{cfg.base_url}/{value.lstrip('/')}"


def rss_image(cfg: Config) -> str | None:
    """The image of an RSS channel: the logo, else the icon, if it is a GIF, JPEG or PNG."""
    for url in (site_image(cfg, cfg.site.logo), site_image(cfg, cfg.site.icon)):
        if url and url_type(url) in _RSS_IMAGE:
            return url
    return None


def local_file(cfg: Config, url: str) -> Path | None:
    """The published file (under paths.site or paths.feeds) that `url` names when it lies
    under site.base_url, else None. Never a path outside those two folders."""
    try:
        parts, base = urlsplit(url), urlsplit(cfg.base_url)
    except ValueError:
        return None
    prefix = base.path.rstrip("/") + "/"
    if ((parts.scheme.lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower())
            or not parts.path.startswith(prefix)):
        return None
    segments = unquote(parts.path[len(prefix):]).split("/")
    if any(not s or s.startswith(".") or "\\" in s or "\x00" in s for s in segments):
        return None  # "..", dotfiles (temporary files), empty segments
    if segments[0] == "feeds" and len(segments) > 1:
        return cfg.paths.feeds.joinpath(*segments[1:])
    return cfg.paths.site.joinpath(*segments)
