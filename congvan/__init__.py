"""congvan: document intelligence for Vietnamese state dispatches.

Data flows one way: ``parsers`` (files to text) → ``pipeline`` (text to record) → ``models`` (the
record) → ``congvan.store`` (SQLite) → ``congvan.serve`` (Datasette).
"""
