"""Fingerprint science: images, features, quality, templates, MCC matching, search, synthesis."""
