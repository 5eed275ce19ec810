"""The web edge of answers to invitations: expected attendance and messages left for a person."""
