// The right sidebar: who the customer is, merged from every identity they have used.
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { CustomerProfile, Identity } from '../../../shared/domain';
import { dateFormats } from '../dates';
import { capitalize, initials } from '../format';
import { currentLocale, t } from '../i18n';
import { channelLabel, priorityLabel, statusLabel, tierLabel } from '../labels';
import { formatNumber } from '../numbers';
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
  useTranslation(); // the pane reads the catalogs through `t`; this re-renders it on a language switch
  let body: ReactNode;
  if (status === 'idle') body = <p className="pane-state">{t('profile:idle')}</p>;
  else if (status === 'loading' && !profile) body = <p className="pane-state">{t('profile:loading')}</p>;
  else if (status === 'error' || !profile) {
    body = (
      <div className="pane-state error" role="alert">
        <p>{t('profile:failed', { error })}</p>
        <button type="button" className="btn" onClick={() => void useCustomerStore.getState().reload()}>
          {t('profile:retry')}
        </button>
      </div>
    );
  } else body = <Profile profile={profile} />;
  return (
    <aside className="pane profile-pane" aria-label={t('profile:pane')}>
      {body}
    </aside>
  );
}

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(currentLocale(), { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function localTime(timeZone: string, now: number): string | null {
  try {
    return new Intl.DateTimeFormat(currentLocale(), { hour: 'numeric', minute: '2-digit', timeZone }).format(now);
  } catch {
    return null;
  }
}

/** The health band: its class name and, through the catalog, its word. */
function healthBand(score: number): 'healthy' | 'at-risk' | 'critical' {
  return score >= 70 ? 'healthy' : score >= 40 ? 'at-risk' : 'critical';
}
const healthWord = (score: number): string => {
  const band = healthBand(score);
  return t(band === 'healthy' ? 'profile:health.healthy' : band === 'at-risk' ? 'profile:health.atRisk' : 'profile:health.critical');
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="profile-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function IdentityRow({ identity }: { identity: Identity }) {
  const label = identity.kind === 'social' && identity.platform ? capitalize(identity.platform) : t(`enums:identity.${identity.kind}`);
  return (
    <li className="identity">
      <span className="identity-kind">{label}</span>
      <span className="identity-value" title={identity.value}>
        {/* A phone number dials through the softphone (a tel: link). */}
        {identity.kind === 'phone' ? <a href={`tel:${identity.value}`}>{identity.display || identity.value}</a> : identity.display || identity.value}
      </span>
      {identity.verified ? (
        <svg className="verified" width="14" height="14" viewBox="0 0 24 24" role="img" aria-label={t('profile:verified')}>
          <circle cx="12" cy="12" r="10" fill="currentColor" />
          <path d="m7.5 12.5 3 3 6-6.5" fill="none" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      ) : (
        <span className="unverified">{t('profile:unverified')}</span>
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
            <span className={`badge tier tier-${profile.tier}`}>{tierLabel(profile.tier)}</span>
            {profile.vip && <span className="badge badge-vip">VIP</span>}
          </p>
        </div>
      </div>

      {profile.healthScore !== null && (
        <div className="health">
          <div className="health-top">
            <span id="health-label">{t('profile:healthScore')}</span>
            <span className={`health-value h-${healthBand(profile.healthScore)}`}>
              {formatNumber(profile.healthScore)} · {healthWord(profile.healthScore)}
            </span>
          </div>
          <meter aria-labelledby="health-label" min={0} max={100} low={40} high={70} optimum={100} value={profile.healthScore}>
            {t('profile:healthOf100', { score: formatNumber(profile.healthScore) })}
          </meter>
        </div>
      )}

      <dl className="facts">
        <dt>{t('profile:language')}</dt>
        <dd>{profile.language ? languageName(profile.language) : '—'}</dd>
        <dt>{t('profile:timezone')}</dt>
        <dd>
          {profile.timezone ?? '—'}
          {time && <span className="muted">{t('profile:localTime', { time })}</span>}
        </dd>
        <dt>{t('profile:prefers')}</dt>
        <dd>
          {profile.preferredChannel ? (
            <span className="inline-channel">
              <ChannelIcon channel={profile.preferredChannel} size={13} />
              {channelLabel(profile.preferredChannel)}
            </span>
          ) : (
            '—'
          )}
        </dd>
      </dl>

      <Section title={t('profile:channelsUsed')}>
        {profile.channelsUsed.length === 0 ? (
          <p className="muted">{t('profile:noConversations')}</p>
        ) : (
          <ul className="channels-used">
            {profile.channelsUsed.map((c) => (
              <li key={c.channel} className={`ch-${c.channel}`}>
                <ChannelIcon channel={c.channel} size={13} />
                <span>{channelLabel(c.channel)}</span>
                <span className="count">{formatNumber(c.count)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('profile:identities')}>
        {profile.identities.length === 0 ? (
          <p className="muted">{t('profile:noIdentities')}</p>
        ) : (
          <ul className="identities">
            {profile.identities.map((i) => (
              <IdentityRow key={`${i.kind}:${i.platform}:${i.value}`} identity={i} />
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('profile:openTickets', { count: profile.openCases.length })}>
        {profile.openCases.length === 0 ? (
          <p className="muted">{t('profile:noOpenTickets')}</p>
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
                    {priorityLabel(c.priority)} · {statusLabel(c.status)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="closed-count">
          <Trans ns="profile" i18nKey="closedRecently" values={{ count: formatNumber(profile.closedLast30Days) }} components={{ strong: <strong /> }} />
        </p>
      </Section>

      <Section title={t('profile:notes')}>
        {profile.notes.length === 0 ? (
          <p className="muted">{t('profile:noNotes')}</p>
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
