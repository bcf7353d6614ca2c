"""Rounds and proposals: the round, its phases and budgets (models, setup, phases), proposals
from draft to implemented (proposals, statuses, tracking), their comments, photos and
notifications, links to the ideas they came from, and moderation of proposals."""
