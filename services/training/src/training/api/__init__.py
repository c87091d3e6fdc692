"""Training's HTTP API: every route under `/offices/{country_office}`."""

from training.api import allowances, assessments, centres, cohorts, returnees

routers = [centres.router, cohorts.router, assessments.router, allowances.router, returnees.router]
