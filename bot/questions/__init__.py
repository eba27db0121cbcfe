"""Questions in plain words: read into entities, an attribute, filters and an operation, then answered."""
