"""Default plugins: one functionality each (fNNN_name)."""
