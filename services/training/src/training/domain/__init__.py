"""Training's rules of the field: pure, no I/O.

Each module holds one kind of stream: its id, state, commands, rules and its `decider`
(centres, cohorts, skills assessments, the office's daily allowance). Handlers run commands
through `UnitOfWork.execute(<module>.decider, <stream>, command)`.
"""
