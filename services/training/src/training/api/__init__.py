"""Training's HTTP API: every route is scoped by country office."""

from training.api import allowances, assessments, centres, cohorts, returnees

routers = [centres.router, cohorts.router, assessments.router, allowances.router, returnees.router]
