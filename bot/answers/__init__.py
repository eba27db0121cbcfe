"""Answers to every command, built once as Discord-free replies (see bot.commands for the set)."""

from .. import ask  # noqa: F401 - /ask lives beside the reader of questions
from . import help, papers, people, program, staff, streams  # noqa: F401 - each module registers its commands
