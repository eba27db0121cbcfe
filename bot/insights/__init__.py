"""What members ask and how it went: questions recorded in the bot's state, their votes, and the staff report."""
