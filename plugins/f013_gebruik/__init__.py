"""F013 Gebruik: a municipality's own application landscape (which packages it uses, in which status)."""
