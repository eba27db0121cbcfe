"""Tests of tests/support/discord_contract.py: the Discord request-body contract checker itself."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from tests.support import discord_contract as dc

MESSAGES = "/channels/111/messages"
CALLBACK = "/interactions/222/aW50ZXJhY3Rpb24tdG9rZW4/callback"
FOLLOWUP = "/webhooks/333/aW50ZXJhY3Rpb24tdG9rZW4"
ORIGINAL = "/webhooks/333/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original"
GLOBAL_COMMANDS = "/applications/333/commands"
GUILD_COMMANDS = "/applications/333/guilds/444/commands"
NO_PINGS: dict[str, Any] = {"parse": []}
#: Checks of the spec's schemas themselves; the limit and mention checks below need no spec.
needs_spec = pytest.mark.skipif(not dc.spec_available(), reason=dc.SPEC_MISSING_REASON)


def message(**fields: Any) -> dict[str, Any]:
    return {"content": "hello", "allowed_mentions": dict(NO_PINGS), **fields}


def command(name: str = "paper", **fields: Any) -> dict[str, Any]:
    return {"name": name, "description": "Paper commands", "type": 1, **fields}


def autocomplete(choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": 8, "data": {"choices": choices}}


def mentions_any(lines: list[str], *needles: str) -> bool:
    return any(all(needle in line for needle in needles) for line in lines)


# ------------------------------------------------------------------ valid bodies pass


def test_valid_message_body_passes() -> None:
    body = message(
        embeds=[{"title": "A paper", "description": "About debate", "fields": [{"name": "k", "value": "v"}]}],
        components=[
            {"type": 1, "components": [{"type": 2, "style": 1, "label": "More", "custom_id": "card:more"}]}
        ],
    )
    assert dc.violations("POST", MESSAGES, body) == []


@needs_spec
def test_bodies_discord_py_really_sends_pass() -> None:
    """Shapes recorded from discord.py 2.7.1 under SimCord (ints for snowflakes and ids included)."""
    reply = {
        "content": "hi",
        "components": [],
        "nonce": "2346706963190073262",
        "enforce_nonce": True,
        "message_reference": {"message_id": 1456074443980800012, "channel_id": 1, "guild_id": 2},
        "tts": False,
        "allowed_mentions": {"parse": [], "replied_user": False},
        "attachments": [{"id": 0, "filename": "event.ics"}],
    }
    assert dc.violations("POST", MESSAGES, reply) == []
    assert dc.violations("POST", CALLBACK, {"type": 5}) == []
    assert dc.violations("POST", CALLBACK, {"type": 5, "data": {"flags": 64}}) == []
    assert (
        dc.violations(
            "POST", CALLBACK, {"type": 4, "data": {"content": "x", "flags": 64, "allowed_mentions": NO_PINGS}}
        )
        == []
    )
    assert (
        dc.violations("POST", CALLBACK, {"type": 7, "data": {"content": "x", "allowed_mentions": NO_PINGS}})
        == []
    )
    assert dc.violations("POST", CALLBACK, autocomplete([{"name": "A title", "value": "A title"}])) == []
    assert (
        dc.violations("POST", FOLLOWUP, {"content": "done", "tts": False, "allowed_mentions": NO_PINGS}) == []
    )
    assert (
        dc.violations("PATCH", ORIGINAL, {"content": "expired", "tts": False, "allowed_mentions": NO_PINGS})
        == []
    )
    sync = [
        command(
            nsfw=False,
            dm_permission=True,
            default_member_permissions="8",
            contexts=None,
            integration_types=None,
            options=[
                {
                    "name": "search",
                    "description": "Search papers",
                    "type": 1,
                    "options": [
                        {
                            "type": 3,
                            "name": "query",
                            "description": "Words",
                            "required": True,
                            "autocomplete": True,
                        },
                        {"type": 4, "name": "limit", "description": "…", "required": False},
                    ],
                }
            ],
        ),
        {"name": "Show Paper", "type": 3, "description": ""},
    ]
    assert dc.violations("PUT", GLOBAL_COMMANDS, sync) == []
    assert dc.violations("PUT", GUILD_COMMANDS, sync) == []


@needs_spec
def test_api_prefix_query_and_full_url_are_accepted() -> None:
    assert dc.find_operation("POST", "/api/v10" + MESSAGES) == "/channels/{channel_id}/messages"
    assert dc.find_operation("GET", MESSAGES + "?limit=5") == "/channels/{channel_id}/messages"
    assert dc.find_operation("PATCH", "https://discord.com/api/v10" + ORIGINAL) == (
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
    )
    assert dc.violations("POST", "/api/v10" + MESSAGES, message()) == []


def test_literal_segments_win_over_parameters() -> None:
    assert dc.find_operation("PATCH", ORIGINAL).endswith("/messages/@original")
    assert dc.find_operation("PATCH", FOLLOWUP + "/messages/555").endswith("/messages/{message_id}")


@needs_spec
def test_multipart_payload_json_is_validated() -> None:
    good = {"payload_json": message(attachments=[{"id": 0, "filename": "cal.ics"}])}
    assert dc.violations("POST", MESSAGES, good) == []
    as_text = {"payload_json": '{"content": "%s", "allowed_mentions": {"parse": []}}' % ("x" * 2001)}
    assert mentions_any(dc.violations("POST", MESSAGES, as_text), "body.content", "2001")


# ------------------------------------------------------------------------ violations


def test_content_over_2000_is_a_violation() -> None:
    found = dc.violations("POST", MESSAGES, message(content="x" * 2001))
    assert mentions_any(found, "body.content", "2001", "2000")
    assert dc.violations("POST", MESSAGES, message(content="x" * 2000)) == []


def test_embed_total_over_6000_is_a_violation() -> None:
    embeds = [
        {"title": "t" * 200, "description": "d" * 4000},
        {"description": "e" * 1000, "footer": {"text": "f" * 801}},
    ]
    assert sum(len(v) for v in ("t" * 200, "d" * 4000, "e" * 1000, "f" * 801)) == 6001
    found = dc.violations("POST", MESSAGES, message(embeds=embeds))
    assert mentions_any(found, "body.embeds", "6001", "6000")
    embeds[1]["footer"]["text"] = "f" * 800
    assert dc.violations("POST", MESSAGES, message(embeds=embeds)) == []


@pytest.mark.parametrize(
    ("embed", "where"),
    [
        ({"title": "t" * 257}, "title"),
        ({"description": "d" * 4097}, "description"),
        ({"fields": [{"name": "n", "value": "v"}] * 26}, "fields"),
        ({"fields": [{"name": "n" * 257, "value": "v"}]}, "fields[0].name"),
        ({"fields": [{"name": "n", "value": "v" * 1025}]}, "fields[0].value"),
        ({"footer": {"text": "f" * 2049}}, "footer.text"),
        ({"author": {"name": "a" * 257}}, "author.name"),
    ],
)
def test_each_embed_limit(embed: dict[str, Any], where: str) -> None:
    assert mentions_any(dc.check_limits("POST", MESSAGES, message(embeds=[embed])), f"embeds[0].{where}")


def test_more_than_10_embeds() -> None:
    assert mentions_any(dc.check_limits("POST", MESSAGES, message(embeds=[{"title": "t"}] * 11)), "11 embeds")


def test_component_limits() -> None:
    button = {"type": 2, "style": 1, "label": "ok", "custom_id": "id"}
    six_rows = [{"type": 1, "components": [button]}] * 6
    assert mentions_any(dc.check_limits("POST", MESSAGES, message(components=six_rows)), "6 action rows")
    wide = [{"type": 1, "components": [button] * 6}]
    assert mentions_any(dc.check_limits("POST", MESSAGES, message(components=wide)), "6 buttons")
    long_label = [{"type": 1, "components": [{**button, "label": "L" * 81}]}]
    assert mentions_any(dc.check_limits("POST", MESSAGES, message(components=long_label)), ".label", "81")
    long_id = [{"type": 1, "components": [{**button, "custom_id": "c" * 101}]}]
    assert mentions_any(dc.check_limits("POST", MESSAGES, message(components=long_id)), ".custom_id", "101")


def test_26_autocomplete_choices_is_a_violation() -> None:
    choices = [{"name": f"choice {i}", "value": f"v{i}"} for i in range(26)]
    assert mentions_any(dc.violations("POST", CALLBACK, autocomplete(choices)), "body.data.choices", "26")
    assert dc.violations("POST", CALLBACK, autocomplete(choices[:25])) == []


def test_101_char_choice_name_is_a_violation() -> None:
    found = dc.violations("POST", CALLBACK, autocomplete([{"name": "n" * 101, "value": "v"}]))
    assert mentions_any(found, "choices[0].name", "101")


def test_empty_choice_name_and_long_string_value() -> None:
    found = dc.check_limits("POST", CALLBACK, autocomplete([{"name": "", "value": "v" * 101}]))
    assert mentions_any(found, "choices[0].name")
    assert mentions_any(found, "choices[0].value", "101")


def test_missing_allowed_mentions_is_a_violation() -> None:
    body = {"content": "hello"}
    assert mentions_any(dc.violations("POST", MESSAGES, body), "allowed_mentions", "missing")
    assert mentions_any(dc.violations("POST", FOLLOWUP, body), "allowed_mentions", "missing")
    assert mentions_any(dc.violations("PATCH", ORIGINAL, body), "allowed_mentions", "missing")
    for kind in (4, 7):
        assert mentions_any(
            dc.violations("POST", CALLBACK, {"type": kind, "data": body}), "body.data.allowed_mentions"
        )
    # A deferral carries no message, so it needs no allowed_mentions.
    assert dc.violations("POST", CALLBACK, {"type": 5}) == []


@pytest.mark.parametrize(
    "mentions",
    [
        {"parse": ["everyone"]},
        {"parse": ["users"]},
        {"parse": ["roles"]},
        {"parse": [], "users": ["123"]},
        {"parse": [], "roles": ["456"]},
        {"parse": [], "replied_user": True},
    ],
)
def test_permissive_allowed_mentions_are_violations(mentions: dict[str, Any]) -> None:
    assert mentions_any(
        dc.check_limits("POST", MESSAGES, message(allowed_mentions=mentions)), "allowed_mentions"
    )


def test_allowed_roles_permit_exactly_those_roles() -> None:
    reminder = message(content="<@&456> standup", allowed_mentions={"parse": [], "roles": [456]})
    assert dc.violations("POST", MESSAGES, reminder, allowed_roles={"456"}) == []
    assert dc.violations("POST", MESSAGES, reminder) != []
    other = message(allowed_mentions={"parse": [], "roles": ["456", "789"]})
    assert mentions_any(dc.violations("POST", MESSAGES, other, allowed_roles={"456"}), "789")
    everyone = message(allowed_mentions={"parse": ["everyone"], "roles": ["456"]})
    assert mentions_any(dc.violations("POST", MESSAGES, everyone, allowed_roles={"456"}), "parse")


def test_upper_case_command_name_is_a_violation() -> None:
    found = dc.violations("PUT", GLOBAL_COMMANDS, [command("Paper")])
    assert mentions_any(found, "body[0].name", "lower case")


@pytest.mark.parametrize(
    ("definition", "needle"),
    [
        (command("paper search"), "body[0].name"),
        (command("x" * 33), "body[0].name"),
        (command(description=""), "body[0].description"),
        (command(description="d" * 101), "body[0].description"),
        (command(options=[{"type": 5, "name": f"o{i}", "description": "d"} for i in range(26)]), "options"),
        (command(options=[{"type": 3, "name": "Query", "description": "d"}]), "options[0].name"),
        (command(options=[{"type": 3, "name": "q", "description": ""}]), "options[0].description"),
        (
            command(
                options=[
                    {
                        "type": 1,
                        "name": "sub",
                        "description": "d",
                        "options": [{"type": 3, "name": "Bad", "description": "d"}],
                    }
                ]
            ),
            "options[0].options[0].name",
        ),
        (
            command(
                options=[
                    {
                        "type": 3,
                        "name": "q",
                        "description": "d",
                        "choices": [{"name": "c", "value": "v"}] * 26,
                    }
                ]
            ),
            "choices",
        ),
        (
            command(
                options=[
                    {
                        "type": 3,
                        "name": "q",
                        "description": "d",
                        "choices": [{"name": "c", "value": "v" * 101}],
                    }
                ]
            ),
            "choices[0].value",
        ),
    ],
)
def test_command_definition_limits(definition: dict[str, Any], needle: str) -> None:
    assert mentions_any(dc.violations("PUT", GUILD_COMMANDS, [definition]), needle)


def test_more_than_100_commands() -> None:
    commands = [command(f"cmd{i}") for i in range(101)]
    assert mentions_any(dc.check_limits("PUT", GLOBAL_COMMANDS, commands), "101 commands")


@needs_spec
def test_unknown_route_is_one_violation() -> None:
    found = dc.violations("POST", "/definitely/not/a/discord/route", {"x": 1})
    assert len(found) == 1
    assert "unknown route" in found[0]
    assert len(dc.violations("DELETE", "/interactions/1/tok/callback", None)) == 1


@needs_spec
def test_schema_violations_are_readable() -> None:
    button_without_style = [{"type": 1, "components": [{"type": 2, "label": "x", "custom_id": "c"}]}]
    found = dc.validate_request("POST", MESSAGES, message(components=button_without_style))
    assert found == [
        "POST /channels/{channel_id}/messages: body.components[0].components[0]: 'style' is a required property"
    ]
    assert mentions_any(
        dc.validate_request("POST", MESSAGES, message(flags="64")), "body.flags", "not of type"
    )
    assert mentions_any(dc.validate_request("POST", CALLBACK, {"type": 42}), "body")


class Record(NamedTuple):
    method: str
    path: str
    json: Any


def test_violations_in_runs_over_request_records() -> None:
    records = [
        Record("GET", "/oauth2/applications/@me", None),
        Record("POST", MESSAGES, message()),
        Record("POST", MESSAGES, {"content": "oops"}),
    ]
    found = dc.violations_in(records)
    assert len(found) == 1
    assert found[0].startswith(f"POST {MESSAGES} -> ")


@needs_spec
def test_validators_are_cached() -> None:
    dc.violations("POST", MESSAGES, message())
    before = dc._validator.cache_info()
    for _ in range(200):
        assert dc.violations("POST", MESSAGES, message()) == []
    after = dc._validator.cache_info()
    assert after.misses == before.misses
    assert after.hits >= before.hits + 200


def test_the_environment_names_the_spec_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    chosen = tmp_path / "openapi.json"
    chosen.write_text("{}", encoding="utf-8")
    monkeypatch.setenv(dc.ENV_VAR, str(chosen))
    assert dc.spec_path() == chosen
    assert dc.spec_available()


def test_a_wrong_environment_path_is_an_error_not_a_skip(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv(dc.ENV_VAR, str(tmp_path / "nothing.json"))
    with pytest.raises(FileNotFoundError, match=dc.ENV_VAR):
        dc.spec_available()


def test_without_a_spec_only_the_schema_checks_are_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.delenv(dc.ENV_VAR, raising=False)
    monkeypatch.setattr(dc, "__file__", str(tmp_path / "a" / "b" / "c" / "discord_contract.py"))
    assert not dc.spec_available()
    with pytest.raises(FileNotFoundError, match="not found"):
        dc.spec_path()
    assert dc.validate_request("POST", MESSAGES, message(flags="64")) == []
    # the limits and the mention policy need no spec: they still find what they find with one
    assert mentions_any(dc.violations("POST", MESSAGES, message(content="x" * 2001)), "body.content", "2001")
    assert mentions_any(dc.violations("POST", MESSAGES, {"content": "hi"}), "allowed_mentions", "missing")
    choices = [{"name": str(i), "value": str(i)} for i in range(26)]
    assert mentions_any(dc.violations("POST", CALLBACK, autocomplete(choices)), "body.data.choices", "26")
    assert mentions_any(dc.violations("PUT", GLOBAL_COMMANDS, [command("Paper")]), "body[0].name")
    assert dc.find_operation("PATCH", ORIGINAL) == "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
