"""Modal dialogs: each asks for one thing and dismisses a frozen value (or None)."""
