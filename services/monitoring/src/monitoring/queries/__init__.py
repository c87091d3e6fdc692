"""Monitoring's queries: the office and HQ reports, lists and the case timeline, read from the
read models (`case_files`, `plan_files`, `timeline_entries`). No rule of the field here."""
