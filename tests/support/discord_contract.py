"""Check the JSON bodies a bot sends to Discord's HTTP API against Discord's contract.

Two layers:

* :func:`validate_request` validates a request body against the ``requestBody``
  schema of the matching operation in Discord's official OpenAPI 3.1 document
  (``discord-api-spec/openapi.json``), with every ``$ref`` resolved through a
  :mod:`referencing` registry over the whole document (OpenAPI 3.1 schemas are
  JSON Schema 2020-12).
* :func:`check_limits` enforces documented Discord limits that the spec leaves
  out or states more loosely (2000-char content, the 6000-char embed total,
  autocomplete choices, command-name rules, ...) plus this project's mention
  policy: every message-creating body must carry an ``allowed_mentions`` that
  pings nobody, except the role ids the caller explicitly allows.

:func:`violations` runs both; :func:`violations_in` runs them over a sequence
of request records (anything with ``method``, ``path`` and ``json``, e.g.
SimCord's ``env.http_requests``). Every function returns human-readable
strings; an empty list means the body is fine.

The spec is not part of the repository (a plain clone must pass without it). It
is read from the path in the ``DISCORD_OPENAPI_SPEC`` environment variable when
that is set (a missing file there is an error), else from
``../shared/discord-api-spec/openapi.json`` beside the checkout, where CI has it.
When neither exists, :func:`validate_request` checks nothing (the schema part is
skipped, :data:`SPEC_MISSING_REASON` says why, and the test session prints it at
its end) while :func:`check_limits` and the mention policy still run over the
routes they know. The loaded document, the route table and every compiled
validator are cached per process.

Tolerances. Discord's API accepts a few wire forms that its own spec types
more strictly, and discord.py relies on them; rejecting them would only produce
noise, so the loaded document is adjusted in memory (never on disk):

* ``SnowflakeType`` also accepts a non-negative JSON integer (discord.py sends
  ``message_reference`` ids, ``allowed_mentions`` ids and upload
  ``attachments[].id`` indexes as integers);
* integer permission bitfields (``default_member_permissions``,
  ``permissions``, ``allow``, ``deny``) also accept a decimal string, which is
  how discord.py (and Discord's documentation) send them.

Example::

    from tests.support.discord_contract import violations

    assert violations("POST", "/channels/1/messages", {"content": "hi",
                      "allowed_mentions": {"parse": []}}) == []
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

try:  # the third-party `regex` module knows \p{L}/\p{N}; fall back to str methods without it
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

__all__ = [
    "ENV_VAR",
    "SPEC_MISSING_REASON",
    "Body",
    "RequestRecord",
    "check_limits",
    "find_operation",
    "spec_available",
    "spec_path",
    "validate_request",
    "violations",
    "violations_in",
]

#: Environment variable naming the spec file (wins over the ../shared copy).
ENV_VAR = "DISCORD_OPENAPI_SPEC"

#: Why the schema checks are skipped when no spec is found (one line, for the test session header).
SPEC_MISSING_REASON = (
    f"Discord OpenAPI spec not found (set {ENV_VAR} or put ../shared/discord-api-spec/openapi.json "
    "beside the checkout): request bodies are checked against Discord's limits and the mention policy "
    "only, not against the spec's schemas"
)

#: What a request body may be: a JSON object, a JSON array (bulk endpoints) or nothing.
Body = dict[str, Any] | list[Any] | None

_SPEC_URI = "urn:discord:openapi"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON = "application/json"
_MULTIPART = "multipart/form-data"
_API_PREFIX = re.compile(r"^/api(?:/v\d+)?(?=/|$)")
_PERMISSION_FIELDS = frozenset({"default_member_permissions", "permissions", "allow", "deny"})

# --------------------------------------------------------------- documented limits
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_TEXT_MAX = 2048
EMBED_AUTHOR_NAME_MAX = 256
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
OPTIONS_MAX = 25
COMMANDS_MAX = 100

_IS_COMPONENTS_V2 = 1 << 15
_CALLBACK_MESSAGE = 4  # CHANNEL_MESSAGE_WITH_SOURCE
_CALLBACK_UPDATE = 7  # UPDATE_MESSAGE
_CALLBACK_AUTOCOMPLETE = 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
_CHAT_INPUT = 1
_SUBCOMMAND, _SUBCOMMAND_GROUP, _STRING_OPTION = 1, 2, 3
_ACTION_ROW, _BUTTON = 1, 2
_CALLBACK_TEMPLATE = "/interactions/{interaction_id}/{interaction_token}/callback"
_COMMAND_TEMPLATES = frozenset(
    {
        "/applications/{application_id}/commands",
        "/applications/{application_id}/commands/{command_id}",
        "/applications/{application_id}/guilds/{guild_id}/commands",
        "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
    }
)
#: Operations whose JSON body is a message (create or edit): the content/embed/component limits apply.
_MESSAGE_OPERATIONS = frozenset(
    {
        ("POST", "/channels/{channel_id}/messages"),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
    }
)
#: Message operations that must carry a ping-free ``allowed_mentions`` (plus callbacks 4/7 with data).
_MESSAGE_CREATING = frozenset(
    {
        ("POST", "/channels/{channel_id}/messages"),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
    }
)


class RequestRecord(Protocol):
    """A logged request: SimCord's ``HttpLogEntry`` has this shape."""

    @property
    def method(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def json(self) -> Any: ...


# ==================================================================== spec loading


def _default_spec_path() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "discord-api-spec" / "openapi.json"


def spec_path() -> Path:
    """Where the OpenAPI document is read from (see the module docstring).

    Raises :class:`FileNotFoundError` when ``DISCORD_OPENAPI_SPEC`` names a file
    that does not exist, or when it is unset and ``../shared`` has no spec.
    """
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override)
        if not path.is_file():
            raise FileNotFoundError(f"{ENV_VAR}={override}: no such file")
        return path
    default = _default_spec_path()
    if default.is_file():
        return default
    raise FileNotFoundError(f"{SPEC_MISSING_REASON} (looked at {default})")


