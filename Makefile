# The two commands a user needs: `make run` and `make test`. Everything else is for developers.
SWIFT ?= swift
PROTOC ?= protoc
PROTO_SCRATCH ?= .build-proto
PROTO_FILES := $(shell find proto -name '*.proto' | sort)
GEN_DIR := Sources/MLOpsProto/Generated
RPC_METHODS := Sources/MLOpsCore/RPC/RPCMethod+Generated.swift
ONNX_GEN_DIR := Sources/MLOpsRuntime/Generated
DATA_DIR ?= ./data
# Hand-written Swift: generated code stays exactly as its generators write it (proto-check).
SWIFT_SOURCES = $(shell find Sources services Tests fuzz Benchmarks -name '*.swift' -not -path '$(GEN_DIR)/*' \
  -not -path '$(ONNX_GEN_DIR)/*' -not -path '$(RPC_METHODS)' | sort) Package.swift

.PHONY: deps run build build-tests release test test-swift test-python proto proto-check proto-plugins bench fuzz format lint clean

## Build release binaries, then start all six processes with embedded storage.
run: release
	.build/release/mlops up --data-dir $(DATA_DIR) --bin-dir .build/release $(if $(BASE_PORT),--base-port $(BASE_PORT))

## The system libraries the package links: libnghttp2's headers (Debian's libnghttp2-dev).
deps:
	@scripts/ensure-package.sh /usr/include/nghttp2/nghttp2.h libnghttp2-dev

release: deps
	$(SWIFT) build -c release

build: deps
	$(SWIFT) build

## Unit and in-process gRPC tests, then the polyglot (Python grpcio) end-to-end check.
test: test-swift test-python

# One build (with tests) serves both steps: alternating `swift build` and
# `swift build --build-tests` makes SwiftPM rebuild part of the graph each time.
build-tests: deps
	$(SWIFT) build --build-tests

# Said before and after the run, so neither a scroll-back nor a green summary hides it.
POSTGRES_SKIPPED = echo "note: the storage suites ran on SQLite only: MLOPS_TEST_POSTGRES_URL is not set" \
  "(export MLOPS_TEST_POSTGRES_URL=\$$(scripts/start-postgres.sh) runs their PostgreSQL cases too; .ci/run does)"

# Both gRPC transports (issue #27): every suite runs on nghttp2 and on grpc-swift-2's NIO.
test-swift: build-tests
	@[ -n "$$MLOPS_TEST_POSTGRES_URL" ] || $(POSTGRES_SKIPPED)
	MLOPS_TRANSPORT=nghttp2 $(SWIFT) test --skip-build
	MLOPS_TRANSPORT=nio $(SWIFT) test --skip-build
	.build/debug/mlops-fuzz fuzz/corpus
	@[ -n "$$MLOPS_TEST_POSTGRES_URL" ] || $(POSTGRES_SKIPPED)

test-python: build-tests
	MLOPS_TRANSPORT=nghttp2 scripts/python-e2e.sh .build/debug
	MLOPS_TRANSPORT=nio scripts/python-e2e.sh .build/debug -k "not test_wire"

## Regenerate Sources/MLOpsProto from proto/ (and the runtime's ONNX reader from proto-onnx/) with Debian's protoc and plugins built from
## the pinned swift-protobuf and grpc-swift-protobuf.
proto-plugins:
	$(SWIFT) build -c release --scratch-path $(PROTO_SCRATCH) --product protoc-gen-swift
	$(SWIFT) build -c release --scratch-path $(PROTO_SCRATCH) --product protoc-gen-grpc-swift-2

