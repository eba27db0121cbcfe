"""Search: the fuzzy word index, full text over long fields, and the ranking rules they share."""