def spec_available() -> bool:
    """True when the schema checks can run; a ``DISCORD_OPENAPI_SPEC`` naming nothing is still an error."""
    if os.environ.get(ENV_VAR):
        spec_path()  # raises: an explicit path that is wrong must not turn into a silent skip
        return True
    return _default_spec_path().is_file()


@lru_cache(maxsize=4)
def _load_spec(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    if not str(document.get("openapi", "")).startswith("3.1"):
        raise ValueError(f"{path}: expected an OpenAPI 3.1 document, got {document.get('openapi')!r}")
    return _apply_tolerances(document)


def _apply_tolerances(document: dict[str, Any]) -> dict[str, Any]:
    """Widen, in place, the few types Discord accepts more liberally than its spec states."""
    schemas = document.get("components", {}).get("schemas", {})
    snowflake = schemas.get("SnowflakeType")
    if isinstance(snowflake, dict):
        schemas["SnowflakeType"] = {"anyOf": [snowflake, {"type": "integer", "minimum": 0}]}

    def widen(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                for name, schema in properties.items():
                    if name in _PERMISSION_FIELDS and _is_integer_schema(schema):
                        properties[name] = {"anyOf": [schema, {"type": "string", "pattern": "^[0-9]+$"}]}
            for value in node.values():
                widen(value)
        elif isinstance(node, list):
            for value in node:
                widen(value)

    widen(schemas)
    widen(document.get("paths", {}))
    return document


def _is_integer_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return kind == "integer" or (isinstance(kind, list) and "integer" in kind)


def _spec() -> dict[str, Any]:
    return _load_spec(str(spec_path()))


@lru_cache(maxsize=4)
def _registry(path: str) -> Registry:
    return Registry().with_resource(_SPEC_URI, DRAFT202012.create_resource(_load_spec(path)))


@lru_cache(maxsize=4)
def _route_table(path: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """method -> [(template segments, template)] for every operation in the spec."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for template, item in _load_spec(path).get("paths", {}).items():
        segments = tuple(template.strip("/").split("/"))
        for method in item:
            if method in _HTTP_METHODS:
                table.setdefault(method.upper(), []).append((segments, template))
    return table


@lru_cache(maxsize=1)
def _known_route_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The routes :func:`check_limits` cares about, for when there is no spec to read them from."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    routes = {("POST", _CALLBACK_TEMPLATE), *_MESSAGE_OPERATIONS}
    routes |= {(m, t) for t in _COMMAND_TEMPLATES for m in ("GET", "PUT", "POST", "PATCH", "DELETE")}
    for method, template in sorted(routes):
        table.setdefault(method, []).append((tuple(template.strip("/").split("/")), template))
    return table


def _routes() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    return _route_table(str(spec_path())) if spec_available() else _known_route_table()


@lru_cache(maxsize=1024)
def _validator(path: str, template: str, method: str, content_type: str) -> Draft202012Validator:
    pointer = "/".join(
        segment.replace("~", "~0").replace("/", "~1")
        for segment in (
            "",
            "paths",
            template,
            method.lower(),
            "requestBody",
            "content",
            content_type,
            "schema",
        )
    )
    schema = {"$ref": f"{_SPEC_URI}#{quote(pointer, safe='/~')}"}
    return Draft202012Validator(schema, registry=_registry(path))


# ================================================================= route matching


def _normalize_path(path: str) -> str:
    parts = urlsplit(path)
    bare = parts.path if (parts.scheme or parts.netloc) else path.split("?", 1)[0]
    bare = _API_PREFIX.sub("", bare) or "/"
    return "/" + bare.strip("/")


def find_operation(method: str, path: str) -> str | None:
    """Return the spec's path template for ``method path``, or ``None`` when none matches.

    ``path`` is a concrete request path such as ``/api/v10/channels/1/messages``
    (a leading ``/api`` or ``/api/vN``, a scheme/host and a query string are
    ignored). When several templates match, the one with most literal segments
    wins, so ``.../messages/@original`` beats ``.../messages/{message_id}``.
    """
    segments = tuple(_normalize_path(path).strip("/").split("/"))
    best: tuple[int, str] | None = None
    for template_segments, template in _routes().get(method.upper(), ()):
        if len(template_segments) != len(segments):
            continue
        literals = 0
        for expected, actual in zip(template_segments, segments, strict=True):
            if expected.startswith("{") and expected.endswith("}"):
                if not actual:
                    break
            elif expected == actual:
                literals += 1
            else:
                break
        else:
            if best is None or literals > best[0]:
                best = (literals, template)
    return best[1] if best else None


def _unwrap_multipart(body: Any) -> Any:
    """Return the ``payload_json`` part when the caller passed a multipart form as a dict."""
    if isinstance(body, Mapping) and "payload_json" in body:
        payload = body["payload_json"]
        if isinstance(payload, str | bytes):
            return json.loads(payload)
        return payload
    return body


# ====================================================================== validation


def validate_request(method: str, path: str, body: Body) -> list[str]:
    """Validate ``body`` against the request schema of the matching spec operation.

    Returns ``[]`` when the body is valid, otherwise one readable line per
    violation (``"<where>: <what>"``). An unknown route gives exactly one
    violation saying so. A multipart body may be given as
    ``{"payload_json": {...}}`` (or with the JSON as a string); its payload is
    validated against the operation's JSON (else multipart) schema. Without a
    spec (see :data:`SPEC_MISSING_REASON`) there is nothing to validate against: ``[]``.
    """
    if not spec_available():
        return []
    method = method.upper()
    spec_file = str(spec_path())
    template = find_operation(method, path)
    if template is None:
        return [f"{method} {_normalize_path(path)}: unknown route (no operation in the Discord OpenAPI spec)"]
    operation = _load_spec(spec_file)["paths"][template][method.lower()]
    body = _unwrap_multipart(body)
    request_body = operation.get("requestBody")
    label = f"{method} {template}"
    if request_body is None:
        if body in (None, {}, []):
            return []
        return [f"{label}: this operation takes no request body, but one was sent"]
    if body is None:
        return [f"{label}: a request body is required"] if request_body.get("required") else []
    content = request_body.get("content", {})
    content_type = _JSON if _JSON in content else _MULTIPART if _MULTIPART in content else None
    if content_type is None:
        return [f"{label}: the spec documents no JSON request body for this operation"]
    validator = _validator(spec_file, template, method, content_type)
    errors = sorted(validator.iter_errors(body), key=_path_order)
    found: list[str] = []
    for error in errors:
        for leaf in _leaf_errors(error):
            line = f"{label}: {_where(leaf)}: {_describe(leaf)}"
            if line not in found:
                found.append(line)
    return found


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """Replace an anyOf/oneOf failure by the errors of the branch the body was meant for."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    plausible = [errs for errs in branches.values() if not _wrong_kind(errs)]
    if not plausible:
        return [error]
    flattened = [[leaf for sub in errs for leaf in _leaf_errors(sub)] for errs in plausible]
    # The branch with the fewest (then the deepest) problems is the one the body was aiming at.
    return min(flattened, key=lambda leaves: (len(leaves), -max(len(leaf.absolute_path) for leaf in leaves)))


def _path_order(error: ValidationError) -> list[tuple[int, int, str]]:
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


def _wrong_kind(errors: list[ValidationError]) -> bool:
    """True when a union branch fails on the JSON type or on a ``type`` discriminator."""
    for error in errors:
        if not error.relative_path and error.validator == "type":
            return True
        if list(error.relative_path) == ["type"] and error.validator in ("enum", "const"):
            return True
    return False


def _where(error: ValidationError) -> str:
    text = "body"
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(error: ValidationError) -> str:
    value, rule = error.instance, error.validator_value
    if error.validator in ("maxLength", "minLength") and isinstance(value, str):
        return f"string of {len(value)} characters violates {error.validator} {rule}"
    if error.validator in ("maxItems", "minItems") and isinstance(value, list):
        return f"array of {len(value)} items violates {error.validator} {rule}"
    if error.validator == "type":
        return f"{_short(value)} is not of type {rule}"
    if error.validator in ("anyOf", "oneOf") and error.context:
        return f"{_short(value)} matches none of the allowed shapes ({error.validator})"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


# ========================================================================= limits


def check_limits(
    method: str, path: str, body: Body, *, allowed_roles: Iterable[str] = frozenset()
) -> list[str]:
    """Check the documented Discord limits (and the mention policy) that the spec leaves out.

    Message bodies (channel messages and their edits, interaction callbacks of
    type 4/7, webhook executions and followups, webhook/original-response
    edits): content <= 2000, <= 10 embeds with the per-field limits and the
    6000-character total, <= 5 action rows, <= 5 buttons a row, button labels
    <= 80, every ``custom_id`` <= 100.

    Autocomplete results (callback type 8): <= 25 choices, names 1-100
    characters, string values <= 100.

    Application command definitions (``PUT``/``POST``/``PATCH`` on
    ``/applications/{id}[/guilds/{id}]/commands[/{id}]``): <= 100 commands;
    chat-input command, option and subcommand names match
    ``^[-_\\p{L}\\p{N}]{1,32}$`` and are lower case (context-menu commands
    only need 1-32 characters); descriptions 1-100; <= 25 options a level;
    <= 25 choices, each name 1-100 and string value <= 100.

    Mention policy, for message-*creating* bodies (``POST`` channel messages,
    callbacks 4/7 carrying data, ``POST /webhooks/{id}/{token}`` followups,
    ``PATCH .../messages/@original``): ``allowed_mentions`` must be present
    and allow nothing: empty ``parse``, no ``users``, no ``roles``,
    ``replied_user`` not true. ``allowed_roles`` names role ids a message may
    ping (a reminder's role): then ``roles`` may list only those ids, and
    ``parse`` must still be empty (``"roles"`` in ``parse`` would allow every
    role named in the content, so it is refused too).
    """
    method = method.upper()
    template = find_operation(method, path)
    if template is None:
        return []
    body = _unwrap_multipart(body)
    allowed = frozenset(str(role) for role in allowed_roles)
    label = f"{method} {template}"
    found: list[str] = []
    if template == _CALLBACK_TEMPLATE:
        if isinstance(body, Mapping):
            kind = body.get("type")
            data = body.get("data")
            if kind in (_CALLBACK_MESSAGE, _CALLBACK_UPDATE) and isinstance(data, Mapping):
                found += _message_limits(data, "body.data")
                found += _mention_policy(data, "body.data", allowed)
            elif kind == _CALLBACK_AUTOCOMPLETE:
                choices = data.get("choices") if isinstance(data, Mapping) else None
                found += _choice_limits(choices, "body.data.choices", autocomplete=True)
    elif template in _COMMAND_TEMPLATES:
        if method == "PUT" and isinstance(body, list):
            if len(body) > COMMANDS_MAX:
                found.append(f"body: {len(body)} commands exceed the limit of {COMMANDS_MAX}")
            for index, command in enumerate(body):
                found += _command_limits(command, f"body[{index}]")
        elif method in ("POST", "PATCH") and isinstance(body, Mapping):
            found += _command_limits(body, "body")
    elif (method, template) in _MESSAGE_OPERATIONS and isinstance(body, Mapping):
        found += _message_limits(body, "body")
        if (method, template) in _MESSAGE_CREATING:
            found += _mention_policy(body, "body", allowed)
    return [f"{label}: {line}" for line in found]


def _message_limits(message: Mapping[str, Any], where: str) -> list[str]:
    found: list[str] = []
    content = message.get("content")
    if isinstance(content, str) and len(content) > CONTENT_MAX:
        found.append(f"{where}.content: {len(content)} characters exceed {CONTENT_MAX}")
    embeds = message.get("embeds")
    if embeds is None and isinstance(message.get("embed"), Mapping):
        embeds = [message["embed"]]
    if isinstance(embeds, list):
        found += _embed_limits(embeds, f"{where}.embeds")
    components = message.get("components")
    if isinstance(components, list):
        flags = message.get("flags")
        found += _component_limits(
            components, f"{where}.components", v2=isinstance(flags, int) and bool(flags & _IS_COMPONENTS_V2)
        )
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _too_long(value: Any, limit: int, where: str) -> list[str]:
    text = _text(value)
    return [f"{where}: {len(text)} characters exceed {limit}"] if len(text) > limit else []


def _embed_limits(embeds: list[Any], where: str) -> list[str]:
    found: list[str] = []
    if len(embeds) > EMBEDS_MAX:
        found.append(f"{where}: {len(embeds)} embeds exceed {EMBEDS_MAX}")
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, Mapping):
            continue
        here = f"{where}[{index}]"
        title, description = _text(embed.get("title")), _text(embed.get("description"))
        found += _too_long(title, EMBED_TITLE_MAX, f"{here}.title")
        found += _too_long(description, EMBED_DESCRIPTION_MAX, f"{here}.description")
        total += len(title) + len(description)
        fields = embed.get("fields") or []
        if isinstance(fields, list):
            if len(fields) > EMBED_FIELDS_MAX:
                found.append(f"{here}.fields: {len(fields)} fields exceed {EMBED_FIELDS_MAX}")
            for field_index, field in enumerate(fields):
                if isinstance(field, Mapping):
                    name, value = _text(field.get("name")), _text(field.get("value"))
                    found += _too_long(name, EMBED_FIELD_NAME_MAX, f"{here}.fields[{field_index}].name")
                    found += _too_long(value, EMBED_FIELD_VALUE_MAX, f"{here}.fields[{field_index}].value")
                    total += len(name) + len(value)
        footer, author = embed.get("footer"), embed.get("author")
        if isinstance(footer, Mapping):
            text = _text(footer.get("text"))
            found += _too_long(text, EMBED_FOOTER_TEXT_MAX, f"{here}.footer.text")
            total += len(text)
        if isinstance(author, Mapping):
            name = _text(author.get("name"))
            found += _too_long(name, EMBED_AUTHOR_NAME_MAX, f"{here}.author.name")
            total += len(name)
    if total > EMBED_TOTAL_MAX:
        found.append(f"{where}: {total} characters across all embeds exceed {EMBED_TOTAL_MAX}")
    return found


def _walk_components(components: Sequence[Any], where: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    for index, component in enumerate(components):
        if not isinstance(component, Mapping):
            continue
        here = f"{where}[{index}]"
        yield component, here
        children = component.get("components")
        if isinstance(children, list):
            yield from _walk_components(children, f"{here}.components")
        accessory = component.get("accessory")
        if isinstance(accessory, Mapping):
            yield from _walk_components([accessory], f"{here}.accessory")


def _component_limits(components: list[Any], where: str, *, v2: bool) -> list[str]:
    found: list[str] = []
    rows = [c for c in components if isinstance(c, Mapping) and c.get("type") == _ACTION_ROW]
    if not v2 and len(rows) > ACTION_ROWS_MAX:
        found.append(f"{where}: {len(rows)} action rows exceed {ACTION_ROWS_MAX}")
    for component, here in _walk_components(components, where):
        if component.get("type") == _ACTION_ROW:
            children = component.get("components") or []
            buttons = [c for c in children if isinstance(c, Mapping) and c.get("type") == _BUTTON]
            if len(buttons) > BUTTONS_PER_ROW_MAX:
                found.append(f"{here}: {len(buttons)} buttons exceed {BUTTONS_PER_ROW_MAX} per row")
        if component.get("type") == _BUTTON:
            found += _too_long(component.get("label"), BUTTON_LABEL_MAX, f"{here}.label")
        found += _too_long(component.get("custom_id"), CUSTOM_ID_MAX, f"{here}.custom_id")
    return found


def _choice_limits(choices: Any, where: str, *, autocomplete: bool = False) -> list[str]:
    if not isinstance(choices, list):
        return []
    found: list[str] = []
    if len(choices) > CHOICES_MAX:
        kind = "autocomplete choices" if autocomplete else "choices"
        found.append(f"{where}: {len(choices)} {kind} exceed {CHOICES_MAX}")
    for index, choice in enumerate(choices):
        if not isinstance(choice, Mapping):
            continue
        name, value = choice.get("name"), choice.get("value")
        if not isinstance(name, str) or not 1 <= len(name) <= CHOICE_NAME_MAX:
            size = len(name) if isinstance(name, str) else "no"
            found.append(f"{where}[{index}].name: {size} characters, must be 1-{CHOICE_NAME_MAX}")
        if isinstance(value, str) and len(value) > CHOICE_STRING_VALUE_MAX:
            found.append(f"{where}[{index}].value: {len(value)} characters exceed {CHOICE_STRING_VALUE_MAX}")
    return found


def _valid_name_chars(name: str) -> bool:
    if _regex is not None:
        return _regex.fullmatch(r"[-_\p{L}\p{N}]{1,32}", name) is not None
    # str.isalnum() is true exactly for the letters (L*) and numbers (N*) that \p{L}\p{N} match.
    return 1 <= len(name) <= COMMAND_NAME_MAX and all(ch in "-_" or ch.isalnum() for ch in name)


def _name_limits(name: Any, where: str, *, chat_input: bool) -> list[str]:
    if not isinstance(name, str):
        return [f"{where}: a name is required"]
    if not chat_input:
        return (
            [] if 1 <= len(name) <= COMMAND_NAME_MAX else [f"{where}: {len(name)} characters, must be 1-32"]
        )
    found: list[str] = []
    if not _valid_name_chars(name):
        found.append(f"{where}: {name!r} does not match ^[-_\\p{{L}}\\p{{N}}]{{1,32}}$")
    if name != name.lower():
        found.append(f"{where}: {name!r} must be lower case")
    return found


def _description_limits(description: Any, where: str) -> list[str]:
    size = len(description) if isinstance(description, str) else 0
    if 1 <= size <= COMMAND_DESCRIPTION_MAX:
        return []
    return [f"{where}: {size} characters, must be 1-{COMMAND_DESCRIPTION_MAX}"]


def _command_limits(command: Any, where: str) -> list[str]:
    if not isinstance(command, Mapping):
        return [f"{where}: a command definition must be an object"]
    chat_input = command.get("type") in (None, _CHAT_INPUT)
    found = _name_limits(command.get("name"), f"{where}.name", chat_input=chat_input)
    if chat_input:
        found += _description_limits(command.get("description"), f"{where}.description")
        found += _option_limits(command.get("options"), f"{where}.options")
    return found


def _option_limits(options: Any, where: str) -> list[str]:
    if not isinstance(options, list):
        return []
    found: list[str] = []
    if len(options) > OPTIONS_MAX:
        found.append(f"{where}: {len(options)} options exceed {OPTIONS_MAX}")
    for index, option in enumerate(options):
        if not isinstance(option, Mapping):
            continue
        here = f"{where}[{index}]"
        found += _name_limits(option.get("name"), f"{here}.name", chat_input=True)
        found += _description_limits(option.get("description"), f"{here}.description")
        found += _choice_limits(option.get("choices"), f"{here}.choices")
        if option.get("type") in (_SUBCOMMAND, _SUBCOMMAND_GROUP):
            found += _option_limits(option.get("options"), f"{here}.options")
    return found


def _mention_policy(message: Mapping[str, Any], where: str, allowed_roles: frozenset[str]) -> list[str]:
    mentions = message.get("allowed_mentions")
    if mentions is None:
        return [
            f"{where}.allowed_mentions: missing, so Discord would ping every user, role and "
            "@everyone named in the content (pass allowed_mentions=discord.AllowedMentions.none())"
        ]
    if not isinstance(mentions, Mapping):
        return [f"{where}.allowed_mentions: must be an object"]
    found: list[str] = []
    parse = mentions.get("parse") or []
    if parse:
        found.append(f"{where}.allowed_mentions.parse: {list(parse)!r} allows pings; it must be []")
    users = mentions.get("users") or []
    if users:
        found.append(f"{where}.allowed_mentions.users: {list(users)!r} allows user pings")
    roles = [str(role) for role in mentions.get("roles") or []]
    stray = [role for role in roles if role not in allowed_roles]
    if stray:
        found.append(f"{where}.allowed_mentions.roles: {stray!r} are not among the allowed roles")
    if mentions.get("replied_user") is True:
        found.append(f"{where}.allowed_mentions.replied_user: true pings the replied-to author")
    return found


# ===================================================================== combined


def violations(
    method: str, path: str, body: Body, *, allowed_roles: Iterable[str] = frozenset()
) -> list[str]:
    """:func:`validate_request` and :func:`check_limits` together.

    A limit finding at a location the spec check already reported is dropped,
    so one oversized field yields one line.
    """
    schema_lines = validate_request(method, path, body)
    reported = {_location(line) for line in schema_lines}
    limit_lines = check_limits(method, path, body, allowed_roles=allowed_roles)
    return schema_lines + [line for line in limit_lines if _location(line) not in reported]


def _location(line: str) -> str:
    """``"METHOD /template: body.x.y"`` out of ``"METHOD /template: body.x.y: what"``."""
    return ": ".join(line.split(": ", 2)[:2])


def violations_in(
    requests: Iterable[RequestRecord], *, allowed_roles: Iterable[str] = frozenset()
) -> list[str]:
    """:func:`violations` over every record (e.g. SimCord's ``env.http_requests``).

    Each line is prefixed with the record's concrete ``METHOD path``.
    """
    roles = frozenset(str(role) for role in allowed_roles)
    found: list[str] = []
    for record in requests:
        for line in violations(record.method, record.path, record.json, allowed_roles=roles):
            found.append(f"{record.method} {record.path} -> {line}")
    return found
