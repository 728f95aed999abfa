"""Core of the Softwarecatalogus: app factory, security, tenancy, plugins and shared services."""
