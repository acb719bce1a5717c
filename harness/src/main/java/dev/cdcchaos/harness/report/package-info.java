/**
 * What a run leaves behind for people and CI: per run {@code results.json}, {@code history.jsonl},
 * {@code report.md} and a self-contained {@code report.html} ({@link
 * dev.cdcchaos.harness.report.ReportWriter}); over all runs an index and a CI summary ({@link
 * dev.cdcchaos.harness.report.ReportIndex}).
 */
package dev.cdcchaos.harness.report;
