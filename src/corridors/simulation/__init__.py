"""corridors.simulation."""
