// The right sidebar: who the customer is, merged from every identity they have used.
import type { ReactNode } from 'react';
import { CHANNEL_LABELS, type CustomerProfile, type Identity } from '../../../shared/domain';
import { dateFormats } from '../dates';
import { capitalize, initials } from '../format';
import { openConversation } from '../state/actions';
import { selectNow, useClockStore } from '../state/clock';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, selectProfileError, selectProfileStatus, useCustomerStore } from '../state/customer';
import { ChannelIcon } from './ChannelIcon';
import { PrivacyActions } from './ExportButton';

export function ProfilePane() {
  const profile = useCustomerStore(selectProfile);
  const status = useCustomerStore(selectProfileStatus);
  const error = useCustomerStore(selectProfileError);
  let body: ReactNode;
  if (status === 'idle') body = <p className="pane-state">Open a conversation to see who the customer is.</p>;
  else if (status === 'loading' && !profile) body = <p className="pane-state">Loading the profile…</p>;
  else if (status === 'error' || !profile) {
    body = (
      <div className="pane-state error" role="alert">
        <p>The profile could not be loaded. {error}</p>
        <button type="button" className="btn" onClick={() => void useCustomerStore.getState().reload()}>
          Try again
        </button>
      </div>
    );
  } else body = <Profile profile={profile} />;
  return (
    <aside className="pane profile-pane" aria-label="Customer profile">
      {body}
    </aside>
  );
}

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function localTime(timeZone: string, now: number): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).format(now);
  } catch {
    return null;
  }
}

function healthWord(score: number): string {
  return score >= 70 ? 'Healthy' : score >= 40 ? 'At risk' : 'Critical';
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="profile-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function IdentityRow({ identity }: { identity: Identity }) {
  const label = identity.kind === 'social' ? capitalize(identity.platform || 'Social') : capitalize(identity.kind);
  return (
    <li className="identity">
      <span className="identity-kind">{label}</span>
      <span className="identity-value" title={identity.value}>
        {/* A phone number dials through the softphone (a tel: link). */}
        {identity.kind === 'phone' ? <a href={`tel:${identity.value}`}>{identity.display || identity.value}</a> : identity.display || identity.value}
      </span>
      {identity.verified ? (
        <svg className="verified" width="14" height="14" viewBox="0 0 24 24" role="img" aria-label="Verified">
          <circle cx="12" cy="12" r="10" fill="currentColor" />
          <path d="m7.5 12.5 3 3 6-6.5" fill="none" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      ) : (
        <span className="unverified">Unverified</span>
      )}
    </li>
  );
}

function Profile({ profile }: { profile: CustomerProfile }) {
  const openCaseId = useConversationStore(selectOpenCaseId);
  const formats = dateFormats();
  const now = useClockStore(selectNow);
  const time = profile.timezone ? localTime(profile.timezone, now) : null;
  return (
    <div className="profile">
      <div className="profile-head">
        <span className="avatar avatar-lg" aria-hidden="true">
          {initials(profile.name)}
        </span>
        <div className="profile-id">
          <h2 className="profile-name">{profile.name}</h2>
          {(profile.title || profile.company) && (
            <p className="profile-role">
              {profile.title && <span>{profile.title}</span>}
              {profile.title && profile.company && <span aria-hidden="true"> · </span>}
              {profile.company && <span>{profile.company}</span>}
            </p>
          )}
          <p className="profile-badges">
            <span className={`badge tier tier-${profile.tier}`}>{capitalize(profile.tier)}</span>
            {profile.vip && <span className="badge badge-vip">VIP</span>}
          </p>
        </div>
      </div>

      {profile.healthScore !== null && (
        <div className="health">
          <div className="health-top">
            <span id="health-label">Health score</span>
            <span className={`health-value h-${healthWord(profile.healthScore).replace(' ', '-').toLowerCase()}`}>
              {profile.healthScore} · {healthWord(profile.healthScore)}
            </span>
          </div>
          <meter aria-labelledby="health-label" min={0} max={100} low={40} high={70} optimum={100} value={profile.healthScore}>
            {profile.healthScore} of 100
          </meter>
        </div>
      )}

      <dl className="facts">
        <dt>Language</dt>
        <dd>{profile.language ? languageName(profile.language) : '—'}</dd>
        <dt>Timezone</dt>
        <dd>
          {profile.timezone ?? '—'}
          {time && <span className="muted"> · {time} local</span>}
        </dd>
        <dt>Prefers</dt>
        <dd>
          {profile.preferredChannel ? (
            <span className="inline-channel">
              <ChannelIcon channel={profile.preferredChannel} size={13} />
              {CHANNEL_LABELS[profile.preferredChannel]}
            </span>
          ) : (
            '—'
          )}
        </dd>
      </dl>

      <Section title="Channels used">
        {profile.channelsUsed.length === 0 ? (
          <p className="muted">No conversations yet.</p>
        ) : (
          <ul className="channels-used">
            {profile.channelsUsed.map((c) => (
              <li key={c.channel} className={`ch-${c.channel}`}>
                <ChannelIcon channel={c.channel} size={13} />
                <span>{CHANNEL_LABELS[c.channel]}</span>
                <span className="count">{c.count}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Identities">
        {profile.identities.length === 0 ? (
          <p className="muted">No known addresses.</p>
        ) : (
          <ul className="identities">
            {profile.identities.map((i) => (
              <IdentityRow key={`${i.kind}:${i.platform}:${i.value}`} identity={i} />
            ))}
          </ul>
        )}
      </Section>

      <Section title={`Open tickets (${profile.openCases.length})`}>
        {profile.openCases.length === 0 ? (
          <p className="muted">No open tickets.</p>
        ) : (
          <ul className="open-cases">
            {profile.openCases.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className={`case-link${c.id === openCaseId ? ' is-current' : ''}`}
                  aria-current={c.id === openCaseId ? 'true' : undefined}
                  onClick={() => void openConversation(profile.id, c.id)}
                >
                  <span className="case-line">
                    <ChannelIcon channel={c.channel} size={12} />
                    <span className="case-no">#{c.id}</span>
                    <span className="case-subject">{c.subject}</span>
                  </span>
                  <span className="case-tags">
                    <span className={`dot prio-${c.priority}`} aria-hidden="true" />
                    {capitalize(c.priority)} · {capitalize(c.status)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="closed-count">
          <strong>{profile.closedLast30Days}</strong> closed in the last 30 days
        </p>
      </Section>

      <Section title="Notes">
        {profile.notes.length === 0 ? (
          <p className="muted">No notes about this customer.</p>
        ) : (
          <ul className="notes">
            {profile.notes.map((n) => (
              <li key={n.id}>
                <p className="note-body">{n.body}</p>
                <p className="note-meta">
                  {n.authorName} · {formats.day(n.createdAt)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <PrivacyActions profile={profile} />
    </div>
  );
}
