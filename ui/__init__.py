"""The PySide6 desktop app over the nocdesk core."""
