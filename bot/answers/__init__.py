"""Answers to every command, built once as Discord-free replies (see bot.commands for the set)."""

from . import help, papers, people, program, streams  # noqa: F401 - each module registers its commands
