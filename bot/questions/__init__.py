"""Questions in plain words: reading a member's question into the command that answers it."""
