"""Round-trip helpers: validate our output with the shared schemas and real feed parsers."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import feedparser
import jsonschema
from lxml import etree

from .conftest import VALIDATORS


@cache
def _atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(VALIDATORS / "atom.rng")))


@cache
def _json_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (VALIDATORS / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    return schema


def assert_valid_atom(data: bytes) -> None:
    doc = etree.fromstring(data)
    schema = _atom_schema()
    assert schema.validate(doc), schema.error_log


def assert_valid_json_feed(data: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(data)
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    jsonschema.Draft7Validator(_json_schema(), format_checker=checker).validate(doc)
    return doc


def parse_xml_feed(data: bytes) -> Any:
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed
