"""What the project promises about its dependencies and licence."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements() -> list[str]:
    groups = [PROJECT["dependencies"], *PROJECT.get("optional-dependencies", {}).values()]
    return [r for group in groups for r in group]


def test_every_dependency_has_an_upper_bound():
    unbounded = [r for r in requirements() if not re.search(r"(<|==)", r)]
    assert unbounded == []


def test_sqlite_utils_is_on_4x_deliberately():
    [pin] = [r for r in PROJECT["dependencies"] if r.startswith("sqlite-utils")]
    assert ">=4" in pin and "<5" in pin


def test_the_licence_is_mit_with_the_authors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 The fellowship bot authors" in text
    assert PROJECT["license"] == "MIT"
