"""Data only: vendor profiles, icons, translations, report assets."""
