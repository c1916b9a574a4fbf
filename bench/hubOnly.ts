// `npx tsx bench/hubOnly.ts [--agents N --visitors M --seconds S --rate R]`: the hub benchmark alone.
import { bench } from './hub';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

bench({ agents: arg('agents'), visitors: arg('visitors'), seconds: arg('seconds'), rate: arg('rate') })
  .then((rows) => {
    for (const r of rows) console.log(`${r.figure.padEnd(56)} | ${r.value}${r.target ? ` | target ${r.target}` : ''}`);
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
