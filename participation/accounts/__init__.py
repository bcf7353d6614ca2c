"""Residents and staff: registration, login, profile, roles, data export and deletion."""
