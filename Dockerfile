# Production image: gunicorn web, celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=jinyuan.settings_production

# WeasyPrint needs pango and harfbuzz-subset; Chinese needs a CJK font; msgfmt builds translations.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei fonts-noto-cjk fontconfig gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py compilemessages -v0 --ignore=.venv \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input -v0

RUN useradd --system --home /app jinyuan && mkdir -p /app/var/media && chown -R jinyuan /app/var
USER jinyuan
EXPOSE 8000
CMD ["gunicorn", "jinyuan.wsgi", "-c", "jinyuan/gunicorn_conf.py", "--bind", "0.0.0.0:8000"]
