"""f001_toegang."""
