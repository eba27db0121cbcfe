"""The Discord client: intents, where it connects, extension loading, one error handler, sync.

Everything a member sees is answered by `bot.commands`; this module only wires discord.py to it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Mapping
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands
from discord.ext import commands as ext

from bot.app import App
from bot.catalog.sources import SourceError
from bot.commands import AREAS
from bot.commands.staff import catalog_problems_text
from bot.config import Config
from bot.discord import errors
from bot.discord.reminders import DiscordSender, FollowButton, PickOffsets, UnfollowButton
from bot.discord.send import PageButton, SuggestionButton
from bot.discord.votes import VoteButton
from bot.health.alerts import Alerts
from bot.health.status import Live
from bot.reminders.scheduler import Scheduler
from bot.text import quote
from bot.web.calendar import calendar_routes
from bot.web.health import health_routes
from bot.web.server import WebServer

log = logging.getLogger(__name__)


def _not_about_voice(record: logging.LogRecord) -> bool:
    """discord.py warns at every start that PyNaCl and davey (voice) are missing; the bot has no voice."""
    return "voice will NOT be supported" not in record.getMessage()


logging.getLogger("discord.client").addFilter(_not_about_voice)


def intents() -> discord.Intents:
    """Only what the features need: `guilds` for slash commands and channels, `guild_messages` so a
    message that @mentions the bot reaches it (Discord delivers the text of such messages without the
    privileged `message_content` intent, which we do not ask for).
    """
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    return wanted


def point_at(config: Config) -> None:
    """Apply api_base_url / gateway_url: discord.py reads these class attributes on every request and
    connect, so the unmodified client can run behind a proxy or against a local Discord.
    """
    if config.discord.api_base_url:
        discord.http.Route.BASE = config.discord.api_base_url.rstrip("/")
    if config.discord.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.discord.gateway_url)


class Tree(app_commands.CommandTree):
    """The command tree with the one error handler every command and button shares (bot/discord/errors.py)."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "?"
        options = {o["name"]: o.get("value") for o in _flat_options(dict(interaction.data or {}))}
        await errors.handle(interaction, error, f"/{command}", options)


def _flat_options(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for opt in data.get("options", []) or []:
        if "options" in opt:
            out += _flat_options(opt)
        else:
            out.append({"name": opt.get("name"), "value": quote(str(opt.get("value")), 60)})
    return out


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PageButton, SuggestionButton,  # page turns and "did you mean" on every reply (bot/discord/send.py)
    VoteButton,  # 👍/👎 on answers (bot/discord/votes.py)
    FollowButton, UnfollowButton, PickOffsets,  # 🔔 Remind me, Stop, the offsets a member picks
)
"""Every button whose custom_id carries what a click needs, so it works after any restart: the one
place they are registered (add yours here)."""


