"""F011 Catalogus: the public catalogue: search with facets, package pages, comparing packages,
and its read-only public REST API."""
