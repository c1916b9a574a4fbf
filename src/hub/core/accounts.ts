// Agents' accounts and sessions: creating agents (scrypt hashes), signing in with a password for a
// short-lived token, resolving a token, and the embedded hub's local admin who needs no password.
import { z } from 'zod';
import { Channel, IssueType } from '../../shared/domain';
import { Role, type HubAgent } from '../../shared/hub/agentProtocol';
import { AgentChannel, Level, Seniority } from '../../shared/routing/types';
import type { AgentRecord, HubStore } from '../store/hubStore';
import { HubError } from './errors';
import { hashPassword, hashPasswordSync, newSessionToken, tokenHash, verifyPassword } from './passwords';
import { say } from '../../shared/serverErrors';

/** What an agent works unless told otherwise: every channel at middling proficiency, a few chats at once, one call. */
export const DEFAULT_AGENT_CHANNELS: Partial<Record<Channel, AgentChannel>> = {
  email: { proficiency: 3, capacity: 5 },
  chat: { proficiency: 3, capacity: 3 },
  phone: { proficiency: 3, capacity: 1 },
  messenger: { proficiency: 3, capacity: 3 },
  instagram: { proficiency: 3, capacity: 3 },
  x: { proficiency: 3, capacity: 3 },
  sms: { proficiency: 3, capacity: 3 },
  in_app: { proficiency: 3, capacity: 3 },
  portal: { proficiency: 3, capacity: 3 },
};

export const MIN_PASSWORD_LENGTH = 10;

export const NewAgentInput = z.object({
  username: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
  displayName: z.string().trim().min(1).max(120),
  role: Role.default('agent'),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  seniority: Seniority.default('mid'),
  languages: z.array(z.string().min(1).max(35)).max(20).default(['en']),
  skills: z.partialRecord(IssueType, Level).default({}),
  channels: z.partialRecord(Channel, AgentChannel).default(DEFAULT_AGENT_CHANNELS),
});
export type NewAgentInput = z.input<typeof NewAgentInput>;

export const LoginInput = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

export interface LoginResult {
  token: string;
  expiresAt: number;
  agent: HubAgent;
}

export function hubAgentOf(a: AgentRecord): HubAgent {
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

export class Accounts {
  constructor(
    private readonly store: HubStore,
    private readonly now: () => number,
    private readonly sessionTtlMs: number,
  ) {}

  /** Creates an agent; the password is hashed before anything is stored. */
  createAgent(input: NewAgentInput): HubAgent {
    const parsed = NewAgentInput.safeParse(input);
    if (!parsed.success) throw new HubError('agent/invalid', `The agent cannot be created: ${describeIssues(parsed.error)}.`);
    const a = parsed.data;
    if (this.store.agentWithHash(a.username)) throw new HubError('agent/exists', say('agentExists', { username: a.username }));
    const record = this.store.createAgent(
      {
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        passwordHash: hashPasswordSync(a.password),
        seniority: a.seniority,
        languages: a.languages,
        skills: a.skills,
        channels: a.channels,
      },
      this.now(),
    );
    return hubAgentOf(record);
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new HubError('agent/invalid', say('agentPasswordShort', { min: MIN_PASSWORD_LENGTH }));
    const found = this.store.agentWithHash(username);
    if (!found) throw new HubError('agent/not-found', say('agentNoSuchName', { username }));
    this.store.setPassword(found.agent.id, await hashPassword(password));
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const found = this.store.agentWithHash(username);
    // Always run scrypt, so an unknown name answers as slowly as a wrong password.
    const ok = await verifyPassword(password, found?.passwordHash ?? null);
    if (!found || !ok || found.agent.disabled) throw new HubError('auth/invalid', say('signInWrong'));
    return this.issue(found.agent);
  }

  /** A fresh session for an agent; only the token's SHA-256 is stored. */
  issue(agent: AgentRecord): LoginResult {
    const token = newSessionToken();
    const now = this.now();
    const expiresAt = now + this.sessionTtlMs;
    this.store.insertSession(tokenHash(token), agent.id, now, expiresAt);
    return { token, expiresAt, agent: hubAgentOf(agent) };
  }

  /** The agent a token belongs to, or a HubError saying why not (unknown, expired, disabled). */
  authenticate(token: string): { agent: AgentRecord; expiresAt: number } {
    const session = this.store.session(tokenHash(token));
    if (!session) throw new HubError('auth/invalid', say('sessionUnknown'));
    if (session.expiresAt <= this.now()) throw new HubError('auth/expired', say('sessionExpired'));
    const agent = this.store.agent(session.agentId);
    if (!agent || agent.disabled) throw new HubError('auth/invalid', say('accountDisabled'));
    return { agent, expiresAt: session.expiresAt };
  }

  agentForToken(token: string): HubAgent | null {
    try {
      return hubAgentOf(this.authenticate(token).agent);
    } catch {
      return null;
    }
  }

  logout(token: string): void {
    this.store.deleteSession(tokenHash(token));
  }

  /** The embedded hub's admin: the desktop's own user, created on first start, never signed in with a password. */
  ensureLocalAdmin(displayName: string): AgentRecord {
    const found = this.store.localAdmin();
    if (found) return found;
    return this.store.createAgent(
      {
        username: 'local-admin',
        displayName,
        role: 'admin',
        passwordHash: null,
        seniority: 'senior',
        languages: ['en'],
        channels: DEFAULT_AGENT_CHANNELS,
        isLocalAdmin: true,
      },
      this.now(),
    );
  }
}
