"""The S&T achievements database and the technology contract registry."""
