"""Rights-notice texts for the detainee's copy of an immigration detainer: one TOML file per language."""
