"""Deadline alerts (DESIGN §2): when to warn, which milestones will slip, and telling people.

workdays.py   working days: weekends and public holidays (the `holidays` package)
leads.py      the warning times before one deadline (the policy's lead-time rule)
forecast.py   when each open milestone will really finish, at the freelancer's weekly capacity
workload.py   committed hours per week against capacity
plan.py       the thresholds ahead, per freelancer (AlertPlan rows)
scan.py       thresholds crossed → Alert rows, exactly once
delivery.py   Alert rows → the app and email, claimed by a conditional UPDATE
"""
