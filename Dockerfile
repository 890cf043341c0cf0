# syntax=docker/dockerfile:1
# Build: CGO is needed by github.com/mattn/go-sqlite3.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/dsar ./cmd/dsar

# Run: a small Debian with CA certificates (SMTP over TLS), as a non-root
# user, with its data in a volume.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dsar \
 && useradd --system --uid 10001 --gid dsar --home-dir /var/lib/dsar --shell /usr/sbin/nologin dsar \
 && mkdir -p /var/lib/dsar && chown dsar:dsar /var/lib/dsar && chmod 0700 /var/lib/dsar
COPY --from=build /out/dsar /usr/local/bin/dsar
USER dsar:dsar
WORKDIR /var/lib/dsar
ENV DSAR_ADDR=0.0.0.0:8080 \
    DSAR_DATA_DIR=/var/lib/dsar
VOLUME ["/var/lib/dsar"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/dsar", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/dsar"]
CMD ["serve"]
