"""What monitoring folds from events arriving on Kafka, through the inbox: every event it
reads (its own too) into its read models, rebuilt from Kafka. Scheduling follow-ups on a
delivered kit is a command: policies.py.
"""

from monitoring.projections import read_models

reactions = read_models("monitoring")
