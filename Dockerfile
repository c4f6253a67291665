# Mosaic's container image: built by the same `make dist` as a release
# binary (static, CGO_ENABLED=0, -trimpath, version stamped), run from
# distroless/static (CA certificates and tzdata, no shell) as a non-root
# user. deploy/README.md has the build and run commands.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) -t mosaic .

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
# Modules first: a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# There is no .git in the build context (.dockerignore): the version and
# commit come in as build arguments.
ARG VERSION=devel
ARG COMMIT=unknown
RUN make dist VERSION="${VERSION}" COMMIT="${COMMIT}" GOOS=linux GOARCH=amd64 \
	&& mkdir -p /out/data \
	&& cp bin/mosaic-linux-amd64 /out/mosaic

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mosaic /usr/local/bin/mosaic
# The data dir holds the search index and, without MOSAIC_NATS_URL, the
# embedded event log: mount a volume on it.
COPY --from=build --chown=65532:65532 /out/data /data
ENV MOSAIC_ADDR=0.0.0.0:8080 \
	MOSAIC_DATA_DIR=/data \
	MOSAIC_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/data"]
# distroless's "nonroot" user, by number so that Kubernetes' runAsNonRoot
# can verify it.
USER 65532:65532
# No curl in the image: mosaic asks its own /healthz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
	CMD ["/usr/local/bin/mosaic", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/mosaic"]
CMD ["serve"]
