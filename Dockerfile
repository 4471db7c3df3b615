# A small image of the static server: the program and nothing else (no
# shell, no package manager), running as an unprivileged user. The store
# lives on the volume /var/lib/langelis; the office file is mounted at
# /etc/langelis/office.yaml.
#
#   docker build -t langelis .
#   docker run -d -p 8080:8080 -v langelis-data:/var/lib/langelis \
#     -v $PWD/office.yaml:/etc/langelis/office.yaml:ro langelis
#
# The image has no espeak-ng: the display speaks with the browser's voice.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/langelis ./cmd/langelis \
 && mkdir -p /out/data && cp office/example.yaml /out/office.yaml

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/langelis /usr/local/bin/langelis
COPY --from=build /out/office.yaml /etc/langelis/office.yaml
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/langelis
VOLUME /var/lib/langelis
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/usr/local/bin/langelis", "serve", "--data", "/var/lib/langelis", "--addr", ":8080"]
CMD ["--config", "/etc/langelis/office.yaml"]
