# The mediaharness binary in a small image with a shell, as the Kubernetes
# example in deploy/k8s runs it:
#   docker build -t REGISTRY/mediaharness:TAG . && docker push REGISTRY/mediaharness:TAG
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/mediaharness ./cmd/mediaharness

FROM alpine:3.20
RUN apk add --no-cache ca-certificates
COPY --from=build /out/mediaharness /usr/local/bin/mediaharness
ENTRYPOINT ["mediaharness"]
