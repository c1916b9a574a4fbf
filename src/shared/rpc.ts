// Everything both transports generate from the contract: the wire envelopes, the server-side
// dispatcher (validates input, runs the handler, validates output) and the client-side API
// (validates input before sending, output and events on arrival). Pure: the transports bring I/O.
import { z } from 'zod';
import {
  events,
  requests,
  type EventName,
  type EventPayload,
  type ParsedInput,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from './contract';
import { AppError, keyOf, type ErrorInfo } from './errors';
import { say } from './serverErrors';
import { SentenceKey } from './sentenceKey';

export type RpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** An error's key and params in the serverErrors catalog: optional (older sides send only code and
 *  sentence), and dropped rather than failing the reply when malformed (the sentence still shows). */
export const ErrorKeyFields = {
  key: SentenceKey.shape.key.optional().catch(undefined),
  params: SentenceKey.shape.params.optional().catch(undefined),
};
export const ErrorInfoSchema = z.object({ code: z.string(), message: z.string(), ...ErrorKeyFields }) as z.ZodType<ErrorInfo>;
export const RpcResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorInfoSchema }),
]);

/** Frames of the headless WebSocket transport. */
export const ClientFrame = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrame>;
export const ServerFrame = z.union([
  z.object({ t: z.literal('res'), id: z.number().int().nonnegative(), result: RpcResultSchema }),
  z.object({ t: z.literal('evt'), name: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

// ---------------------------------------------------------------- server side

export interface CallContext {
  /** The transport the call came in on, for logs and audit. */
  transport: 'ipc' | 'websocket' | 'direct';
}

export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>, ctx: CallContext) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

export interface DispatchLog {
  error(message: string, detail?: unknown): void;
}

export function createDispatcher(handlers: Handlers, log: DispatchLog = console) {
  return async function dispatch(method: unknown, rawInput: unknown, ctx: CallContext): Promise<RpcResult> {
    if (!isRequestName(method)) {
      return { ok: false, error: { code: 'rpc/unknown-method', message: `There is no call named "${String(method)}".` } };
    }
    const spec = requests[method];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'rpc/invalid-input', message: `${method}: ${describeIssues(parsed.error)}` },
      };
    }
    try {
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        log.error(`${method} produced output that breaks the contract`, checked.error.issues);
        return { ok: false, error: { code: 'rpc/invalid-output', ...say('invalidOutput', { method }) } };
      }
      return { ok: true, value: checked.data };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toInfo() };
      log.error(`${method} failed`, e);
      return { ok: false, error: { code: 'internal', ...say('internal', { method }) } };
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;

/** Validates an event before it leaves the main process; a bad payload is a bug, so it throws. */
export function checkEvent<K extends EventName>(name: K, payload: EventPayload<K>): EventPayload<K> {
  return events[name].parse(payload) as EventPayload<K>;
}

// ---------------------------------------------------------------- client side

/** What a transport must offer the generated API. */
export interface RpcTransport {
  invoke(method: RequestName, input: unknown): Promise<unknown>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

export type OmniApi = {
  [K in RequestName]: (input: RequestInput<K>) => Promise<RequestOutput<K>>;
} & {
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
};

/** Thrown by the generated API; carries the code, the sentence and its catalog key from the main process. */
export class RpcError extends Error implements ErrorInfo {
  readonly key?: string;
  readonly params?: ErrorInfo['params'];

  constructor(
    readonly code: ErrorInfo['code'],
    message: string,
    text?: Pick<ErrorInfo, 'key' | 'params'>,
  ) {
    super(message);
    this.name = 'RpcError';
    const { key, params } = text ? keyOf({ message, ...text }) : {};
    if (key !== undefined) {
      this.key = key;
      this.params = params;
    }
  }
}

export function createApi(transport: RpcTransport): OmniApi {
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(requests) as RequestName[]) {
    const spec = requests[method];
    api[method] = async (input: unknown) => {
      const parsedInput = spec.input.safeParse(input ?? {});
      if (!parsedInput.success) throw new RpcError('rpc/invalid-input', `${method}: ${describeIssues(parsedInput.error)}`);
      const raw = RpcResultSchema.safeParse(await transport.invoke(method, parsedInput.data));
      if (!raw.success) throw new RpcError('rpc/transport', `${method}: the reply was not understood.`);
      if (!raw.data.ok) throw new RpcError(raw.data.error.code, raw.data.error.message, raw.data.error);
      const output = spec.output.safeParse(raw.data.value);
      if (!output.success) throw new RpcError('rpc/invalid-output', `${method}: ${describeIssues(output.error)}`);
      return output.data;
    };
  }
  api.on = (name: EventName, listener: (payload: unknown) => void) =>
    transport.subscribe((eventName, payload) => {
      if (eventName !== name) return;
      const parsed = events[name].safeParse(payload);
      if (parsed.success) listener(parsed.data);
      else console.warn(`Dropped a malformed ${name} event`, parsed.error.issues);
    });
  return Object.freeze(api) as OmniApi;
}
