"""Participatory budgeting: rounds and proposals (rounds/), voting (voting/), results and
their rules (results/), web pages (web/), and the command line (cli, tally_cli, demo)."""
