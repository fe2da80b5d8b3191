"""ANSI/NIST-ITL and FBI EBTS: build, parse and validate transactions; WSQ."""
