"""F003 Gebruikersbeheer: colleagues of an organisation, invitations, roles and join requests."""
