#!/usr/bin/env bash
# A project-local single-node Apache Kafka (KRaft) from the official jars on Maven Central.
# Usage: kafka.sh start|stop|status
. "$(dirname "$0")/common.sh"

KDIR="$NQPF_LOCAL/kafka"
LIBS="$NQPF_CACHE/kafka-$NQPF_KAFKA_VERSION"
DATA="$KDIR/data"
PIDFILE="$KDIR/kafka.pid"
PROPS="$KDIR/server.properties"
# The SASL_SSL listener (NQPF_KAFKA_SECURE_PORT; 0 = none): TLS from a local CA, SCRAM user nqpf-local,
# so the clients' TLS and SASL settings are tested against a real broker (docs/operations.md).
TLS="$KDIR/tls"
SASL_USER=nqpf-local
secure() { [ "${NQPF_KAFKA_SECURE_PORT:-0}" != 0 ]; }

require_java() {
  command -v java >/dev/null 2>&1 || die "Java 17+ is required to run Kafka locally (Debian: apt-get install openjdk-17-jre-headless), or use 'docker compose up'."
  command -v mvn >/dev/null 2>&1 || [ -f "$LIBS/.complete" ] || die "Maven (mvn) is required once to fetch Kafka's jars (Debian: apt-get install maven), or use 'docker compose up'."
}

resolve_jars() {
  [ -f "$LIBS/.complete" ] && return
  log "resolving Kafka $NQPF_KAFKA_VERSION jars with Maven"
  mkdir -p "$LIBS"
  mvn -q -B -f "$NQPF_ROOT/deploy/local/kafka/pom.xml" -Dkafka.version="$NQPF_KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS" >"$NQPF_LOGS/mvn-kafka.log" 2>&1 \
    || die "Maven could not resolve Kafka; see $NQPF_LOGS/mvn-kafka.log"
  touch "$LIBS/.complete"
}

# A CA and a broker certificate for 127.0.0.1 in a PKCS#12 keystore, with keytool (Java is needed for Kafka
# anyway), and the SCRAM user's password; made once, kept with the broker's other local files.
make_tls() {
  [ -f "$TLS/broker.p12" ] && [ -f "$TLS/sasl-password" ] && return
  rm -rf "$TLS" && mkdir -p "$TLS"
  (
    cd "$TLS"
    pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    # The keytool of the java that runs Kafka (not necessarily on PATH by itself).
    keytool=$(dirname "$(readlink -f "$(command -v java)")")/keytool
    store() { "$keytool" -storetype PKCS12 -storepass "$pw" -keypass "$pw" "$@"; }
    store -genkeypair -alias ca -keyalg RSA -keysize 2048 -dname "CN=nqpf local CA" -ext bc:c -validity 3650 -keystore ca.p12
    store -exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem
    store -genkeypair -alias broker -keyalg RSA -keysize 2048 -dname "CN=127.0.0.1" -validity 3650 -keystore broker.p12
    store -certreq -alias broker -keystore broker.p12 -file broker.csr
    store -gencert -alias ca -keystore ca.p12 -infile broker.csr -outfile broker.crt -rfc -validity 3650 \
      -ext san=ip:127.0.0.1,dns:localhost
    store -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12
    store -importcert -alias broker -file broker.crt -keystore broker.p12
    printf '%s' "$pw" >keystore-password
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >sasl-password
    chmod 600 ca.p12 broker.p12 keystore-password sasl-password
  ) >"$NQPF_LOGS/kafka-tls.log" 2>&1 || die "could not make the local Kafka's TLS files; see $NQPF_LOGS/kafka-tls.log"
}

write_props() {
  local listeners="PLAINTEXT://127.0.0.1:$NQPF_KAFKA_PORT" map="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if secure; then
    listeners="$listeners,SASL_SSL://127.0.0.1:$NQPF_KAFKA_SECURE_PORT"
    map="$map,SASL_SSL:SASL_SSL"
  fi
  cat >"$PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$NQPF_KAFKA_CONTROLLER_PORT
listeners=$listeners,CONTROLLER://127.0.0.1:$NQPF_KAFKA_CONTROLLER_PORT
advertised.listeners=$listeners
controller.listener.names=CONTROLLER
listener.security.protocol.map=$map
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=$NQPF_KAFKA_PARTITIONS
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.ms=-1
PROPS
  secure || return 0
  cat >>"$PROPS" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$(cat "$TLS/keystore-password")
ssl.key.password=$(cat "$TLS/keystore-password")
PROPS
}

