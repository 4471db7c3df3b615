# Langelis: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
DATA    ?= data
ADDR    ?= 127.0.0.1:8080
BIN     := bin

.PHONY: run test bench lint build clean fuzz

## run: serve the demo office on http://$(ADDR) (bbolt file in $(DATA)/)
run:
	$(GO) run ./cmd/langelis serve --demo --data $(DATA) --addr $(ADDR)

## test: every test, with the race detector (fuzz seed corpora included)
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...

## bench: the benchmarks and the load generator
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s $$($(GO) list ./... | grep -v /server$$)
	$(GO) test -run '^$$' -bench Load -benchtime 1000x ./server

## lint: formatting and vet
lint:
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || (echo "gofmt: the files above need formatting"; exit 1)
	$(GO) vet ./...

## build: the server and the three station programs into bin/
build:
	mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./cmd/...

## fuzz: run each fuzz target for a while (FUZZTIME=30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzDecodeJSON -fuzztime $(FUZZTIME) ./server
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./office

clean:
	rm -rf $(BIN)
