"""Pure, deterministic domain logic. Never imports Textual or SQL (import-linter enforces it)."""
