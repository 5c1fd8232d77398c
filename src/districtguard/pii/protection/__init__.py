"""Protect what the scan finds: statutory redaction and envelope encryption."""
