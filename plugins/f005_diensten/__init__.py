"""F005 Diensten: services a supplier offers on its own or other suppliers' published packages."""
