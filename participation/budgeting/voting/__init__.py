"""Voting: who may vote (eligibility, identity), the ballot (ballots, limits of the round),
casting into sealed envelopes (ballot_keys, casting), paper and in-person voting (paper), and
closing, which turns envelopes into anonymous ballots (closing, ending). See
docs/threat-model.md for what keeps the ballot secret."""
