"""The budgeting web pages: the blueprint and its helpers (blueprint), forms, and the views
split by audience. Views call services of rounds/, voting/ and results/, never each other;
importing web.routes registers every route."""
