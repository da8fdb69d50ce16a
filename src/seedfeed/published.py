"""Names and media types of the published files: shared by render, publish and web.

Constants only, so that the web layer can know them without importing the renderers.
"""

from __future__ import annotations

FEEDS = {
    "atom.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
COMPRESSIBLE = (".xml", ".json", ".html", ".css", ".js", ".txt", ".svg")
MANIFEST = ".seedfeed-manifest.json"  # what the last publish wrote; a dotfile, never served
JOURNAL = ".seedfeed-journal"  # what the state database cannot derive again (journal.py); never served
