import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../src/domain/contract';
import { FAIRNESS_DEV_SERVER_ARGS } from '../src/local/temporal-dev-server';
import { freePort, guardedToolPath, startLocalServer, type LocalServer } from '../src/local/processes';
import { LOCAL_SQS_SERVER, localSqsClient } from '../src/local/sqs';
import type { Cleanup } from './cleanup';

export interface DevServer {
  temporalAddress: string;
  client: Client;
}

/**
 * The Temporal CLI's dev server, as the integration tests run it: on a free port, behind scripts/guarded,
 * with the product's search attributes and its database in memory. (`solicit dev` keeps a database file
 * instead; on this machine's disk SQLite's fsyncs then cap workflow starts at a few dozen a second, which
 * would measure the disk rather than the product.)
 */
export async function startDevServer(cleanup: Cleanup): Promise<DevServer> {
  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: guardedToolPath('temporal') },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      // The integration tests' headroom: the bench measures the product, not the dev server's rate limit.
      extraArgs: ['--dynamic-config-value', 'frontend.namespaceRPS=10000', ...FAIRNESS_DEV_SERVER_ARGS],
    },
  });
  cleanup.add(() => temporal.teardown());
  return { temporalAddress: temporal.address, client: temporal.client };
}

export interface SqsServer {
  server: LocalServer;
  client: ReturnType<typeof localSqsClient>;
}

/** The SQS-compatible server of `solicit dev`, on a free port, its log in a temporary directory. */
export async function startSqsServer(cleanup: Cleanup): Promise<SqsServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'review-solicitations-bench-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startLocalServer(LOCAL_SQS_SERVER, await freePort(), path.join(dir, 'sqs-server.log'));
  cleanup.add(() => server.process.stop());
  const client = localSqsClient(server.endpoint);
  cleanup.add(() => client.destroy());
  return { server, client };
}
