# webstore: the newcomer's commands. Needs a JDK 17+ and Node 20+; the Maven wrapper (./mvnw) fetches its Maven.
MVN ?= ./mvnw
MVN_FLAGS ?= -B
NPM_STAMP := dev/node_modules/.package-lock.json

.PHONY: help run test build package bench bench-fraud bench-report load load-auth startup-metrics clean reset-data engines-deps

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(NPM_STAMP): dev/package.json dev/package-lock.json
	@echo "==> installing dynalite (local DynamoDB) with npm ci"
	cd dev && npm ci --no-audit --no-fund --loglevel=error

engines-deps: $(NPM_STAMP) ## install the dev engines' npm package (dynalite)

run: $(NPM_STAMP) ## build and start the store with local engines and demo data on http://localhost:8080
	@echo "==> building (first run downloads dependencies; later runs take seconds)"
	$(MVN) $(MVN_FLAGS) -q test-compile
	@echo "==> starting local engines and the store (Ctrl-C stops everything)"
	$(MVN) $(MVN_FLAGS) -q exec:java

test: $(NPM_STAMP) ## run the whole test suite against real local engines
	$(MVN) $(MVN_FLAGS) verify

SIMULATION ?= Browse
BASE_URL ?= http://localhost:8080
USERS ?=
DURATION ?=

load: ## Gatling against a running store: make load SIMULATION=Browse|Checkout|FlashSale [BASE_URL=] [USERS=] [DURATION=]
	$(MVN) $(MVN_FLAGS) -f load/pom.xml gatling:test -Dsimulation=$(SIMULATION) -DbaseUrl=$(BASE_URL) \
		-Dusers=$(USERS) -Dduration=$(DURATION) $(GATLING_OPTS)

load-auth: $(NPM_STAMP) ## flood sign-ups, then logins (32 connections, production hashing cost): served, shed (503) and limited (429)
	$(MVN) $(MVN_FLAGS) -q test-compile
	$(MVN) $(MVN_FLAGS) -q exec:java -Ddev.main.class=io.webstore.bench.AuthLoadMain

startup-metrics: $(NPM_STAMP) ## measure engines' start-up, the store's JVM-start-to-ready time and its RSS
	scripts/measure-startup.sh

package: ## the runnable jar: java -jar target/webstore.jar (production main and classes; its libraries in target/lib)
	$(MVN) $(MVN_FLAGS) -q -Dmaven.test.skip=true package
	@echo "==> target/webstore.jar (run it from this directory: it reads conf/)"

BENCH_WARMUP ?= 5
BENCH_PROBE ?= 5
BENCH_SECONDS ?= 10
BENCH_RUNS ?= 3
BENCH_CONNECTIONS ?= 64
BENCH_LANES ?= 2
BENCH_HEAP ?= 384m
BENCH_STORE_OPTS ?=
bench: $(NPM_STAMP) ## one bounded run: store (from the jar) vs bare Vert.x ceiling and raw DynamoDB writes; RESULT lines + target/bench/*.json
	BENCH_WARMUP=$(BENCH_WARMUP) BENCH_PROBE=$(BENCH_PROBE) BENCH_SECONDS=$(BENCH_SECONDS) BENCH_RUNS=$(BENCH_RUNS) \
	  BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) BENCH_LANES=$(BENCH_LANES) BENCH_HEAP=$(BENCH_HEAP) \
	  BENCH_STORE_OPTS="$(BENCH_STORE_OPTS)" MVN="$(MVN)" scripts/bench.sh

bench-report: ## render target/bench/report.html (throughput and p99 per scenario) from target/bench/latest.json
	MVN="$(MVN)" scripts/bench-report.sh

build: ## build the service jar without running tests
	$(MVN) $(MVN_FLAGS) -DskipTests package

clean: ## remove build output
	$(MVN) $(MVN_FLAGS) -q clean

reset-data: ## forget the local DynamoDB data kept by make run (data/)
	rm -rf data

JMH_ARGS ?=
bench-fraud: ## JMH: latency per score of the local fraud scorer (embedded redis-server) and of its model alone; p50/p99/p99.9
	$(MVN) $(MVN_FLAGS) -q test-compile
	$(MVN) $(MVN_FLAGS) -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
	  -Dexec.args="-cp %classpath org.openjdk.jmh.Main io.webstore.fraud.LocalScorerBenchmark $(JMH_ARGS)"
