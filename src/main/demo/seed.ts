// Writes a generated demo center into the store through the repository as one bulk load: all or
// nothing, with the search index built once at the end. Events stream from the generator, so memory stays flat.
import type { Repository } from '../store/repository';
import { generateDemoCenter, type GenerateOptions } from './generator';

export { JANE_SMITH_EMAIL, JANE_SMITH_NAME, JANE_CASE_SUBJECT, HEAVY_CUSTOMER_NAME, generateDemoCenter, scenarioYear } from './generator';
export type { GenerateOptions, DemoCenter } from './generator';

export interface DemoOptions extends GenerateOptions {
  /** Called after each committed batch with rows written so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedStats {
  agents: number;
  customers: number;
  cases: number;
  events: number;
  notes: number;
  /** Ids as stored. */
  janeCustomerId: number;
  janeCaseId: number;
  heavyCustomerId: number | null;
}

/** Rows between progress reports (each batch is a savepoint inside the one bulk-load transaction). */
export const SEED_BATCH_ROWS = 20_000;

export function seedDemoCenter(repo: Repository, options: DemoOptions & { heavyCustomerEvents: number }): SeedStats & { heavyCustomerId: number };
export function seedDemoCenter(repo: Repository, options: DemoOptions): SeedStats;
export function seedDemoCenter(repo: Repository, options: DemoOptions): SeedStats {
  const center = generateDemoCenter(options);
  const total = center.agents.length + center.customers.length + center.customerNotes.length + center.cases.length + center.eventCount;

  // The plan numbers everything from 1; the store assigns its own ids (the same ones in an empty
  // store), and references are translated through these maps so a non-empty store still works.
  const agentIds = new Int32Array(center.agents.length + 1);
  const customerIds = new Int32Array(center.customers.length + 1);
  const caseIds = new Int32Array(center.cases.length + 1);
  const agentId = (id: number | null) => (id === null ? null : agentIds[id]!);

  function* writes(): Generator<() => void, void, undefined> {
    for (const a of center.agents) yield () => void (agentIds[a.id!] = repo.insertAgent({ ...a, id: undefined }));
    for (const c of center.customers) yield () => void (customerIds[c.id!] = repo.insertCustomer({ ...c, id: undefined }));
    for (const n of center.customerNotes) yield () => void repo.insertCustomerNote({ ...n, customerId: customerIds[n.customerId]!, authorAgentId: agentId(n.authorAgentId) });
    for (const c of center.cases) {
      yield () => void (caseIds[c.id!] = repo.insertCase({ ...c, id: undefined, customerId: customerIds[c.customerId]!, assignedAgentId: agentId(c.assignedAgentId) }));
    }
    for (const e of center.events()) {
      yield () => {
        // The generator hands out a fresh object per event, so it can be rewritten in place.
        e.customerId = customerIds[e.customerId]!;
        if (e.caseId !== null) e.caseId = caseIds[e.caseId]!;
        if (e.authorId !== null) e.authorId = agentIds[e.authorId]!;
        repo.insertEvent(e);
      };
    }
  }

  const queue = writes();
  let done = 0;
  repo.bulkLoad(() => {
    for (let finished = false; !finished; ) {
      repo.transaction(() => {
        for (let n = 0; n < SEED_BATCH_ROWS; n++) {
          const next = queue.next();
          if (next.done) {
            finished = true;
            return;
          }
          next.value();
          done++;
        }
      });
      options.onProgress?.(done, total);
    }
  });

  const { janeCustomerId, janeCaseId, heavyCustomerId } = center.scenario;
  return {
    agents: center.agents.length,
    customers: center.customers.length,
    cases: center.cases.length,
    events: center.eventCount,
    notes: center.customerNotes.length,
    janeCustomerId: customerIds[janeCustomerId]!,
    janeCaseId: caseIds[janeCaseId]!,
    heavyCustomerId: heavyCustomerId === null ? null : customerIds[heavyCustomerId]!,
  };
}
