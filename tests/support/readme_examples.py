"""The README's plain-question examples, regenerated from the console so they never drift from the bot.

    python -m tests.support.readme_examples          # rewrite the examples in README.md
    python -m tests.support.readme_examples --check  # exit 1 when README.md is not what the bot prints

Each example is a `### `question`` heading followed by a code block, between the two markers below.
The block is what `python -m bot ask 'question'` prints over the repository's own data/, with the
same clock the quality suites use, lines cut at LINE_CUT characters and the reply at LINES_SHOWN
lines (a cut is marked with …), so the README stays readable on a phone. The test
tests/unit/test_readme_examples.py runs the check, so a change to an answer fails until the README
is regenerated.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from bot.app import App
from bot.cli import reply_to
from bot.config import Config
from bot.reply import render
from tests.conftest import DATA, NOW, ROOT

README = ROOT / "README.md"
START = "<!-- examples: python -m tests.support.readme_examples -->"
END = "<!-- /examples -->"
LINE_CUT = 150
"""Characters of a reply line shown; a longer line ends with …."""
LINES_SHOWN = 10
"""Lines of a reply shown; the answer is in the first, the card follows."""
EXAMPLE = re.compile(r"^### `(?P<question>[^`]+)`\n```\n.*?\n```\n", re.MULTILINE | re.DOTALL)


def questions(text: str) -> list[str]:
    """The questions of the README's examples, in order."""
    return [m["question"] for m in EXAMPLE.finditer(_section(text))]


def _section(text: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"README.md: the markers {START!r} … {END!r} are missing")
    return text[start + len(START):end]


def shown(console_text: str) -> str:
    """A reply as the README shows it: long lines and long cards cut."""
    lines = [line if len(line) <= LINE_CUT else line[:LINE_CUT - 1] + "…" for line in console_text.splitlines()]
    if len(lines) > LINES_SHOWN:
        lines = [*lines[:LINES_SHOWN - 1], "…"]
    return "\n".join(lines)


def examples(app: App, asked: list[str]) -> str:
    blocks = [f"### `{q}`\n```\n{shown(render(reply_to(app, q), NOW))}\n```\n" for q in asked]
    return "\n" + "".join(blocks)


def regenerated(text: str, app: App) -> str:
    body = examples(app, questions(text))
    start, end = text.find(START) + len(START), text.find(END)
    return text[:start] + body + text[end:]


def open_app(tmp: Path) -> App:
    app = App(Config(root=tmp, data_dir=DATA, catalog_db=tmp / "catalog.db", state_db=tmp / "state.db"),
              clock=lambda: NOW)
    app.open()
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.readme_examples", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether README.md is current")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="readme-") as tmp:
        app = open_app(Path(tmp))
        try:
            new = regenerated(text, app)
        finally:
            app.close()
    if args.check:
        if new != text:
            print("README.md examples differ from what the bot prints: run python -m tests.support.readme_examples")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"README.md: {len(questions(new))} examples regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
