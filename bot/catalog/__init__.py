"""The catalog: curated YAML sources, validated, built into SQLite, loaded as the in-memory model."""
