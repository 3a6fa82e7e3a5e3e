"""corridors.routing."""
