"""Checkov policies of our own (loaded by checkov itself, never imported by opsctl)."""
