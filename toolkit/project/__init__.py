"""The project on disk: settings (``tmkit.toml``), layout, the project lock,
no-change stamps and atomic file writes.

Every stage stands on this floor; it knows folders and files, never formats
or catalogs.  The package imports nothing itself, so that reading a setting
never pulls in a reader or a writer.
"""
