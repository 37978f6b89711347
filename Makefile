# webstore: the newcomer's commands. Needs a JDK 17+ and Node 20+; the Maven wrapper (./mvnw) fetches its Maven.
MVN ?= ./mvnw
MVN_FLAGS ?= -B
NPM_STAMP := dev/node_modules/.package-lock.json
AUTH ?= local

BENCH_RELAY_ITEMS ?= 2000

.PHONY: help run test build package image image-push bench bench-generator bench-relay bench-sdk bench-fraud bench-report load load-auth startup-metrics clean reset-data engines-deps lint-deploy feed feed-sample bench-ingest cds-classlist

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(NPM_STAMP): dev/package.json dev/package-lock.json
	@echo "==> installing dynalite (local DynamoDB) and cognito-local (local Cognito) with npm ci"
	cd dev && npm ci --no-audit --no-fund --loglevel=error

engines-deps: $(NPM_STAMP) ## install the dev engines' npm packages (dynalite, cognito-local)

run: $(NPM_STAMP) ## build and start the store with local engines and demo data on http://localhost:8080 (AUTH=cognito: on cognito-local)
	@echo "==> building (first run downloads dependencies; later runs take seconds)"
	$(MVN) $(MVN_FLAGS) -q test-compile
	@echo "==> starting local engines and the store (Ctrl-C stops everything)"
	$(MVN) $(MVN_FLAGS) -q exec:java -Dwebstore.auth=$(AUTH)

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

bench-relay: $(NPM_STAMP) ## outbox relay throughput (events/s) to the order queue and Kafka on the dev engines: make bench-relay [BENCH_RELAY_ITEMS=2000]
	$(MVN) $(MVN_FLAGS) -q test-compile
	$(MVN) $(MVN_FLAGS) -q exec:java -Ddev.main.class=io.webstore.events.RelayBenchMain -Dbench.items=$(BENCH_RELAY_ITEMS)

bench-sdk: $(NPM_STAMP) ## the AWS SDK's HTTP transports (Netty NIO, AWS CRT, Vert.x) side by side on the dev DynamoDB engine
	$(MVN) $(MVN_FLAGS) -q test-compile
	$(MVN) $(MVN_FLAGS) -q exec:java -Ddev.main.class=io.webstore.bench.SdkTransportBench

TOPIC ?=
FILE ?=
BOOTSTRAP ?=
KAFKA_PROPERTIES ?=
N ?=
SKUS ?=
OUT ?= target/feed-sample.jsonl

feed: ## produce a JSONL file to make run's Kafka: make feed TOPIC=pim.products|supply.inventory|supply.order-status FILE=<file.jsonl> [BOOTSTRAP=host:port] [KAFKA_PROPERTIES=<file>]
	@test -n "$(TOPIC)" -a -n "$(FILE)" || { echo "usage: make feed TOPIC=<pim.products|supply.inventory|supply.order-status> FILE=<file.jsonl> [BOOTSTRAP=host:port]"; echo "  samples: conf/samples/*.jsonl"; exit 2; }
	@$(MVN) $(MVN_FLAGS) -q test-compile
	@$(MVN) $(MVN_FLAGS) -q exec:java -Ddev.main.class=io.webstore.feeds.FeedCommand \
	  -Dfeed.topic="$(TOPIC)" -Dfeed.file="$(FILE)" -Dfeed.bootstrap="$(BOOTSTRAP)" \
	  -Dfeed.clientProperties="$(KAFKA_PROPERTIES)"

feed-sample: ## write a large feed file for load: make feed-sample TOPIC=supply.inventory N=1000000 [SKUS=demo|<n>] [OUT=target/feed-sample.jsonl]
	@test -n "$(TOPIC)" -a -n "$(N)" || { echo "usage: make feed-sample TOPIC=<pim.products|supply.inventory|supply.order-status> N=<records> [SKUS=demo|<n>] [OUT=target/feed-sample.jsonl]"; exit 2; }
	@$(MVN) $(MVN_FLAGS) -q test-compile
	@$(MVN) $(MVN_FLAGS) -q exec:java -Ddev.main.class=io.webstore.feeds.FeedSample \
	  -Dfeed.topic="$(TOPIC)" -Dfeed.records="$(N)" -Dfeed.skus="$(SKUS)" -Dfeed.out="$(OUT)"

BENCH_INGEST_RECORDS ?= 1000000

bench-ingest: $(NPM_STAMP) ## the supply.inventory feed through Kafka into the dev store: records/s beside the raw consume ceiling and a naive write loop, shoppers' p99 with and without it [BENCH_INGEST_RECORDS=1000000]
	$(MVN) $(MVN_FLAGS) -q test-compile
	$(MVN) $(MVN_FLAGS) -q exec:java -Ddev.main.class=io.webstore.bench.IngestBench -Dbench.ingest.records=$(BENCH_INGEST_RECORDS)

startup-metrics: $(NPM_STAMP) ## engines' start-up, then the store's JVM-start-to-ready time (median of RUNS=3 starts from the jar; CDS=on|off|both) and its RSS
	scripts/measure-startup.sh

package: ## the runnable jar and its class-data-sharing archive: java -XX:SharedArchiveFile=target/webstore.jsa -jar target/webstore.jar
	$(MVN) $(MVN_FLAGS) -q -Dmaven.test.skip=true package
	scripts/cds-archive.sh
	@echo "==> target/webstore.jar, libraries in target/lib (run it from this directory: it reads conf/):"
	@echo "    java -XX:SharedArchiveFile=target/webstore.jsa -Xmx384m -jar target/webstore.jar"

