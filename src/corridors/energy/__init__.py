"""corridors.energy."""
