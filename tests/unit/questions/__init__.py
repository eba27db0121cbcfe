"""Unit tests of the plain-question reader's parts."""
