"""The fate of the members' questions: their path through a meeting, outcomes and follow-up."""
