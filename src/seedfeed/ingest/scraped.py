"""Placeholder: being written."""
from ..errors import SeedError


def parse_text(text, zone):
    raise SeedError("not implemented yet")
