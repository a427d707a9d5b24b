# The Pathways web app (and the `toc` command), for the team deployment with Neo4j:
# see docker-compose.yml and the README's "Team deployment (Neo4j)".
FROM python:3.11-slim

# Graphviz (`dot`) draws the pathway diagrams; Pango and a font let WeasyPrint make the PDF
# report.
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
    && useradd --system --create-home --home-dir /var/lib/pathways pathways \
    && install -d -o pathways /var/lib/pathways/instance \
    && install -d -o pathways -m 700 /var/lib/pathways/credentials

# The app's instance folder (its secret key when SECRET_KEY is not set) and its credential
# file (accounts and sessions) live in volumes.
ENV TOC_INSTANCE=/var/lib/pathways/instance \
    TOC_CREDENTIALS=/var/lib/pathways/credentials/credentials.sqlite \
    PYTHONUNBUFFERED=1
USER pathways
EXPOSE 5000
CMD ["waitress-serve", "--host=0.0.0.0", "--port=5000", "--threads=16", "--call", "web:create_app"]
