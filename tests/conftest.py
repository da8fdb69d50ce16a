"""Shared fixtures: the corpus in ../shared, a config in tmp_path, the Flask app and client."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SEEDFEED_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
VALIDATORS = SHARED / "validators"


@pytest.fixture(scope="session")
def expected() -> dict[str, dict]:
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
