"""f003_gebruikers."""
