"""F002 Organisatieprofiel: profile, contact persons, certifications and the public supplier page."""
