"""F001 Toegang verkrijgen: registration of suppliers, e-mail confirmation, approval by VNG, password reset."""
