"""The bot's own HTTP server (aiohttp.web, off by default) and the route modules each area registers on it."""
