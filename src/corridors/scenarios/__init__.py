"""corridors.scenarios."""
