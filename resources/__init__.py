"""Data shipped with parapp: criteria sets, fonts, translations, schemas."""
