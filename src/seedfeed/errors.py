"""One error tree for seedfeed; faces (CLI, web, scheduler) translate these at the edge."""

from __future__ import annotations


class SeedfeedError(Exception):
    """Base of every error seedfeed raises on purpose."""


class ConfigError(SeedfeedError):
    """The configuration is missing, unreadable or invalid; `key` names the offending key path."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        self.key = key
        self.path = path
        where = f"{key}: " if key else ""
        super().__init__(f"{where}{message}")


class SeedError(SeedfeedError):
    """A seed cannot be published; `reason` is one line a person can act on."""

    def __init__(self, reason: str, *, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class PublishError(SeedfeedError):
    """Writing the published files failed; the previous files stay in place."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
