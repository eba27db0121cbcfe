"""The Discord front end: the client, the registry → app_commands bridge, Reply → discord.py."""
