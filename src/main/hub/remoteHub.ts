// Signing in to a team hub: POST <hub>/auth/login with the agent's user name and the password kept
// in the secret store (never in SQLite), for the short-lived token `hello` needs. Errors are
// values with a code and a sentence: a wrong password is not a network problem, nor a wrong address.
import { AppError } from '../../shared/errors';
import { LoginResponse } from '../../shared/hub/agentProtocol';
import type { SecretStore } from '../secrets';
import { HubError } from './hubError';
import { say, type Said } from '../../shared/serverErrors';
import { HubErrorInfo } from '../../shared/hub/agentProtocol';

/** The secret-store key of an agent's hub password: one per hub and user name. */
export function hubSecretRef(url: string, username: string): string {
  return `hub/${new URL(url).host}/${username}`;
}

/**
 * One spelling per hub, so its rows in the local store keep one key: http(s) only, no user or
 * password inside the address, no query or fragment, no trailing slash ("https://hub.example.com/desk").
 */
export function normalizeHubUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new AppError('config/invalid', say('hubAddressInvalid', { address: raw }));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('config/invalid', say('hubAddressScheme', { scheme: u.protocol }));
  if (u.username || u.password) throw new AppError('config/invalid', say('hubAddressCredentials'));
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export interface HubLogin {
  token: string;
  expiresAt: number;
  agentName: string;
}

/** What a hub answers a refused request with ({code, message}); anything else did not come from a hub. */
function hubErrorBody(body: unknown): HubErrorInfo | null {
  const parsed = HubErrorInfo.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * Signs in; rejects with HubError hub/refused (the hub said no: credentials, a disabled account),
 * hub/offline (unreachable) or AppError config/invalid (the address answers, but not as a hub).
 */
export async function loginToHub(url: string, username: string, password: string, fetchImpl: typeof fetch = fetch): Promise<HubLogin> {
  const endpoint = new URL('auth/login', url.endsWith('/') ? url : `${url}/`);
  const notAHub = (text: Said) => new AppError('config/invalid', text);
  let res: Response;
  try {
    res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const why = cause === 'ECONNREFUSED' ? 'hubNothingListening' : cause === 'ENOTFOUND' || cause === 'EAI_AGAIN' ? 'hubNameUnknown' : null;
    throw new HubError('hub/offline', why === null ? say('hubUnreachable', { host: endpoint.host, reason: (err as Error).message }) : say(why, { host: endpoint.host }));
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const refusal = hubErrorBody(body);
    if (!refusal) throw notAHub(say('hubNotAHubStatus', { host: endpoint.host, status: res.status }));
    if (res.status === 401 || res.status === 403) throw new HubError('hub/refused', refusal.message ? refusal : say('hubWrongPassword', { host: endpoint.host }));
    throw new HubError('hub/refused', say('hubSignInRefused', { host: endpoint.host, reason: refusal.message }));
  }
  const parsed = LoginResponse.safeParse(body);
  if (!parsed.success) throw notAHub(say('hubNotAHubAnswer', { host: endpoint.host }));
  return { token: parsed.data.token, expiresAt: parsed.data.expiresAt, agentName: parsed.data.agent.displayName };
}

/**
 * A token provider for the hub client: signs in with the stored password, reuses the token until
 * shortly before it expires, and signs in again when asked to renew. `session`: one just obtained
 * (the settings' sign-in), used first.
 */
export function remoteHubToken(o: {
  url: string;
  username: string;
  secrets: SecretStore;
  now?: () => number;
  fetchImpl?: typeof fetch;
  session?: HubLogin;
}): { token: () => Promise<string>; renewToken: () => Promise<string> } {
  const now = o.now ?? Date.now;
  let session: HubLogin | null = o.session ?? null;
  const login = async () => {
    const password = await o.secrets.get(hubSecretRef(o.url, o.username));
    if (password === null) throw new HubError('hub/refused', say('hubNoStoredPassword', { username: o.username, host: new URL(o.url).host }));
    session = await loginToHub(o.url, o.username, password, o.fetchImpl);
    return session.token;
  };
  return {
    token: async () => (session && session.expiresAt - now() > 60_000 ? session.token : login()),
    renewToken: login,
  };
}
