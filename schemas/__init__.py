"""Field and table registry: the one source of truth for every schema."""
