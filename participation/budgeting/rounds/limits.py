"""Upper bounds for numbers staff, residents and imported files give (and the columns hold).

Money columns are BIGINT (euros up to 10**12 fit with room to spare); counts are INTEGER, which
PostgreSQL keeps in 32 bits, so every count stays well below 2**31.
"""

MAX_EUROS = 10**12
MAX_CHOICES = 1_000  # k of a k-approval ballot
MAX_POINTS = 10_000  # N of a cumulative ballot, and points on one proposal
MAX_MIN_VOTES = 10_000_000  # the threshold rule's minimum votes
MAX_SHEET_NUMBER = 1_000_000_000
