#!/usr/bin/env node
/**
 * `npx flink-tasks`: the command line against Apache Flink StateFun through
 * Kafka. `flink-tasks --help` lists the commands.
 *
 * @module
 */
import { runCli } from './cli.js';
import { connectKafka } from './kafka-connection.js';

const stopped = new Promise<void>((resolve) => {
  process.once('SIGINT', () => {
    resolve();
  });
  process.once('SIGTERM', () => {
    resolve();
  });
});
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, stopped }, connectKafka);
process.exit(code);
