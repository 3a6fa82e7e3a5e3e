"""corridors.reports."""
