"""F010 Lidmaatschap: gemeenten and suppliers take part in samenwerkingen and communities."""
