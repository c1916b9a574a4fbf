// The parse worker behind parsePool.ts: runs mime.ts's parseEmail on a worker thread, one chunk of
// mails at a time, in the order the chunks arrive. It keeps nothing between chunks and writes nothing.
import { parentPort } from 'node:worker_threads';
import { parseEmail, type ParseEmailOptions, type ParseEmailResult } from './mime';

export interface ParseRequest {
  id: number;
  jobs: Array<{ source: Uint8Array; options: ParseEmailOptions }>;
}

export type WorkerMessage = { t: 'ready' } | { t: 'parsed'; id: number; results: ParseEmailResult[] };

const port = parentPort;
if (port) {
  // One chunk after the other: the pool's watchdog times the chunk at the head of the line.
  let line: Promise<void> = Promise.resolve();
  port.on('message', (request: ParseRequest) => {
    line = line.then(async () => {
      const results: ParseEmailResult[] = [];
      for (const job of request.jobs) {
        // A structured clone turns a Buffer into a plain Uint8Array: view the same bytes again.
        results.push(await parseEmail(Buffer.from(job.source.buffer, job.source.byteOffset, job.source.byteLength), job.options));
      }
      port.postMessage({ t: 'parsed', id: request.id, results } satisfies WorkerMessage);
    });
  });
  // Sent once the imports above have loaded: a worker that dies before this could not start at all.
  port.postMessage({ t: 'ready' } satisfies WorkerMessage);
}

