"""Parsing staff input for deadlines: timezones (AoE!), DST, impossible dates, offsets, titles."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.reminders.deadlines import (
    InputError,
    parse_link,
    parse_offsets,
    parse_timezone,
    parse_title,
    parse_when,
)

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize("when,tz,expected", [
    ("2026-12-01 17:00", "UTC", utc(2026, 12, 1, 17)),
    ("2026-12-01 17:00", None, utc(2026, 12, 1, 17)),
    ("2026-12-01 23:59", "AoE", utc(2026, 12, 2, 11, 59)),          # UTC−12: half a day *later* in UTC
    ("2026-12-01 23:59", "aoe", utc(2026, 12, 2, 11, 59)),
    ("2026-12-01 17:00", "Europe/London", utc(2026, 12, 1, 17)),    # winter: GMT
    ("2027-07-01 17:00", "Europe/London", utc(2027, 7, 1, 16)),     # summer: BST
    ("2027-03-28 12:00", "Europe/London", utc(2027, 3, 28, 11)),    # the day the clocks go forward
    ("2026-12-01 17:00", "+05:30", utc(2026, 12, 1, 11, 30)),
    ("2026-12-01 17:00", "UTC-7", utc(2026, 12, 2, 0)),
    ("2026-12-01 17:00", "America/Los_Angeles", utc(2026, 12, 2, 1)),
    ("2026-12-01", "UTC", utc(2026, 12, 1, 23, 59)),
])
def test_when_in_timezones(when, tz, expected):
    due, _ = parse_when(when, tz, NOW)
    assert due == expected


@pytest.mark.parametrize("when,tz,field,words", [
    ("next tuesday-ish", "UTC", "when", "not a date"),
    ("2027-02-30 10:00", "UTC", "when", "not a real date"),
    ("2020-01-01 10:00", "UTC", "when", "in the past"),
    ("", "UTC", "when", "give a date"),
    ("2027-03-28 01:30", "Europe/London", "when", "does not exist"),  # skipped by the DST change
    ("2027-01-01 10:00", "Mars/Olympus", "timezone", "unknown timezone"),
    ("2027-01-01 10:00", "+25:00", "timezone", "not a real UTC offset"),
])
def test_bad_when_names_the_field(when, tz, field, words):
    with pytest.raises(InputError) as exc:
        parse_when(when, tz, NOW)
    assert exc.value.field == field and words in str(exc.value)


def test_aoe_is_etc_gmt_plus_12():
    tz, label = parse_timezone("AoE")
    assert dt.datetime(2026, 12, 1, tzinfo=tz).utcoffset() == dt.timedelta(hours=-12)
    assert label == "AoE (UTC−12)"


def test_offsets():
    assert parse_offsets("7d, 1d, 1h") == [604800, 86400, 3600]
    assert parse_offsets("90s") == [90]
    for bad in ("", "0s", "-1h", "soon", "1h, garbage", "1y"):
        with pytest.raises(InputError) as exc:
            parse_offsets(bad)
        assert exc.value.field == "offsets"


def test_titles_and_links():
    assert parse_title("  Final   report ") == "Final report"
    for bad in ("", "x" * 5000, "ping @everyone", "hi <@&123>", "<@42> due"):
        with pytest.raises(InputError) as exc:
            parse_title(bad)
        assert exc.value.field == "title"
    assert parse_link("https://example.org/form") == "https://example.org/form"
    with pytest.raises(InputError):
        parse_link("javascript:alert(1)")


# NOW is Sunday 2026-11-22 12:00 UTC: every natural time is read from it (an injected clock).
@pytest.mark.parametrize("when,tz,expected", [
    ("tomorrow 17:00", None, utc(2026, 11, 23, 17)),
    ("tomorrow 17:00", "Europe/London", utc(2026, 11, 23, 17)),
    ("tomorrow 17:00", "America/New_York", utc(2026, 11, 23, 22)),      # in the deadline's timezone
    ("next friday 5pm AoE", None, utc(2026, 11, 28, 5)),                 # Fri 17:00 UTC−12
    ("next friday 5pm", "AoE", utc(2026, 11, 28, 5)),
    ("in 3 days", None, utc(2026, 11, 25, 12)),
    ("15 Dec 23:59", None, utc(2026, 12, 15, 23, 59)),
    ("15 Dec 23:59", "Asia/Kolkata", utc(2026, 12, 15, 18, 29)),
    ("2027-01-10 5pm", None, utc(2027, 1, 10, 17)),
    ("1 Nov 10:00", None, utc(2027, 11, 1, 10)),                        # future-preferring: next year's
    ("friday", None, utc(2026, 11, 27, 23, 59)),                         # a day alone: its end
    ("11:00", None, utc(2026, 11, 23, 11)),                              # a time already past today: tomorrow
    ("in 2 weeks", "UTC", utc(2026, 12, 6, 12)),
    ("dec 15 5pm UTC+2", None, utc(2026, 12, 15, 15)),
])
def test_natural_times(when, tz, expected):
    due, _ = parse_when(when, tz, NOW)
    assert due == expected


@pytest.mark.parametrize("when", ["next week", "this month", "end of month", "next weekend", "soon", "sometime"])
def test_periods_are_refused_with_examples(when):
    with pytest.raises(InputError) as exc:
        parse_when(when, None, NOW)
    assert exc.value.field == "when" and "not an instant" in str(exc.value) and "tomorrow 17:00" in str(exc.value)


def test_two_timezones_are_refused():
    with pytest.raises(InputError) as exc:
        parse_when("tomorrow 17:00 AoE", "Europe/London", NOW)
    assert exc.value.field == "timezone"


def test_offsets_in_words():
    assert parse_offsets("2 days") == [172800]
    assert parse_offsets("1 week, 1 day") == [604800, 86400]
    assert parse_offsets("1 week 2 days, 1 hour") == [777600, 3600]
    assert parse_offsets("7d 1d 1h") == [604800, 86400, 3600]  # compact tokens stay separate
    assert parse_offsets("90 minutes") == [5400]


# -------------------------------------------------- staff text is cleaned like a title (issue 9)

@pytest.mark.parametrize("raw, expected", [
    ("Bring\x00 the form", "Bring the form"),
    ("\u202eevil\u202c text", "evil text"),
    ("line one\nline two", "line one\nline two"),
    ("\u200b\u200c\u200d\ufeff", ""),
])
def test_descriptions_are_cleaned_like_titles(raw, expected):
    from bot.reminders.deadlines import parse_description

    assert parse_description(raw) == expected


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "ftp://example.org/x", "https://example.org/@everyone", "https://example.org/<@123>",
    "https://discord.com@evil.example/", "https:///nohost", "https://exa mple.org",
])
def test_links_are_http_s_only_and_carry_no_mention(link):
    from bot.reminders.deadlines import InputError, parse_link

    with pytest.raises(InputError):
        parse_link(link)


def test_a_clean_link_passes_and_a_bidi_override_is_dropped():
    from bot.reminders.deadlines import parse_link

    assert parse_link("https://example.org/apply?x=1") == "https://example.org/apply?x=1"
    assert parse_link("https://example.org/\u202eform") == "https://example.org/form"


@pytest.mark.parametrize("text", [
    "run </staff deadline add:123456789012345678> first",  # a slash-command mention
    "ask @\u200beveryone",  # a zero-width space hiding @everyone until the text is cleaned
    "see <#123456789012345678>", "hi <@&123456789012345678>",
])
def test_titles_and_descriptions_refuse_every_mention_the_bot_neutralises(text):
    from bot.reminders.deadlines import InputError, parse_description, parse_title

    for parse in (parse_title, parse_description):
        with pytest.raises(InputError, match="must not contain mentions"):
            parse(text)


@pytest.mark.parametrize("now", [NOW, NOW + dt.timedelta(days=800)])
def test_the_example_in_a_refusal_is_a_time_the_bot_accepts(now):
    """A fixed example date would one day be in the past, and staff who copy it would be refused again."""
    with pytest.raises(InputError) as exc:
        parse_when("next tuesday-ish", "UTC", now)
    example = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", str(exc.value))
    assert example is not None, str(exc.value)
    assert parse_when(example.group(0), "UTC", now)[0] > now
