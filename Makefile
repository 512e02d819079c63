# channel-sync: the verbs a newcomer needs. `make help` lists them.
MVN       ?= mvn -B -ntp
JAR       := target/channel-sync.jar
SERVER_PORT ?= 8080
JMX_PORT  ?= 9010
# JConsole / VisualVM: connect to localhost:$(JMX_PORT) (local only, no auth: a developer setting)
JMX_OPTS  := -Dcom.sun.management.jmxremote.port=$(JMX_PORT) -Dcom.sun.management.jmxremote.rmi.port=$(JMX_PORT) \
             -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false \
             -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1
SOURCES   := pom.xml $(shell find src/main -type f 2>/dev/null)

# With no real channel configured, `make run` serves the local channel sandbox (profile "sandbox")
# and points both channels at it, with development-only webhook secrets and operator key that
# `make demo` uses too. Set CHANNEL_SYNC_CHANNELS_*_BASE_URL to talk to real channels instead.
DEMO_OPERATOR_KEY  ?= sandbox-operator-key
DEMO_AIRBNB_SECRET ?= sandbox-airbnb-secret
DEMO_BOOKING_SECRET ?= whsec_c2FuZGJveC1ib29raW5nLWNvbS1zZWNyZXQ=
# Booking.com CNS (development only): the client credentials the sandbox's CNS fetches its JWT with,
# and the HS256 key of our tokens (base64 of "sandbox-cns-jwt-key-32-bytes-long")
DEMO_CNS_CLIENT_ID ?= sandbox-cns-client
DEMO_CNS_CLIENT_SECRET ?= sandbox-cns-secret
DEMO_CNS_JWT_KEY ?= c2FuZGJveC1jbnMtand0LWtleS0zMi1ieXRlcy1sb25n
# development-only AES key of stored channel credentials (base64 of 32 bytes); never use it elsewhere
DEMO_ENCRYPTION_KEY ?= c2FuZGJveC1kZXYtb25seS1lbmNyeXB0aW9uLWtleSE=
ifeq ($(CHANNEL_SYNC_CHANNELS_AIRBNB_BASE_URL)$(CHANNEL_SYNC_CHANNELS_BOOKING_COM_BASE_URL),)
RUN_ENV := SPRING_PROFILES_ACTIVE=sandbox \
  CHANNEL_SYNC_CHANNELS_AIRBNB_BASE_URL=http://127.0.0.1:$(SERVER_PORT)/sandbox/airbnb \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_BASE_URL=http://127.0.0.1:$(SERVER_PORT)/sandbox/booking_com \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_RESERVATIONS_BASE_URL=http://127.0.0.1:$(SERVER_PORT)/sandbox/booking_com \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_TOKEN_URL=http://127.0.0.1:$(SERVER_PORT)/sandbox/booking_com/token-based-authentication/exchange \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_ID=$${CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_ID:-sandbox-client} \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_SECRET=$${CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_SECRET:-sandbox-secret} \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_TARGET=Test \
  CHANNEL_SYNC_WEBHOOKS_AIRBNB_SECRETS=$${CHANNEL_SYNC_WEBHOOKS_AIRBNB_SECRETS:-$(DEMO_AIRBNB_SECRET)} \
  CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_SECRETS=$${CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_SECRETS:-$(DEMO_BOOKING_SECRET)} \
  CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_CLIENT_ID=$${CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_CLIENT_ID:-$(DEMO_CNS_CLIENT_ID)} \
  CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_CLIENT_SECRET=$${CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_CLIENT_SECRET:-$(DEMO_CNS_CLIENT_SECRET)} \
  CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_JWT_KEY=$${CHANNEL_SYNC_WEBHOOKS_BOOKING_COM_JWT_KEY:-$(DEMO_CNS_JWT_KEY)} \
  CHANNEL_SYNC_SECURITY_OPERATOR_KEYS=$${CHANNEL_SYNC_SECURITY_OPERATOR_KEYS:-$(DEMO_OPERATOR_KEY)} \
  CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY=$${CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY:-$(DEMO_ENCRYPTION_KEY)}
endif
# a local PMS receiving our signed events (e.g. http://127.0.0.1:9000/hooks) is allowed in development
RUN_ENV += CHANNEL_SYNC_SUBSCRIPTIONS_ALLOW_PRIVATE_NETWORKS=$${CHANNEL_SYNC_SUBSCRIPTIONS_ALLOW_PRIVATE_NETWORKS:-true}

.DEFAULT_GOAL := help
.PHONY: help run dev test bench demo build clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

run: $(JAR) ## build if needed, then run on the embedded PostgreSQL (port SERVER_PORT, default 8080; JMX on 9010)
	SERVER_PORT=$(SERVER_PORT) $(RUN_ENV) java $(JMX_OPTS) -jar $(JAR)

dev: ## like run, from source, with Camel route reload: edit routes/*.camel.yaml and watch them reload
	SERVER_PORT=$(SERVER_PORT) $(RUN_ENV) $(MVN) spring-boot:run -Dspring-boot.run.jvmArguments="$(JMX_OPTS)" \
	  -Dspring-boot.run.arguments="--camel.main.routes-reload-enabled=true --camel.main.routes-reload-directory=routes --camel.main.routes-reload-pattern=*.camel.yaml"

test: ## run the whole test suite (embedded PostgreSQL, or the server in DATABASE_URL)
	$(MVN) verify

bench: $(JAR) ## out-of-process intake vs a plain peer and pgbench, propagation, backoff (bench/ingest.sh); 1 vs 2 instances, SEDA vs RabbitMQ, 10M rows of history (bench/cluster.sh); then the *Benchmark tests (the crash benchmark runs the jar); each prints its figures and a same-run reference
	bench/ingest.sh
	bench/cluster.sh
	$(MVN) -Pbench test -Dsurefire.failIfNoSpecifiedTests=false

demo: ## with `make run` going in another terminal: a booking's whole life across both channels, step by step
	DEMO_OPERATOR_KEY=$(DEMO_OPERATOR_KEY) DEMO_AIRBNB_SECRET=$(DEMO_AIRBNB_SECRET) \
	  java src/test/java/io/channelsync/demo/ChannelSyncDemo.java http://127.0.0.1:$(SERVER_PORT)

build: $(JAR) ## build the runnable jar (target/channel-sync.jar), skipping tests

$(JAR): $(SOURCES)
	$(MVN) -DskipTests package

clean: ## remove build output (keeps data/, the embedded database)
	$(MVN) -q clean
