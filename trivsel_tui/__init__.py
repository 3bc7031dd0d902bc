"""trivsel-tui: a keyboard-driven workbench for violence, bullying and harassment cases."""

__version__ = "0.1.0"
