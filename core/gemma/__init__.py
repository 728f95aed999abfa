"""GEMMA reference data (referentiecomponenten, standaarden), shared by several functionalities."""
