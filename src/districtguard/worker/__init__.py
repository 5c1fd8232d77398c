"""The background worker: scheduled and queued jobs run by django-q2.

:mod:`.schedules` is the explicit registry of scheduled jobs; :mod:`.jobs` holds
the job functions. ``districtguard worker`` registers the schedules and runs the
cluster; ``districtguard up`` starts it beside the web server.
"""
