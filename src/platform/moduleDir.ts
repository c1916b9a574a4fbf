// The folder a module's code runs from. The desktop app's Electron bundle is CommonJS (everything
// in dist/main, `__dirname` set, `import.meta` empty); everywhere else the code runs as ES modules,
// so the caller passes its own `import.meta.url`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function moduleDir(metaUrl: string | undefined): string | null {
  if (typeof __dirname === 'string') return __dirname;
  try {
    return metaUrl ? path.dirname(fileURLToPath(metaUrl)) : null;
  } catch {
    return null;
  }
}
