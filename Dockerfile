# The portal's production image: used by the web, worker and beat services.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango; DejaVu renders Greek and Cyrillic in the PDFs. The compiled
# translations are committed; gettext lets `manage.py catalogues` rebuild them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app
RUN pip install . \
 && useradd --create-home --uid 1000 forum \
 && mkdir -p /app/staticfiles /app/media \
 && chown -R forum:forum /app/staticfiles /app/media
USER forum

EXPOSE 8000
CMD ["gunicorn", "forum.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
