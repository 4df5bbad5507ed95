/**
 * The Temporal dev server for `npm start`: persistent SQLite under the data folder, in WAL mode with
 * synchronous=NORMAL (SQLite's defaults manage about one workflow a second), UI on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';

export type DevServer = { address: string; uiUrl: string; process: ChildProcess };

export async function startTemporalDevServer(opts: {
  cliPath: string;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  onOutput?: (line: string) => void;
}): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    opts.dbFile,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    '--namespace',
    opts.namespace,
    '--log-level',
    'error',
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const forward = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => opts.onOutput?.(l));
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const address = `127.0.0.1:${opts.port}`;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined)
      throw new Error(
        `the Temporal dev server exited with code ${exited} (is port ${opts.port} or ${opts.uiPort} in use?)`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: opts.namespace });
        return { address, uiUrl: `http://localhost:${opts.uiPort}`, process: child };
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`the Temporal dev server did not become ready on ${address}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
