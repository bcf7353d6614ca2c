"""Youth hearings: consultations run by youth councils and youth workers."""
