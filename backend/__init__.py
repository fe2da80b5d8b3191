"""Mock FBI NGI + DHS IDENT + ICE LESC service (a separate process, spoken to over HTTP)."""
