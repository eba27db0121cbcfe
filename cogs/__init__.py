"""Discord extensions, one per area: thin adapters over bot.commands (loaded automatically at start-up)."""
