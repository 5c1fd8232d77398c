"""The Django project: settings from the environment, URLs, WSGI."""
