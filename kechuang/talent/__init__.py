"""Talent programs, calls, applications through employers and the talent registry."""
