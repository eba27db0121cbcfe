"""Whatever a member types, every command answers politely, within Discord's limits, pinging no one."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import reply_to
from bot.commands import load
from bot.reply import Reply

commands = load()

BAD = [
    "", "   ", "\t\n", "x" * 5000, "é" * 3000, "\x00", "abc\x00def", "\x07\x1b[31mred", "\u200b\u200b", "gra\u200bdient",
    "\u202eevil\u202c", "\u2066rtl\u2069", "🔥🚀", "👩‍🔬 papers", "注意力", "внимание", "انتباه", "'; DROP TABLE papers; --",
    "\" OR 1=1 --", '"', '""', "NEAR(", "NEAR(a b, 2)", "*", "a*", "AND", "OR", "NOT", "title:x", "gpt-2", "^start",
    "-", "(", ")", "{}", "[]", "a:b:c", "@everyone", "@here", "<@&123456789012345678>", "<@123456789012345678>",
    "<#123456789012345678>", "**bold** __u__ ~~s~~ ||spoiler|| `code` ```block", "> quote", "[link](https://evil.example)",
    "%s %d {0}", "\\", "null", "None", "the", "by", "of the",
]
STRING_COMMANDS = [(c.path, o.name) for c in commands.listed() for o in c.options if o.type == "string"
                   and not o.choices]
MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")


def check_reply(reply: Reply) -> None:
    for page in range(len(reply.pages)):
        body = reply.payload(page)
        text = json.dumps(body, ensure_ascii=False)
        assert body["allowed_mentions"] == {"parse": []}
        assert not MENTION.search(text), text[:300]
        for word in ("Traceback", "sqlite3", "fts5", "syntax error", "OperationalError"):
            assert word not in text
        assert len(body["content"]) <= 2000
        assert sum(len(json.dumps(e)) for e in body["embeds"]) < 12000
        for e in body["embeds"]:
            total = len(e.get("title", "")) + len(e.get("description", "")) + len(e.get("footer", {}).get("text", ""))
            total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
            assert total <= 6000
            assert len(e.get("title", "")) <= 256 and len(e.get("description", "")) <= 4096
            assert len(e.get("fields", [])) <= 25
            assert all(len(f["value"]) <= 1024 and len(f["name"]) <= 256 for f in e.get("fields", []))
        for row in body["components"]:
            assert len(row["components"]) <= 5
            assert all(len(b["custom_id"]) <= 100 and len(b["label"]) <= 80 for b in row["components"])
        if reply.kind in ("error", "no-match", "asked-back"):
            assert reply.ephemeral


@pytest.mark.parametrize("path,option", STRING_COMMANDS)
@pytest.mark.parametrize("text", BAD, ids=range(len(BAD)))
def test_bad_option_values(app, path, option, text):
    check_reply(commands.run(app, path, {option: text}))


@pytest.mark.parametrize("text", BAD, ids=range(len(BAD)))
def test_bad_console_lines(app, text):
    check_reply(reply_to(app, "/paper search query:" + text))
    check_reply(reply_to(app, "/" + text))


def test_wrong_types_and_unknown_options_are_polite(app):
    for path, opts in [("paper top", {"year": "twenty"}), ("paper top", {"month": "13", "year": "2024"}),
                       ("paper top", {"sort": "random"}), ("deadline list", {"past": "maybe"}),
                       ("paper search", {"qurey": "x"}), ("paper show", {}), ("nope", {})]:
        reply = commands.run(app, path, opts)
        assert reply.kind == "error" and reply.ephemeral
        check_reply(reply)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_in_any_search(app, text):
    for path, option in STRING_COMMANDS:
        check_reply(commands.run(app, path, {option: text}))
