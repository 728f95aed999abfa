"""F011 Catalogus: the public catalogue (this branch: its read-only REST API)."""
