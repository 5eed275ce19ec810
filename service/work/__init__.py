"""What waits for the secretariat and the chairs across the groups."""
