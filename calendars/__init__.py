"""iCalendar feeds and invitations: pure functions from calendar events to bytes (icalendar)."""
