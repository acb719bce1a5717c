/**
 * The Debezium pipeline under test: a distributed Kafka Connect worker running Debezium's Postgres
 * connector with the outbox event router, started by the harness as the {@code publisher} stage of
 * {@code docs/pipeline-contract.md}. This module's jars never reach the harness's class path.
 */
package dev.cdcchaos.debezium;
