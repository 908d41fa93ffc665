"""What each event tells whom (DESIGN.md, "Messages"): one small function per kind, each
writing to the outbox in the caller's transaction, never sending. No pupil's name, UPN or date
of birth in a message: placements are named by number, and the link leads to the service, where
access control decides what the reader sees."""
