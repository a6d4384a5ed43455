# Arrimage — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: run test bench reliability deps build-release build-asan format clean

deps:
	scripts/install-deps

build-release: deps
	cmake --preset release >/dev/null
	cmake --build build/release -j $(JOBS)

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build build/asan -j $(JOBS)

# Builds, migrates, loads the demo data on first run and serves http://127.0.0.1:8080
run: build-release
	mkdir -p var
	./build/release/src/app/arrimage serve --migrate --demo-data-if-empty --dev \
	  --database-url sqlite:var/arrimage.db --listen 127.0.0.1 --port 8080

# Builds with ASan+UBSan and runs every test label (unit, db, pg, http, e2e, fuzz) against
# SQLite and a throwaway PostgreSQL server.
test: build-asan
	scripts/with-postgres ctest --test-dir build/asan --output-on-failure --no-tests=error -j 2

bench: build-release
	scripts/bench

# The reliability scorecard (docs/RELIABILITY.md): kill -9 of the server under a mixed write load
# (SQLite and PostgreSQL), faults injected at every statement of every write path, each fuzz target
# for a million inputs; the table goes to stdout and var/reliability/<date>.txt.
reliability: build-release build-asan
	scripts/reliability

format:
	git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' | xargs clang-format -i

clean:
	rm -rf build
