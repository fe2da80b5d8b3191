"""Security data: the common-password list (see README.md)."""
