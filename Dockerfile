# syntax=docker/dockerfile:1
# The runtime images of function-rowplane and provider-rowplane:
#   docker build --target function --build-arg VERSION=$(git describe --tags) -t function-rowplane .
#   docker build --target provider --build-arg VERSION=... -t provider-rowplane .
# `make images` builds the same images without Docker (package/cmd/image); package_test.go
# checks that this file and package/runtimeimage agree on user, entrypoint, ports and labels,
# and that the go build line matches the Makefile's.

ARG GO_VERSION=1.25
ARG DISTROLESS=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=v0.0.0-dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/function-rowplane ./fn && \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/provider-rowplane ./provider

FROM ${DISTROLESS} AS function
ARG VERSION=v0.0.0-dev
ARG REVISION=unknown
COPY --from=build /out/function-rowplane /usr/local/bin/function-rowplane
USER 65532:65532
# 9443 gRPC (Crossplane dials it), 8080 metrics.
EXPOSE 8080/tcp 9443/tcp
LABEL org.opencontainers.image.title="function-rowplane" \
      org.opencontainers.image.description="Crossplane composition function that renders rowplane Forms into composed resources." \
      org.opencontainers.image.source="https://github.com/rowplane/rowplane" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="rowplane" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENTRYPOINT ["/usr/local/bin/function-rowplane"]

FROM ${DISTROLESS} AS provider
ARG VERSION=v0.0.0-dev
ARG REVISION=unknown
COPY --from=build /out/provider-rowplane /usr/local/bin/provider-rowplane
USER 65532:65532
# 8081 metrics, 8082 health probes (the binary's defaults).
EXPOSE 8081/tcp 8082/tcp
LABEL org.opencontainers.image.title="provider-rowplane" \
      org.opencontainers.image.description="Crossplane provider that turns the rows of a database table into claims or composite resources." \
      org.opencontainers.image.source="https://github.com/rowplane/rowplane" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="rowplane" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENTRYPOINT ["/usr/local/bin/provider-rowplane"]
