"""Replies stay within Discord's limits however much text goes in."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reply import Embed, Page, Reply, Suggestion, decode_action, plain_time, stamp


def embed_total(e: dict) -> int:
    return (len(e.get("title", "")) + len(e.get("description", "")) + len(e.get("footer", {}).get("text", ""))
            + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", [])))


@given(st.text(max_size=400), st.text(max_size=9000),
       st.lists(st.tuples(st.text(min_size=1, max_size=400), st.text(min_size=1, max_size=2000)), max_size=40))
def test_any_embed_fits_every_limit(title, description, fields):
    embed = Embed(title=title, description=description, footer="f" * 3000)
    for name, value in fields:
        embed.add(name, value)
    e = Reply([Page("c" * 2500, [embed])]).payload()["embeds"][0]
    assert len(e.get("title", "")) <= 256 and len(e.get("description", "")) <= 4096
    assert len(e.get("fields", [])) <= 25
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in e.get("fields", []))
    assert embed_total(e) <= 6000


def test_payload_never_allows_mentions_and_marks_ephemeral():
    body = Reply.text("hi", ephemeral=True).payload()
    assert body["allowed_mentions"] == {"parse": []}
    assert body["flags"] == 64
    assert "flags" not in Reply.text("hi").payload()


def test_pages_get_navigation_buttons_with_the_right_state():
    reply = Reply([Page("one"), Page("two"), Page("three")])
    first = reply.payload(0)["components"][0]["components"]
    assert [b["disabled"] for b in first] == [True, True, False]
    assert first[2]["custom_id"] == "page:1"
    last = reply.payload(2)["components"][0]["components"]
    assert [b["disabled"] for b in last] == [False, True, True]
    assert last[1]["label"] == "3/3"


def test_suggestion_buttons_round_trip_their_action():
    s = Suggestion("Arjun Panickssery", "person", (("name", "arjun-panickssery"),))
    body = Reply.text("which?", suggestions=[s]).payload()
    button = body["components"][0]["components"][0]
    assert decode_action(button["custom_id"]) == ("person", {"name": "arjun-panickssery"})
    assert len(json.dumps(body)) < 2000


def test_discord_timestamps_render_as_utc_and_relative_on_the_console():
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    due = dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC)
    text = stamp(due)
    assert text == f"<t:{int(due.timestamp())}:F> (<t:{int(due.timestamp())}:R>)"
    assert plain_time(text, now) == "Tue 01 Dec 2026 17:00 UTC (in 9 days)"


def test_a_reply_always_has_a_first_page():
    assert Reply([]).payload()["content"] == ""
    assert len(Reply([]).pages) == 1


def message_size(body: dict) -> int:
    return sum(len(e.get("title", "")) + len(e.get("description", "")) + len(e.get("footer", {}).get("text", ""))
               + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", [])) for e in body["embeds"])


def test_a_messages_embeds_share_discords_6000_characters():
    from bot.reply import Embed, Page, Reply

    big = [Embed(title="T" * 256, description="d " * 2000, footer="f" * 100).add("Will say", "w " * 500)
           for _ in range(5)]
    body = Reply([Page("", big)]).payload()
    assert message_size(body) <= 6000
    assert len(body["embeds"]) >= 2  # the first ones are kept, cut; the rest left out, not stubs
    assert all(len(e.get("description", "")) <= 4096 for e in body["embeds"])


def test_small_embeds_are_untouched_by_the_shared_budget():
    from bot.reply import Embed, Page, Reply

    small = [Embed(title=f"t{i}", description="short").add("a", "b") for i in range(5)]
    body = Reply([Page("", small)]).payload()
    assert [e["title"] for e in body["embeds"]] == [f"t{i}" for i in range(5)]
    assert all(e["description"] == "short" for e in body["embeds"])


@pytest.mark.parametrize(("delta", "words"), [
    (dt.timedelta(days=3) - dt.timedelta(seconds=1), "in 3 days"),  # 'in 3 days' typed a moment ago
    (dt.timedelta(days=3, hours=11), "in 3 days"),
    (dt.timedelta(minutes=59, seconds=30), "in 1 hour"),
    (dt.timedelta(hours=21), "in 21 hours"),
    (dt.timedelta(seconds=44), "in 44 seconds"),
    (-dt.timedelta(days=1, hours=23, minutes=59), "2 days ago"),
])
def test_relative_time_rounds_to_the_nearest_unit_as_discord_shows_it(delta, words):
    from bot.reply import relative

    assert relative(delta) == words


def test_a_deadline_in_3_days_reads_in_3_days_on_the_console():
    now = dt.datetime(2026, 11, 22, 12, 0, 0, 400_000, tzinfo=dt.UTC)  # the stamp drops the fraction
    assert plain_time(stamp(now + dt.timedelta(days=3)), now).endswith("(in 3 days)")