proto: proto-plugins
	rm -rf $(GEN_DIR) && mkdir -p $(GEN_DIR)
	$(PROTOC) -I proto -I /usr/include \
	  --plugin=protoc-gen-swift=$(PROTO_SCRATCH)/release/protoc-gen-swift \
	  --plugin=protoc-gen-grpc-swift-2=$(PROTO_SCRATCH)/release/protoc-gen-grpc-swift-2 \
	  --swift_out=$(GEN_DIR) --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
	  --grpc-swift-2_out=$(GEN_DIR) \
	  --grpc-swift-2_opt=Visibility=Public,FileNaming=PathToUnderscores,Server=true,Client=true \
	  $(PROTO_FILES)
	rm -rf $(ONNX_GEN_DIR) && mkdir -p $(ONNX_GEN_DIR)
	$(PROTOC) -I proto-onnx --plugin=protoc-gen-swift=$(PROTO_SCRATCH)/release/protoc-gen-swift \
	  --swift_out=$(ONNX_GEN_DIR) --swift_opt=Visibility=Internal,FileNaming=PathToUnderscores \
	  proto-onnx/onnx/onnx.proto
	python3 scripts/proto/gen-rpc-methods.py proto $(RPC_METHODS)

## Fails when the committed generated code differs from what proto/ generates.
proto-check: proto
	git diff --exit-code --stat -- $(GEN_DIR) $(ONNX_GEN_DIR) $(RPC_METHODS)
	@test -z "$$(git status --porcelain -- $(GEN_DIR) $(ONNX_GEN_DIR) $(RPC_METHODS))" || (echo "untracked generated files"; git status --porcelain -- $(GEN_DIR) $(ONNX_GEN_DIR) $(RPC_METHODS); exit 1)

## Benchmarks: see BENCHMARKS.md.
bench: release
	scripts/bench-health.sh .build/release
	scripts/bench-runtime.sh .build/release
	scripts/bench-tracker.sh .build/release
	scripts/bench-registry.sh .build/release
	scripts/bench-monitor.sh .build/release
	scripts/bench-features.sh .build/release
	scripts/bench-router.sh .build/release

## libFuzzer on the parsers clients reach (search filter, cron, ONNX loader, CSV, page token),
## FUZZ_RUNS inputs each, starting from the committed corpus in fuzz/corpus; inputs that reach
## new code are merged into it (commit them), crashes land in $(FUZZ_SCRATCH)/crash-*. An
## instrumented release build of its own (about 15 minutes from clean).
FUZZ_SCRATCH ?= .build-fuzz
FUZZ_RUNS ?= 2000000
FUZZ_TARGETS := filter cron onnx csv page-token
fuzz:
	$(SWIFT) build -c release --scratch-path $(FUZZ_SCRATCH) --product mlops-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
	for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_SCRATCH)/corpus/$$target && \
	  MLOPS_FUZZ_TARGET=$$target $(FUZZ_SCRATCH)/release/mlops-fuzz -runs=$(FUZZ_RUNS) -max_len=8192 -timeout=10 \
	    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=$(FUZZ_SCRATCH)/ \
	    $(FUZZ_SCRATCH)/corpus/$$target fuzz/corpus/$$target && \
	  MLOPS_FUZZ_TARGET=$$target $(FUZZ_SCRATCH)/release/mlops-fuzz -merge=1 -max_len=8192 \
	    fuzz/corpus/$$target $(FUZZ_SCRATCH)/corpus/$$target || exit 1; \
	done

clean:
	rm -rf .build $(PROTO_SCRATCH) $(FUZZ_SCRATCH) $(DATA_DIR)

## Formats the hand-written Swift with the toolchain's swift-format and .swift-format (140
## columns: the code base's own width; four rules that fight Codable's snake_case JSON keys,
## payload enums on one line and `forEach` chains are off).
format:
	@echo "swift format format: $(words $(SWIFT_SOURCES)) files"
	@$(SWIFT) format format --in-place --parallel $(SWIFT_SOURCES)

## Fails when any hand-written Swift file is not as `make format` leaves it (CI runs it).
lint:
	@echo "swift format lint: $(words $(SWIFT_SOURCES)) files"
	@$(SWIFT) format lint --strict --parallel $(SWIFT_SOURCES)

