"""corridors.studies: what each command runs (read inputs, call engines, assemble results)."""
