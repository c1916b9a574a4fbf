// Signing in to a team hub: POST <hub>/auth/login with the agent's user name and the password kept
// in the secret store (never in SQLite), for the short-lived token `hello` needs. Errors are
// values with a code and a sentence: a wrong password is not a network problem.
import { LoginResponse } from '../../shared/hub/agentProtocol';
import type { SecretStore } from '../secrets';
import { HubError } from './hubService';

/** The secret-store key of an agent's hub password: one per hub and user name. */
export function hubSecretRef(url: string, username: string): string {
  return `hub/${new URL(url).host}/${username}`;
}

export interface HubLogin {
  token: string;
  expiresAt: number;
  agentName: string;
}

/** Signs in; rejects with HubError hub/refused (credentials) or hub/offline (unreachable, not a hub). */
export async function loginToHub(url: string, username: string, password: string, fetchImpl: typeof fetch = fetch): Promise<HubLogin> {
  const endpoint = new URL('auth/login', url.endsWith('/') ? url : `${url}/`);
  let res: Response;
  try {
    res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new HubError('hub/offline', `The hub at ${endpoint.host} could not be reached (${(err as Error).message}).`);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    if (res.status === 401 || res.status === 403) throw new HubError('hub/refused', typeof message === 'string' ? message : `The hub at ${endpoint.host} did not accept the user name or password.`);
    throw new HubError('hub/refused', `The hub at ${endpoint.host} refused the sign-in (HTTP ${res.status})${typeof message === 'string' ? `: ${message}` : '.'}`);
  }
  const parsed = LoginResponse.safeParse(body);
  if (!parsed.success) throw new HubError('hub/offline', `${endpoint.host} answered the sign-in with something that is not an Omni Desk hub's answer.`);
  return { token: parsed.data.token, expiresAt: parsed.data.expiresAt, agentName: parsed.data.agent.displayName };
}

/**
 * A token provider for the hub client: signs in with the stored password, reuses the token until
 * shortly before it expires, and signs in again when asked to renew.
 */
export function remoteHubToken(o: { url: string; username: string; secrets: SecretStore; now?: () => number; fetchImpl?: typeof fetch }): { token: () => Promise<string>; renewToken: () => Promise<string> } {
  const now = o.now ?? Date.now;
  let session: HubLogin | null = null;
  const login = async () => {
    const password = await o.secrets.get(hubSecretRef(o.url, o.username));
    if (password === null) throw new HubError('hub/refused', `No password is stored for ${o.username} on ${new URL(o.url).host}; enter it in the settings.`);
    session = await loginToHub(o.url, o.username, password, o.fetchImpl);
    return session.token;
  };
  return {
    token: async () => (session && session.expiresAt - now() > 60_000 ? session.token : login()),
    renewToken: login,
  };
}
