"""Answers to invitations: read from the organizer's mailbox, recorded, and counted."""
