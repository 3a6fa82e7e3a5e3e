"""corridors.network."""
