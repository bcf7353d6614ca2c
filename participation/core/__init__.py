"""Shared building blocks: reference data, permissions, security, errors, mail, pagination."""
