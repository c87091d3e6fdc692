"""Training's rules of the field: pure decide/evolve per stream, no I/O.

Each module holds one stream's state, commands and rules: centres, cohorts, skills
assessments and the office's daily allowance.
"""