cds-classlist: $(NPM_STAMP) ## regenerate src/main/cds/webstore.classlist (the classes a start loads) from a start on the dev engines
	$(MAKE) package
	MVN="$(MVN)" scripts/cds-classlist.sh

IMAGE_TAR := target/webstore-image.tar
IMAGE_BASE := target/image-base.tar
REGISTRY ?=
JIB_FROM ?=
JIB_FROM_FLAG := $(if $(JIB_FROM),-Djib.from.image=$(JIB_FROM),)
IMAGE_BASE_DEP := $(if $(JIB_FROM),,$(IMAGE_BASE))
IMAGE_TAG ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo latest)

$(IMAGE_BASE): scripts/image-base.sh scripts/image-base.debs
	scripts/image-base.sh $(IMAGE_BASE)

image: $(IMAGE_BASE_DEP) ## the OCI image as target/webstore-image.tar (Jib, no Docker; JIB_FROM=<image>@sha256:<digest> for a registry base), then its checks
	$(MVN) $(MVN_FLAGS) -q -Dmaven.test.skip=true package jib:buildTar $(JIB_FROM_FLAG)
	$(MVN) $(MVN_FLAGS) -q test-compile surefire:test -DexcludedGroups= -Dgroups=image -Dtest='Image*Test' \
		-Dsurefire.failIfNoSpecifiedTests=false
	@echo "==> $(IMAGE_TAR): $$(du -m $(IMAGE_TAR) | cut -f1) MB (the image's gzipped layers, what a registry stores and a node pulls)"

image-push: $(IMAGE_BASE_DEP) ## push the image with Jib: make image-push REGISTRY=<registry>/<repository> [IMAGE_TAG=]
	@test -n "$(REGISTRY)" || { echo "make image-push REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com/webstore"; exit 2; }
	$(MVN) $(MVN_FLAGS) -q -Dmaven.test.skip=true package jib:build $(JIB_FROM_FLAG) -Dimage.name=$(REGISTRY):$(IMAGE_TAG)

BENCH_WARMUP ?= 5
BENCH_PROBE ?= 5
BENCH_SECONDS ?= 10
BENCH_RUNS ?= 3
BENCH_CONNECTIONS ?= 64
BENCH_LANES ?= 2
BENCH_HEAP ?= 384m
BENCH_STORE_OPTS ?=
BENCH_GENERATOR_OPTS ?=
BENCH_GENERATOR_CPUS ?=
BENCH_SERVER_CPUS ?=
BENCH_CDS ?= on
BENCH_ONLY ?=
BENCH_OPEN_RATE ?= 5000
bench: $(NPM_STAMP) ## one bounded run: store (from the jar) vs bare Vert.x ceiling and raw DynamoDB writes; RESULT lines + target/bench/*.json
	BENCH_WARMUP=$(BENCH_WARMUP) BENCH_PROBE=$(BENCH_PROBE) BENCH_SECONDS=$(BENCH_SECONDS) BENCH_RUNS=$(BENCH_RUNS) \
	  BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) BENCH_LANES=$(BENCH_LANES) BENCH_HEAP=$(BENCH_HEAP) \
	  BENCH_STORE_OPTS="$(BENCH_STORE_OPTS)" BENCH_GENERATOR_OPTS="$(BENCH_GENERATOR_OPTS)" \
	  BENCH_GENERATOR_CPUS="$(BENCH_GENERATOR_CPUS)" BENCH_SERVER_CPUS="$(BENCH_SERVER_CPUS)" BENCH_CDS=$(BENCH_CDS) \
	  BENCH_ONLY="$(BENCH_ONLY)" MVN="$(MVN)" \
	  scripts/bench.sh

bench-generator: $(NPM_STAMP) ## the load generator's own CPU per 1,000 answers (closed loop, open at BENCH_OPEN_RATE/s) against a bare server that logs each request
	@# a JVM of its own on the test classpath, as scripts/bench.sh runs the bench: it starts its server from that classpath
	$(MVN) $(MVN_FLAGS) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
	  -Dmdep.includeScope=test >/dev/null
	java -Xmx1g -cp "target/test-classes:target/classes:$$(cat target/test-classpath.txt)" -Dbench.seconds=$(BENCH_SECONDS) \
	  -Dbench.connections=$(BENCH_CONNECTIONS) -Dbench.lanes=$(BENCH_LANES) -Dbench.openRate=$(BENCH_OPEN_RATE) \
	  io.webstore.bench.GeneratorCost

bench-report: ## render target/bench/report.html (throughput and p99 per scenario) from target/bench/latest.json
	MVN="$(MVN)" scripts/bench-report.sh

CFN_LINT ?= cfn-lint
lint-deploy: ## cfn-lint the CloudFormation templates in deploy/ (needs cfn-lint 1.x; not part of make test)
	@if command -v $(CFN_LINT) >/dev/null 2>&1; then \
	  echo "==> $$($(CFN_LINT) --version) on deploy/*.yaml"; \
	  $(CFN_LINT) --include-checks I -- deploy/*.yaml && echo "==> no findings"; \
	else \
	  echo "cfn-lint is not installed; it comes from PyPI: pipx install cfn-lint==1.51.0 (or pip install --user cfn-lint==1.51.0)"; \
	  echo "then run make lint-deploy again (or CFN_LINT=/path/to/cfn-lint make lint-deploy)"; \
	  exit 2; \
	fi

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
