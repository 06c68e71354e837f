# vendorsim's mocks as a container: `vendorsim serve` on 0.0.0.0:8080 (host-routed) and
# 8081-8084 (marketo, sfmc, bombora, demandbase), as a non-root user, with a health check on
# the admin API. The wheels are built on the host and copied in (`vendorsim docker up --build`
# does both), so the build needs no network; BASE_IMAGE may be any image with python3 and
# python3-venv (on machines without a registry: `vendorsim docker base` debootstraps one,
# vendorsim-base:bookworm). The wheel installs one package, `vendorsim`.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VENDORSIM_HOST=0.0.0.0 VENDORSIM_PORT=8080

COPY wheels/ /tmp/wheels/
RUN python3 -m venv /opt/vendorsim \
 && /opt/vendorsim/bin/pip install --no-index --find-links /tmp/wheels --no-cache-dir 'vendorsim[otel]' \
 && rm -rf /tmp/wheels \
 && useradd --system --uid 10001 --no-create-home vendorsim \
 && mkdir /data && chown vendorsim /data

# persistent mode writes here when VENDORSIM_STATE names a file in it (docker-compose.yml)
VOLUME /data
USER vendorsim
EXPOSE 8080 8081 8082 8083 8084
HEALTHCHECK --interval=2s --timeout=2s --start-period=2s --retries=15 \
  CMD ["/opt/vendorsim/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/__admin/health', timeout=2)"]
ENTRYPOINT ["/opt/vendorsim/bin/vendorsim", "serve"]