# The SCRAM credentials live in the cluster's metadata (the data directory): set again whenever the data
# directory has not seen this password (a new data directory, or new TLS files).
add_sasl_user() {
  secure || return 0
  cmp -s "$TLS/sasl-password" "$DATA/.sasl-user" && return 0
  local pw
  pw=$(cat "$TLS/sasl-password")
  "${JAVA[@]}" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$NQPF_KAFKA_PORT" --alter \
    --add-config "SCRAM-SHA-512=[password=$pw]" \
    --entity-type users --entity-name "$SASL_USER" >"$NQPF_LOGS/kafka-sasl-user.log" 2>&1 \
    || die "could not add the local Kafka's SCRAM user; see $NQPF_LOGS/kafka-sasl-user.log"
  cp "$TLS/sasl-password" "$DATA/.sasl-user"
}

JAVA=(java -Xms256m -Xmx1g -XX:+UseG1GC "-Dlog4j.configuration=file:$KDIR/log4j.properties" "-Dkafka.logs.dir=$KDIR" -cp "$LIBS/*")

start() {
  require_java
  # The readiness check below is a kafkajs client: without node_modules the broker would start, then be
  # reported as not ready.
  (cd "$NQPF_ROOT" && node -e "require.resolve('kafkajs')" 2>/dev/null) \
    || die "kafkajs is not installed in $NQPF_ROOT; run npm ci first"
  if pid_alive "$PIDFILE"; then log "Kafka already running on 127.0.0.1:$NQPF_KAFKA_PORT"; else
    port_open "$NQPF_KAFKA_PORT" && die "port $NQPF_KAFKA_PORT is taken by another process; set NQPF_KAFKA_PORT"
    port_open "$NQPF_KAFKA_CONTROLLER_PORT" \
      && die "port $NQPF_KAFKA_CONTROLLER_PORT is taken by another process; set NQPF_KAFKA_CONTROLLER_PORT"
    if secure && port_open "$NQPF_KAFKA_SECURE_PORT"; then die "port $NQPF_KAFKA_SECURE_PORT is taken by another process; set NQPF_KAFKA_SECURE_PORT (0: no TLS listener)"; fi
    resolve_jars
    mkdir -p "$DATA"
    if secure; then make_tls; fi
    write_props
    printf 'log4j.rootLogger=INFO, file\nlog4j.appender.file=org.apache.log4j.RollingFileAppender\nlog4j.appender.file.File=%s/server.log\nlog4j.appender.file.MaxFileSize=20MB\nlog4j.appender.file.MaxBackupIndex=2\nlog4j.appender.file.layout=org.apache.log4j.PatternLayout\nlog4j.appender.file.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' "$KDIR" >"$KDIR/log4j.properties"
    if [ ! -f "$DATA/meta.properties" ]; then
      log "formatting Kafka storage in $DATA"
      "${JAVA[@]}" kafka.tools.StorageTool format -t "$("${JAVA[@]}" kafka.tools.StorageTool random-uuid)" -c "$PROPS" >"$NQPF_LOGS/kafka-format.log" 2>&1 \
        || die "Kafka storage format failed; see $NQPF_LOGS/kafka-format.log"
    fi
    log "starting Kafka $NQPF_KAFKA_VERSION on 127.0.0.1:$NQPF_KAFKA_PORT"
    # exec, so that the pid recorded is the broker's own.
    (exec "${JAVA[@]}" kafka.Kafka "$PROPS" >"$KDIR/stdout.log" 2>&1 </dev/null) &
    echo $! >"$PIDFILE"
    record_ports NQPF_KAFKA_PORT NQPF_KAFKA_CONTROLLER_PORT NQPF_KAFKA_SECURE_PORT
  fi
  # Ready means an admin client lists topics and a consumer group forms, not merely an open port.
  KAFKA_BROKERS="127.0.0.1:$NQPF_KAFKA_PORT" node "$NQPF_ROOT/deploy/local/kafka-ready.js" \
    || die "Kafka did not become ready; see $KDIR/server.log"
  add_sasl_user
}

stop() {
  stop_pid "$PIDFILE" "Kafka"
  forget_ports NQPF_KAFKA_PORT NQPF_KAFKA_CONTROLLER_PORT NQPF_KAFKA_SECURE_PORT
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid_alive "$PIDFILE"; then echo "kafka: running on 127.0.0.1:$NQPF_KAFKA_PORT"; else echo "kafka: stopped"; exit 3; fi ;;
  *) die "usage: $0 start|stop|status" ;;
esac
