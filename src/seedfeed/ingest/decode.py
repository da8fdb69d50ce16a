"""Placeholder: being written."""
from ..errors import SeedError


def decode(data: bytes) -> str:
    raise SeedError("not implemented yet")
