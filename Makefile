# Langelis: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
DATA    ?= data
ADDR    ?= 127.0.0.1:8080
# OFFICE=bg serves the Bulgarian demo (a Sofia hall) instead of the Vilnius
# one, in its own data folder so the two never share a store.
OFFICE  ?=
ifneq ($(OFFICE),)
DATA    := $(DATA)-$(OFFICE)
endif
BIN     := bin

.PHONY: run run-city test test-city bench lint build clean fuzz

## run: serve the demo office on http://$(ADDR) (bbolt file in $(DATA)/);
## make run OFFICE=bg serves the Bulgarian one (in $(DATA)-bg/)
run:
	$(GO) run ./cmd/langelis serve --demo$(if $(OFFICE),=$(OFFICE)) --data $(DATA) --addr $(ADDR)

## run-city: the city's centre (NATS inside it) and three demo halls linked
## to it, with a little traffic; prints the URLs (docs/city.md)
run-city:
	$(GO) run ./cmd/langelis city-demo --data $(DATA)-city

## test: every test, with the race detector (fuzz seed corpora included)
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 40m ./...

## test-city: the city link's long tests against real NATS and hall processes
## (cut links, SIGKILL mid-publish, the measured catch-up); CI runs them
test-city:
	LANGELIS_LONG_TESTS=1 $(GO) test -race -count=1 -timeout 20m -run 'City' -v ./internal/citytest/

## bench: the in-process benchmarks, then `langelis loadtest` against a fresh
## server (temp data folder, free port), and issue 13's table from both
BENCHTIME ?= 2s
LOADTEST  ?= --static 5s --issue 3000 --keep 500 --screens 1000,10000 --phones 500 --calls 60 --call-gap 5s --trickle 0.5
bench: build
	@d=$$(mktemp -d); trap 'kill $$(cat '"$$d"'/pid) 2>/dev/null; rm -rf '"$$d"'' EXIT; \
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./... | tee $$d/inproc.txt || exit 1; \
	$(BIN)/langelis serve --demo --clock 10:00 --issue-rate 0 --data $$d --addr 127.0.0.1:0 >$$d/accounts.txt 2>$$d/serve.log & echo $$! >$$d/pid; \
	$(BIN)/langelis loadtest --data $$d --accounts $$d/accounts.txt $(LOADTEST) --table --inproc $$d/inproc.txt

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
