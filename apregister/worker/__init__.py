"""`flask worker`: sends the outbox and runs scheduled jobs.

Each loop runs the scheduled jobs that are due (jobs.py), then sends the messages that are due
(delivery.py). Work is claimed with SELECT ... FOR UPDATE SKIP LOCKED, so several workers can
share one PostgreSQL database without doing anything twice; SQLite runs one worker.
"""
