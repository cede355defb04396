export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__integrationServers;
  globalThis.__integrationServers = undefined;
  await Promise.all([
    servers?.temporal.stop(),
    servers?.sqsServer.process.stop(),
    servers?.secretsManager.process.stop(),
  ]);
}
