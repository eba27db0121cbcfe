"""Discord extensions, one per command area (cogs/<area>.py over bot/commands/<area>.py).

The client loads exactly `bot.commands.AREAS`; each cog is a thin adapter over the registry.
"""
