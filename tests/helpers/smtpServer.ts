// A real SMTP server (the smtp-server package) on 127.0.0.1 for integration tests. It answers 250
// only after `deliver` has stored the message (into Dovecot over LMTP when wired by
// connectMailPeers), can be stopped and restarted on the same port, and can fail on purpose.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { startDovecot, type Dovecot, type DovecotOptions } from './dovecot';
import { freePort } from './freePort';

export interface SmtpEnvelope {
  /** MAIL FROM, '' for the null sender. */
  from: string;
  /** RCPT TO, in order. */
  to: string[];
}

export interface ReceivedMessage {
  envelope: SmtpEnvelope;
  raw: Buffer;
  /** The AUTH user name, when the client authenticated. */
  user?: string;
}

export interface RejectedMessage {
  envelope: SmtpEnvelope;
  code: number;
  message: string;
}

export interface SmtpOptions {
  /** Stores one accepted message; the client gets 250 only after it resolves. A rejection becomes an SMTP error. */
  deliver: (raw: Buffer, envelope: SmtpEnvelope) => Promise<void>;
  /** Listen on this port (e.g. a stopped server's port). Default: a free one. */
  port?: number;
  /** Largest accepted message in bytes (advertised as SIZE). Default 25 MiB. */
  sizeLimit?: number;
  /** If set, AUTH must match one of these user → password pairs; AUTH stays optional either way. */
  users?: Record<string, string>;
  /** If set, RCPT TO for an address it refuses gets 550 5.1.1, as from a real MTA. */
  acceptRecipient?: (address: string) => boolean;
}

export interface SmtpPeer {
  host: '127.0.0.1';
  port: number;
  sizeLimit: number;
  /** Every accepted (and delivered) message, across restarts. */
  received: ReceivedMessage[];
  /** Every message answered with an error at the end of DATA (failNext, over-size, delivery failure). */
  rejected: RejectedMessage[];
  readonly listening: boolean;
  /** The next n messages get `smtpCode message` at the end of DATA instead of being delivered. */
  failNext(n: number, smtpCode: number, message?: string): void;
  /** Listens again on the same port after stop(). */
  start(): Promise<void>;
  /** Stops listening; open sessions get 421 and are closed. Nothing is removed from received. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_SIZE_LIMIT = 25 * 1024 * 1024;

interface CodedError extends Error {
  responseCode?: number;
}

function smtpError(code: number, message: string): CodedError {
  const err: CodedError = new Error(message);
  err.responseCode = code;
  return err;
}

function envelopeOf(session: SMTPServerSession): SmtpEnvelope {
  const { mailFrom, rcptTo } = session.envelope;
  return { from: mailFrom ? mailFrom.address : '', to: rcptTo.map((r) => r.address) };
}

function readAll(stream: SMTPServerDataStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining an over-size message but stop holding it in memory.
      if (size <= limit) chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

export async function startSmtp(options: SmtpOptions): Promise<SmtpPeer> {
  const port = options.port ?? (await freePort());
  const sizeLimit = options.sizeLimit ?? DEFAULT_SIZE_LIMIT;
  const received: ReceivedMessage[] = [];
  const rejected: RejectedMessage[] = [];
  let failures: { left: number; code: number; message: string } = { left: 0, code: 451, message: '' };
  let server: SMTPServer | null = null;

  const handleData = async (stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> => {
    const raw = await readAll(stream, sizeLimit);
    const envelope = envelopeOf(session);
    const refuse = (code: number, message: string): never => {
      rejected.push({ envelope, code, message });
      throw smtpError(code, message);
    };
    if (stream.sizeExceeded) refuse(552, `5.3.4 Message exceeds fixed maximum message size ${sizeLimit}`);
    if (failures.left > 0) {
      failures.left -= 1;
      refuse(failures.code, failures.message);
    }
    try {
      await options.deliver(raw, envelope);
    } catch (err) {
      const e = err as CodedError;
      const code = typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600 ? e.responseCode : 451;
      refuse(code, `${code >= 500 ? '5' : '4'}.3.0 Delivery failed: ${e.message}`);
    }
    const user = typeof session.user === 'string' ? session.user : undefined;
    received.push(user === undefined ? { envelope, raw } : { envelope, raw, user });
  };

  const create = (): SMTPServer =>
    new SMTPServer({
      name: 'smtp.omni.test',
      banner: 'Omni Desk test SMTP',
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      size: sizeLimit,
      rejectOversized: true,
      logger: false,
      // No reverse DNS for 127.0.0.1: it costs ~100 ms per connection here.
      disableReverseLookup: true,
      // stop() is an outage: do not wait for clients to finish their sessions.
      closeTimeout: 50,
      onAuth(auth, _session, callback) {
        const name = auth.username ?? '';
        if (options.users && options.users[name] !== auth.password) {
          callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
          return;
        }
        callback(null, { user: name });
      },
      onRcptTo(address, _session, callback) {
        if (options.acceptRecipient && !options.acceptRecipient(address.address)) {
          callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        handleData(stream, session).then(
          () => callback(null, '2.0.0 Ok: stored'),
          (err: Error) => callback(err),
        );
      },
    });

  const start = (): Promise<void> => {
    if (server) return Promise.resolve();
    const next = create();
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      next.once('error', onError);
      next.listen(port, HOST, () => {
        next.off('error', onError);
        // Late socket errors (a client resetting) must not crash the test process.
        next.on('error', () => undefined);
        server = next;
        resolve();
      });
    });
  };

  const stop = (): Promise<void> => {
    const current = server;
    server = null;
    if (!current) return Promise.resolve();
    return new Promise((resolve) => current.close(() => resolve()));
  };

  await start();

  return {
    host: HOST,
    port,
    sizeLimit,
    received,
    rejected,
    get listening() {
      return server !== null;
    },
    failNext(n, smtpCode, message) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`failNext: n must be a whole number, got ${n}`);
      if (smtpCode < 400 || smtpCode > 599) throw new Error(`failNext: ${smtpCode} is not an SMTP error code`);
      failures = { left: n, code: smtpCode, message: message ?? (smtpCode >= 500 ? '5.3.0 Rejected by test' : '4.3.0 Try again later (test)') };
    },
    start,
    stop,
  };
}

export interface MailPeers {
  dovecot: Dovecot;
  smtp: SmtpPeer;
  stop(): Promise<void>;
}

/** Dovecot plus an SMTP server that delivers each recipient into it over LMTP (by local part). */
export async function connectMailPeers(
  options: { dovecot?: DovecotOptions; smtp?: Omit<SmtpOptions, 'deliver' | 'acceptRecipient'> } = {},
): Promise<MailPeers> {
  const dovecot = await startDovecot(options.dovecot);
  const localPart = (address: string) => address.split('@')[0]?.toLowerCase() ?? '';
  try {
    const smtp = await startSmtp({
      ...options.smtp,
      acceptRecipient: (address) => dovecot.users.some((u) => u.user === localPart(address)),
      deliver: async (raw, envelope) => {
        for (const to of envelope.to) await dovecot.deliver(raw, to, { from: envelope.from });
      },
    });
    return {
      dovecot,
      smtp,
      stop: async () => {
        await smtp.stop();
        await dovecot.stop();
      },
    };
  } catch (err) {
    await dovecot.stop();
    throw err;
  }
}
