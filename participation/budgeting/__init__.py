"""Participatory budgeting: ballots, tallies and Pabulib files."""
