"""Moderation: a queue, flags, decisions with reasons, bans, appeals and an audit trail.

Content types plug in through `registry.register(ModeratedType(...))`; moderation never
imports the domains, the domains import moderation.
"""
