# syntax=docker/dockerfile:1
#
# The IRP emulator as a container image (TEST keys only; never point it at real data):
#
#   docker build -t irp-emulator .          # podman/buildah: add --format docker, or the
#                                            # OCI format drops the HEALTHCHECK
#   docker run --rm -p 8080:8080 -e IRP_EMULATOR_IN_MEMORY=true \
#     -e IRP_EMULATOR_ADMIN_TOKEN=change-me irp-emulator
#
# Every setting is an IRP_EMULATOR_* variable (`docker run --rm irp-emulator --help` lists
# them); behaviour knobs go in a TOML file named by IRP_EMULATOR_CONFIG. Callers of the
# control namespace /__emulator__/ reach a container from outside its loopback, so they are
# refused unless IRP_EMULATOR_ADMIN_TOKEN is set and they send "Authorization: Bearer <it>";
# /__emulator__/health answers everyone.

# Build on the official Rust image of the same Debian release as the runtime stage, so the
# binary links against the glibc it will run with. The cache mounts (BuildKit, podman and
# buildah) keep the registry and target/ between local builds; a build without them starts
# cold and gives the same binary.
ARG RUST_VERSION=1
FROM rust:${RUST_VERSION}-slim-bookworm AS builder
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p irp-emulator \
    && cp target/release/irp-emulator /usr/local/bin/irp-emulator

# Run on Debian 12 slim with nothing added: `ldd irp-emulator` lists only libc, libm,
# libgcc_s and the loader, all in the base image (SQLite is bundled, AWS-LC is compiled in,
# the test keys are embedded, and no call goes out, so no CA bundle). No curl either: the
# health check is the binary's own `wait`.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="irp-emulator" \
      org.opencontainers.image.description="Local emulator of India's GST e-invoice IRP (NIC API v1.03/v1.04); TEST keys only" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
# A fixed, numeric non-root user (10001), so Kubernetes' runAsNonRoot can check it and a
# bind-mounted data directory can be given to it: chown 10001:10001 DIR.
RUN groupadd --gid 10001 irp \
    && useradd --uid 10001 --gid irp --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin irp \
    && mkdir /data && chown irp:irp /data
COPY --from=builder /usr/local/bin/irp-emulator /usr/local/bin/irp-emulator
USER 10001:10001
WORKDIR /data
# Every interface of the container, state in the volume. IRP_EMULATOR_IN_MEMORY=true (CI)
# keeps nothing and wins over the data directory; IRP_EMULATOR_LOG_FORMAT=json gives one
# JSON object a line for a log collector.
ENV IRP_EMULATOR_ADDR=0.0.0.0:8080 \
    IRP_EMULATOR_DATA_DIR=/data \
    IRP_EMULATOR_IN_MEMORY=false \
    IRP_EMULATOR_LOG_FORMAT=text
EXPOSE 8080
VOLUME /data
# Polls the port IRP_EMULATOR_ADDR names (8080 unless overridden) on the container's own
# loopback; plain HTTP, so an image run with IRP_EMULATOR_TLS=true needs its own check.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD irp-emulator wait --url "http://127.0.0.1:${IRP_EMULATOR_ADDR##*:}" --timeout 3
# SIGTERM (docker stop) lets requests in flight finish for up to 10 s
# (shutdown_grace_seconds): give `docker stop -t 15` to keep that whole.
ENTRYPOINT ["irp-emulator"]
