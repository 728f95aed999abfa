"""F004 Aanbod: the supplier's own packages, modules and versions."""
