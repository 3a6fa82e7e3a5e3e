"""corridors.assignment."""
