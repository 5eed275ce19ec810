"""Pages and API for the fate of the members' questions."""
