"""Whether the bot is healthy, for operators and staff: status checks, metrics and error reports."""