class FellowshipBot(ext.Bot):
    """The bot. With `serving=False` (`python -m bot sync`) it only builds the command tree: no web
    server, no reminder scheduler and no sync-on-start, since discord.py's login runs setup_hook too.
    """

    def __init__(self, app: App, *, serving: bool = True, **kw: Any):
        super().__init__(command_prefix=ext.when_mentioned, intents=intents(), tree_cls=Tree,
                         allowed_mentions=discord.AllowedMentions.none(), help_command=None, **kw)
        self.app = app
        self.serving = serving
        self.failed_extensions: dict[str, str] = {}
        self.web: WebServer | None = None
        self.scheduler = Scheduler(app.state, app.config, DiscordSender(self), app.now,
                                   on_error=lambda exc: self.report_error("the reminder scheduler", exc))
        self._told_staff = False
        self.alerts = Alerts(app.now, secrets=lambda: _secrets(app.config))
        self._summary_sleeper: asyncio.Task[None] | None = None
        self._gateway_up = False
        self._sessions = 0

    # -- health -------------------------------------------------------------------------------
    async def on_connect(self) -> None:  # a new gateway session (READY)
        self._sessions += 1
        if self._sessions > 1:
            self.app.metrics.reconnects.inc()
        self._gateway_up = True
        self.app.metrics.connected.set(1)

    async def on_resumed(self) -> None:  # the same session after a dropped connection
        self.app.metrics.reconnects.inc()
        self._gateway_up = True
        self.app.metrics.connected.set(1)

    async def on_disconnect(self) -> None:
        self._gateway_up = False
        self.app.metrics.connected.set(0)
        log.warning("gateway disconnected; discord.py reconnects by itself")

    def live(self) -> Live:
        """What GET /healthz judges: gateway and heartbeat, scheduler (the state file it probes itself)."""
        ws = self.ws
        connected = self._gateway_up and ws is not None and bool(ws.open) and not self.is_closed()
        keep_alive = getattr(ws, "_keep_alive", None)  # discord.py's heartbeat thread (absent under a fake)
        last_ack = getattr(keep_alive, "_last_ack", None)
        age = time.perf_counter() - last_ack if isinstance(last_ack, float) else None
        if age is None and not math.isfinite(self.latency):
            age = math.inf  # connected but not one heartbeat acknowledged
        return Live(connected, age, self.scheduler.alive)

    async def report_error(self, where: str, exc: BaseException, options: Mapping[str, object] | None = None) -> None:
        """An unexpected error (a command, the scheduler, a reload) to the staff log channel, never to
        members: once per 10 minutes for the same error, then a summary of its repeats.
        """
        for text in self.alerts.report(where, exc, options):
            await self._post_to_staff(text)
        self._plan_summary()

    def _plan_summary(self) -> None:
        due = self.alerts.next_due()
        if due is None or (self._summary_sleeper is not None and not self._summary_sleeper.done()):
            return

        async def post_when_due() -> None:
            await asyncio.sleep(max(0.0, (due - self.app.now()).total_seconds()))
            for text in self.alerts.due():
                await self._post_to_staff(text)
            self._summary_sleeper = None
            self._plan_summary()

        self._summary_sleeper = asyncio.get_running_loop().create_task(post_when_due(), name="error-summary")

    async def _post_to_staff(self, text: str) -> None:
        channel_id = self.app.config.logging.staff_channel_id
        if channel_id is None:
            log.info("no logging.staff_channel_id: the error stays in the log only")
            return
        try:
            await self.get_partial_messageable(channel_id).send(text, allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:  # OSError covers TimeoutError
            log.error("could not post the error to the staff channel %s: %s", channel_id, exc)

    def register_dynamic_items(self) -> None:
        """Buttons that work after a restart: discord.py routes their clicks by custom_id pattern."""
        self.add_dynamic_items(*DYNAMIC_ITEMS)

    async def setup_hook(self) -> None:
        self.register_dynamic_items()
        for name in extension_names():
            try:
                await self.load_extension(name)
            except Exception as exc:  # a broken extension must not take the others down
                self.failed_extensions[name] = repr(exc)
                log.exception("extension %s failed to load; the others still run", name)
        if not self.serving:
            return
        cfg = self.app.config.discord
        if cfg.sync_on_start:
            await sync_tree(self, cfg.guild_ids)
        self.web = web_server(self.app, self)
        if self.web is not None:
            try:
                await self.web.start()
            except OSError as exc:  # port in use, no permission: Discord still gets its bot
                log.critical("web.listen %s: cannot listen (%s); serving Discord without the web server "
                             "(calendar feed, /healthz, /metrics)", self.app.config.web.listen, exc)
                self.web = None
        self.scheduler.start()

    def reminders_changed(self) -> None:
        """Staff or a member changed what is planned: the scheduler re-plans now."""
        self.scheduler.poke()

    async def close(self) -> None:
        self.scheduler.stop()
        if self.web is not None:
            await self.web.stop()
            self.web = None
        await super().close()

    async def on_ready(self) -> None:
        c = self.app.catalog
        log.info("ready as %s: catalog %s (%s), built %s", self.user,
                 c.path, ", ".join(f"{n} {k}" for k, n in c.counts.items()), c.built_at)
        if self.app.catalog_problems and not self._told_staff:
            self._told_staff = True  # on_ready repeats after a reconnect: say it once per start
            await self._post_to_staff(catalog_problems_text(self.app))


def web_server(app: App, bot: FellowshipBot | None = None) -> WebServer | None:
    """The bot's HTTP server (None unless web.listen is set), with every area's routes: one line per
    route module, here and nowhere else.
    """
    if not app.config.web.listen:
        return None
    server = WebServer(app.config.web)
    server.add_routes(calendar_routes(app))
    if bot is not None:
        server.add_routes(health_routes(app, bot.live))
    return server


def _secrets(config: Config) -> list[str]:
    """What must never appear in a staff alert: the token (from the environment or its file)."""
    try:
        token = config.token()
    except SourceError:
        return []
    return [token] if token else []


def extension_names() -> list[str]:
    """One extension per command area, named as the area (cogs/<area>.py): the list is explicit."""
    return [f"cogs.{area}" for area in AREAS]


async def sync_tree(bot: ext.Bot, guild_ids: tuple[int, ...] | list[int]) -> list[str]:
    """Sync to each guild (instant), or globally when none is configured (can take an hour)."""
    synced: list[str] = []
    if guild_ids:
        for gid in guild_ids:
            guild = discord.Object(gid)
            bot.tree.copy_global_to(guild=guild)
            synced += [c.name for c in await bot.tree.sync(guild=guild)]
    else:
        synced = [c.name for c in await bot.tree.sync()]
    log.info("synced %d commands to %s", len(synced), list(guild_ids) or "all guilds")
    return synced


def create_bot(app: App, *, serving: bool = True) -> FellowshipBot:
    point_at(app.config)
    return FellowshipBot(app, serving=serving)


def run_bot(config: Config, token: str) -> int:
    app = App(config, clock=discord.utils.utcnow)
    app.open()
    app.warm()
    bot = create_bot(app)
    try:
        bot.run(token, log_handler=None)
    except discord.LoginFailure:
        log.error("Discord rejected the token (DISCORD_TOKEN or discord.token_file): check it and try again.")
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("Discord refused an intent this bot asked for; see README 'Intents'.")
        return 1
    except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
        log.error("cannot reach Discord at %s: %s", discord.http.Route.BASE, exc)
        return 1
    finally:
        app.close()
    return 0


def sync_commands(config: Config, token: str, guild: int | None) -> int:
    """`python -m bot sync`: log in over REST only, register the commands, log out."""
    app = App(config)
    app.open()
    bot = create_bot(app, serving=False)

    async def go() -> list[str]:
        async with bot:
            await bot.login(token)
            return await sync_tree(bot, [guild] if guild else config.discord.guild_ids)

    try:
        names = asyncio.run(go())
    except discord.LoginFailure:
        log.error("Discord rejected the token (DISCORD_TOKEN or discord.token_file).")
        return 1
    finally:
        app.close()
    print(f"synced {len(names)} commands: {', '.join(sorted(names))}")
    return 0
