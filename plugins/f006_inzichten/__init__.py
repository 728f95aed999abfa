"""F006 Inzichten: who looks at a supplier's packages, interest of municipalities, notifications and dashboards."""
