"""Markers for arguments whose absence means something other than None."""

# A value the caller has not read from the database (None would be an answer: "no row").
# A service taking `x=NOT_READ` reads x itself; a caller that has read it already passes it,
# so a hot path reads each row once: the roll entry in a cast, the ban beside the account.
NOT_READ = object()
