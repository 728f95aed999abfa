"""F007 Export en import: the offering and landscapes as spreadsheets and ArchiMate files."""
