// The bundled demo node's Prisma console: a real HTTPS server on loopback with a generated chain
// (fixtures/demo/console), so `--demo` shows the live TLS and reachability checks at work. It is
// part of the node `--demo` gathers from, so it sits with the collectors rather than in io/.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

export const DEMO_CONSOLE_PORT = 18083;

export interface DemoConsole {
  /** False when the port was taken: the demo then shows what the checks say about that. */
  listening: boolean;
  close(): Promise<void>;
}

export async function startDemoConsole(dir: string): Promise<DemoConsole> {
  const server = https.createServer(
    { cert: readFileSync(path.join(dir, 'console.crt')), key: readFileSync(path.join(dir, 'console.key')) },
    (req, res) => {
      // Like the Prisma console: audit batches are accepted at the webhook path, nothing else.
      const ok = req.method === 'POST' && (req.url ?? '').startsWith('/api/v1/kubernetes/webhook/');
      req.resume();
      res.writeHead(ok ? 200 : 404).end();
    },
  );
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(DEMO_CONSOLE_PORT, '127.0.0.1', () => resolve(true));
  });
  return {
    listening,
    close: () => new Promise((resolve) => (listening ? server.close(() => resolve()) : resolve())),
  };
}
