"""Textual screens, one per file. They call store/ and domain/, never SQL."""
