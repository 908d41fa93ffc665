"""Importing the LA's spreadsheets (CSV or XLSX): providers, schools, pupils and placements.

A file is read (files.py), its columns matched by name (columns.py), every row checked by its
kind (kinds/), and, once the lead confirms, the valid rows written in batches by the worker
(jobs.py), each change audited as imported with the file's name and checksum.
"""
