"""Incident response: staff reports, cases, the notification chain, the breach law."""
