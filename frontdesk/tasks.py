"""Front-desk Celery tasks: load by id, call a service (each section adds its own)."""
