"""People, roles, MFA, access reviews and the tamper-evident audit log."""
