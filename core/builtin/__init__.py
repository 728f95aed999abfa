"""Default functionality of core, registered as plugins like any other."""
