"""seedfeed: publish a news site's article files as Atom, RSS and JSON feeds."""

__version__ = "0.1.0"
