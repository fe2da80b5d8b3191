"""Data, not code: translations, rights-notice texts, icons."""
