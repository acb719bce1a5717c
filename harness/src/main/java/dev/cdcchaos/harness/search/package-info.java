/**
 * Randomised search for failing runs: {@link dev.cdcchaos.harness.search.ScheduleGenerator} draws
 * scenarios from a seed, {@link dev.cdcchaos.harness.search.Shrinker} reduces a failing one to a
 * minimal scenario that still fails, to be written as a scenario file that replays it.
 */
package dev.cdcchaos.harness.search;
