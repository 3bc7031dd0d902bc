"""Persistence: SQLModel tables, the engine, migrations, audit log, backup. Never imports Textual."""
