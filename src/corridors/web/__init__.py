"""corridors.web."""
