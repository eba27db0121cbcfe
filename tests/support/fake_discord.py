"""A protocol-level fake Discord for tests that run the bot as a real process.

It speaks HTTP (REST under /api/v10) and a websocket gateway on 127.0.0.1, enough for the
unmodified discord.py client to log in, sync commands, receive an interaction and answer it, and
post channel messages. Use it with the bot's `DISCORD_API_BASE_URL` / `DISCORD_GATEWAY_URL`.

    fake = FakeDiscord(); await fake.start()          # or: with running_fake() as fake: (thread)
    env = {"DISCORD_API_BASE_URL": fake.api_url, "DISCORD_GATEWAY_URL": fake.gateway_url}
    await fake.wait_for(lambda: fake.ready_count >= 1, 30)
    fake.interaction("paper search", {"query": "refusal"})  # dispatch INTERACTION_CREATE
    fake.requests        # [(method, path, json)] every REST call, in order
    fake.messages        # channel messages created (deduplicated by nonce when enforce_nonce is true)

Like Discord, a channel message repeated with the same nonce and `enforce_nonce: true` returns the
first message instead of creating a second one — but only for `nonce_window` seconds (Discord keeps
nonces "a few minutes"): after that a repeat is a second message. `advance(seconds)` moves the
fake's clock (message snowflakes, nonce ages) without waiting, to play a long outage.

Also like Discord: message ids are snowflakes of their creation time, `GET /channels/{id}/messages`
reads history (after/before/limit, components included), `POST /users/@me/channels` opens a DM,
a DM to a user in `closed_dms` is refused with 403 / 50007, and `rate_limit_after` answers one
message create with a 429 (retry_after, with the `Via` header real 429s carry).

An interaction dies like Discord's: its first response (the callback) must come within
`interaction_window` seconds (3) of the dispatch on the fake's clock, its followups within 15 minutes;
a late one is answered 404 `Unknown interaction` (10062) and counted in `expired`. A test plays a slow
handler with `hold_answers` and `advance()`, never by waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 1_100_000_000_000_000_001
BOT_ID = APP_ID
GUILD_ID = 1_100_000_000_000_000_100
CHANNEL_ID = 1_100_000_000_000_000_200
MEMBER_ID = 1_100_000_000_000_000_300
TS = "2026-11-22T12:00:00+00:00"
DISCORD_EPOCH_MS = 1_420_070_400_000
DM_BASE = 1_300_000_000_000_000_000  # DM channel ids: DM_BASE + the user's index
NONCE_WINDOW = 300.0  # seconds Discord remembers a nonce ("the past few minutes")
TOKEN = "fake-token"  # any other token is refused with 401, like Discord does
INTERACTION_WINDOW = 3.0  # seconds Discord waits for an interaction's first response
TOKEN_LIFETIME = 15 * 60.0  # seconds an interaction token takes followups
UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}

BOT_USER = {"id": str(BOT_ID), "username": "fellowship", "discriminator": "0", "global_name": None,
            "avatar": None, "bot": True, "flags": 0}
MEMBER_USER = {"id": str(MEMBER_ID), "username": "alice", "discriminator": "0", "global_name": "Alice",
               "avatar": None}

REFUSALS: dict[int, tuple[dict[str, Any], dict[str, str]]] = {
    403: ({"message": "Missing Permissions", "code": 50013}, {}),
    404: ({"message": "Unknown Channel", "code": 10003}, {}),
    # discord.py waits retry_after and retries (5 tries in all); 'Via' marks it as Discord's, not Cloudflare's
    429: ({"message": "You are being rate limited.", "retry_after": 0.0, "global": False, "code": 0},
          {"Via": "1.1 google", "Retry-After": "0", "X-RateLimit-Scope": "user"}),
    500: ({"message": "Internal Server Error", "code": 0}, {}),
    503: ({"message": "Service Unavailable", "code": 0}, {}),
}
"""What Discord answers a refused channel message with, by status."""


@dataclass
class Request:
    method: str
    path: str
    json: Any


@dataclass
class FakeDiscord:
    requests: list[Request] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    ready_count: int = 0
    fail_next_sends: int = 0  # answer this many channel sends with `fail_status` (retry tests)
    fail_status: int = 500  # 403, 404, 429 or a 5xx, each with the body (and headers) Discord gives it
    send_latency: float = 0.0  # seconds between accepting a channel message and answering: a window to crash in
    hold_answers: bool = False  # accept channel messages but answer none until cleared: a window to kill in
    held: int = 0  # channel messages accepted while hold_answers was set
    deduplicated: int = 0  # repeats answered with the first message because of their nonce
    nonce_window: float = NONCE_WINDOW  # seconds a nonce is remembered
    closed_dms: set[int] = field(default_factory=set)  # users whose DMs refuse the bot (403, 50007)
    rate_limit_after: int | None = None  # answer the message create after this many with one 429
    retry_after: float = 0.05  # seconds the injected 429 asks the bot to wait
    rate_limited: int = 0  # 429s answered
    refuse_gateway: bool = False  # turn gateway connections away (503): an outage the bot cannot resume from
    history_reads: int = 0  # GET /channels/{id}/messages answered
    history_status: int | None = None  # answer history reads with this refusal (403 no Read Message History, 404)
    dm_channels: dict[int, int] = field(default_factory=dict)  # user id → DM channel id
    created_at: dict[str, float] = field(default_factory=dict)  # message id → the fake's clock when created
    _skew: float = 0.0  # seconds added to the wall clock by advance()
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1_200_000_000_000_000_000))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _nonces: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    interaction_window: float = INTERACTION_WINDOW
    expired: int = 0  # callbacks and followups refused because the interaction was dead
    _dispatched: dict[str, float] = field(default_factory=dict)  # interaction id → the fake's clock at dispatch
    port: int = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        for ws in list(self._sockets):
            # a client that is still connected (or was just killed) need not finish the close handshake
            with contextlib.suppress(TimeoutError, ConnectionError):
                await asyncio.wait_for(ws.close(), 2)
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests call ------------------------------------------------------------------------
    def interaction(self, name: str, options: dict[str, Any] | None = None, sub: str | None = None) -> str:
        """Dispatch a slash command from the member; returns the interaction id. *sub*: the subcommand,
        or 'group subcommand' ('reminders announce' under /staff)."""
        iid = str(next(self._ids))
        opts = [{"name": k, "type": 3 if isinstance(v, str) else 4, "value": v} for k, v in (options or {}).items()]
        if sub:
            *group, leaf = sub.split()
            opts = [{"name": leaf, "type": 1, "options": opts}]
            if group:
                opts = [{"name": group[0], "type": 2, "options": opts}]
        payload = {
            "id": iid, "application_id": str(APP_ID), "type": 2, "token": f"token-{iid}", "version": 1,
            "guild_id": str(GUILD_ID), "channel_id": str(CHANNEL_ID), "channel": self._channel(),
            "member": {"user": MEMBER_USER, "roles": [], "joined_at": TS, "deaf": False, "mute": False,
                       "flags": 0, "permissions": "2248473465835073"},
            "data": {"id": "1", "name": name, "type": 1, "options": opts, "guild_id": str(GUILD_ID)},
            "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US",
            "entitlements": [], "authorizing_integration_owners": {"0": str(GUILD_ID)}, "context": 0,
            "attachment_size_limit": 10_485_760,
        }
        self._dispatched[iid] = self.now()
        self._dispatch("INTERACTION_CREATE", payload)
        return iid

    def _alive(self, iid: str, lifetime: float) -> bool:
        """The interaction may still be answered (one the fake did not dispatch is not judged)."""
        start = self._dispatched.get(iid)
        if start is None or self.now() - start <= lifetime:
            return True
        self.expired += 1
        return False

    def now(self) -> float:
        """The fake's clock (Unix seconds): the wall clock plus every advance()."""
        return time.time() + self._skew

    def advance(self, seconds: float) -> None:
        """Let *seconds* pass for the fake (nonces age, new snowflakes are later), without waiting."""
        self._skew += seconds

    def dms_to(self, user_id: int) -> list[dict[str, Any]]:
        channel = self.dm_channels.get(user_id)
        return [m for m in self.messages if channel is not None and int(m["channel_id"]) == channel]

    def callbacks(self, interaction_id: str) -> list[Any]:
        return [r.json for r in self.requests if r.path.startswith(f"/interactions/{interaction_id}/")]

    def wait_for(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Poll *condition* until it holds or *timeout* seconds pass (from any thread)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return condition()

    # -- gateway --------------------------------------------------------------------------------
    def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._loop is not None
        frame = json.dumps({"op": 0, "t": event, "s": next(self._ids) % 1_000_000, "d": data})
        for ws in list(self._sockets):
            asyncio.run_coroutine_threadsafe(ws.send_str(frame), self._loop)

    def _channel(self) -> dict[str, Any]:
        return {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "general", "position": 0,
                "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
                "last_message_id": None, "rate_limit_per_user": 0, "flags": 0}

    def _guild(self) -> dict[str, Any]:
        everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": "2248473465835073", "position": 0,
                    "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
        return {"id": str(GUILD_ID), "name": "Fellowship", "icon": None, "owner_id": str(MEMBER_ID),
                "roles": [everyone], "channels": [self._channel()], "members": [], "emojis": [], "stickers": [],
                "features": [], "member_count": 2, "large": False, "unavailable": False, "joined_at": TS,
                "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
                "mfa_level": 0, "premium_tier": 0, "preferred_locale": "en-US", "system_channel_flags": 0,
                "nsfw_level": 0, "threads": [], "stage_instances": [], "guild_scheduled_events": [],
                "voice_states": [], "presences": []}

    def drop_gateway(self, *, refuse: bool) -> None:
        """Close every gateway connection (from any thread); with *refuse*, reconnects are turned away."""
        self.refuse_gateway = refuse
        assert self._loop is not None
        for ws in list(self._sockets):
            asyncio.run_coroutine_threadsafe(ws.close(), self._loop)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.refuse_gateway:
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                if data["op"] == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif data["op"] in (2, 6):  # IDENTIFY or RESUME: start a fresh session either way
                    ready = {"v": 10, "user": BOT_USER, "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                             "session_id": f"s{next(self._ids)}", "resume_gateway_url": self.gateway_url,
                             "application": {"id": str(APP_ID), "flags": 0}, "private_channels": [],
                             "relationships": [], "presences": []}
                    await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready}))
                    await ws.send_str(json.dumps({"op": 0, "t": "GUILD_CREATE", "s": 2, "d": self._guild()}))
                    self.ready_count += 1
        finally:
            self._sockets.remove(ws)
        return ws

    # -- REST -----------------------------------------------------------------------------------
    def _message(self, body: dict[str, Any], channel_id: int = CHANNEL_ID, author: dict | None = None) -> dict:
        # Like Discord, an id is a snowflake of the creation time: history(after=<time>) relies on it.
        now = self.now()
        snowflake = (int(now * 1000) - DISCORD_EPOCH_MS) << 22 | next(self._ids) % (1 << 22)
        self.created_at[str(snowflake)] = now
        dm = channel_id >= DM_BASE
        return {"id": str(snowflake), "channel_id": str(channel_id), **({} if dm else {"guild_id": str(GUILD_ID)}),
                "author": author or BOT_USER, "content": body.get("content") or "", "timestamp": TS,
                "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
                "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [], "pinned": False,
                "type": 0, "flags": body.get("flags", 0), "components": body.get("components") or [],
                "nonce": body.get("nonce")}

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                body = json.loads(str(form.get("payload_json", "{}")))
            else:
                raw = await request.read()
                body = json.loads(raw) if raw else None
        self.requests.append(Request(request.method, path, body))
        m = request.method

        def ok(data: Any, status: int = 200) -> web.Response:
            # discord.py parses JSON only for exactly this content type
            return web.Response(status=status, body=json.dumps(data), headers={"Content-Type": "application/json"})

        token_route = path.startswith(("/interactions/", "/webhooks/"))  # authorised by the interaction token
        if not token_route and request.headers.get("Authorization") != f"Bot {TOKEN}":
            return ok({"message": "401: Unauthorized", "code": 0}, 401)
        if path == "/users/@me":
            return ok(BOT_USER)
        if path == "/oauth2/applications/@me":
            return ok({"id": str(APP_ID), "name": "fellowship", "description": "", "icon": None,
                       "bot_public": False, "bot_require_code_grant": False, "verify_key": "0" * 64,
                       "owner": MEMBER_USER, "flags": 0, "team": None, "summary": ""})
        if path.endswith("/commands") and m == "PUT":
            return ok([{**c, "id": str(next(self._ids)), "application_id": str(APP_ID), "version": "1",
                        "default_member_permissions": c.get("default_member_permissions"), "type": c.get("type", 1)}
                       for c in body or []])
        if path.startswith("/interactions/") and path.endswith("/callback"):
            iid = path.split("/")[2]
            if not self._alive(iid, self.interaction_window):
                return ok(UNKNOWN_INTERACTION, 404)
            rtype = (body or {}).get("type")
            message = self._message((body or {}).get("data") or {}) if rtype in (4, 5) else None
            out: dict[str, Any] = {"interaction": {"id": iid, "type": 2,
                                                   "response_message_id": message and message["id"],
                                                   "response_message_loading": rtype == 5,
                                                   "response_message_ephemeral": False}}
            if message:
                out["resource"] = {"type": rtype, "message": message}
            return ok(out)
        if path.startswith("/webhooks/"):
            token = path.split("/")[3] if path.count("/") >= 3 else ""
            if token.startswith("token-") and not self._alive(token.removeprefix("token-"), TOKEN_LIFETIME):
                return ok(UNKNOWN_INTERACTION, 404)
            return ok(self._message(body or {}))
        if path == "/users/@me/channels" and m == "POST":
            user_id = int((body or {}).get("recipient_id", 0))
            channel = self.dm_channels.setdefault(user_id, DM_BASE + len(self.dm_channels))
            return ok({"id": str(channel), "type": 1, "last_message_id": None, "flags": 0,
                       "recipients": [{**MEMBER_USER, "id": str(user_id), "username": f"user{user_id}"}]})
        if path.startswith("/channels/") and path.endswith("/messages") and m == "GET":
            self.history_reads += 1
            if self.history_status is not None:
                body, headers = REFUSALS.get(self.history_status, ({"message": "Server Error", "code": 0}, {}))
                return web.Response(status=self.history_status, body=json.dumps(body),
                                    headers={"Content-Type": "application/json", **headers})
            return ok(self._history(int(path.split("/")[2]), request.query))
        if path.startswith("/channels/") and path.endswith("/messages") and m == "POST":
            channel_id = int(path.split("/")[2])
            nonce = (body or {}).get("nonce")
            remembered = self._nonces.get(nonce) if nonce else None
            if remembered and body.get("enforce_nonce") and self.now() - remembered[0] <= self.nonce_window:
                self.deduplicated += 1
                return ok(remembered[1])
            if self.fail_next_sends > 0:
                self.fail_next_sends -= 1
                body, headers = REFUSALS.get(self.fail_status, ({"message": "Server Error", "code": 0}, {}))
                return web.Response(status=self.fail_status, body=json.dumps(body),
                                    headers={"Content-Type": "application/json", **headers})
            if self.rate_limit_after is not None and len(self.messages) >= self.rate_limit_after:
                self.rate_limit_after = None
                self.rate_limited += 1
                return web.Response(status=429, body=json.dumps(
                    {"message": "You are being rate limited.", "retry_after": self.retry_after, "global": False}),
                    headers={"Content-Type": "application/json", "Via": "1.1 google",
                             "Retry-After": str(max(1, round(self.retry_after))), "X-RateLimit-Limit": "5",
                             "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(self.retry_after),
                             "X-RateLimit-Bucket": "fake-messages", "X-RateLimit-Scope": "user"})
            dm_user = next((u for u, c in self.dm_channels.items() if c == channel_id), None)
            if dm_user is not None and dm_user in self.closed_dms:
                return ok({"message": "Cannot send messages to this user", "code": 50007}, 403)
            if channel_id != CHANNEL_ID and dm_user is None:
                return ok({"message": "Unknown Channel", "code": 10003}, 404)
            message = self._message(body or {}, channel_id)
            if nonce:
                self._nonces[nonce] = (self.now(), message)
            self.messages.append(message)
            if self.hold_answers:  # decided on arrival: a message accepted earlier is never counted
                self.held += 1
                while self.hold_answers:  # the test kills the bot now, then clears the flag
                    await asyncio.sleep(0.01)
            elif self.send_latency:
                await asyncio.sleep(self.send_latency)  # accepted, but the bot does not know yet
            return ok(message)
        if path.startswith("/channels/"):
            return ok(self._channel())
        return ok({"message": f"fake Discord has no route {m} {path}", "code": 0}, 404)

    def _history(self, channel_id: int, query: Any) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages: up to `limit` messages after `after` / before `before` (or the
        newest), newest first, as Discord returns them."""
        mine = sorted((m for m in self.messages if int(m["channel_id"]) == channel_id), key=lambda m: int(m["id"]))
        limit = min(100, int(query.get("limit", 50)))
        if "after" in query:
            return [m for m in mine if int(m["id"]) > int(query["after"])][:limit][::-1]
        if "before" in query:
            mine = [m for m in mine if int(m["id"]) < int(query["before"])]
        return mine[::-1][:limit]


@contextmanager
def running_fake() -> Iterator[FakeDiscord]:
    """Run a FakeDiscord on its own event loop in a thread (for tests driving subprocesses)."""
    fake = FakeDiscord()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(fake.start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
