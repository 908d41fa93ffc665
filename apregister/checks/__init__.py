"""Checks before a placement starts (DESIGN.md, "Before a placement starts")."""
