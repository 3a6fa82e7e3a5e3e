"""corridors.cli."""
