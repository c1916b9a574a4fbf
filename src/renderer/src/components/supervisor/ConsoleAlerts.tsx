// Supervisor banners over the workspace: a channel that is down (while it is down), and each new
// conversation about to breach or past its first-response SLA (until dismissed). The desktop app
// also shows them as OS notifications; in headless mode these banners are the alert.
import { useTranslation } from 'react-i18next';
import { channelLabel } from '../../labels';
import { currentLocale } from '../../i18n';
import { storedSentenceOf } from '../../serverErrors';
import { useLiveConsoleStore, type ConsoleAlert } from '../../state/liveConsole';
import { useIsSupervisor } from '../../state/supervisor';
import './liveConsole.css';

const clock = (at: number) => new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit' }).format(at);

export function ConsoleAlerts() {
  const { t } = useTranslation('console');
  const isSupervisor = useIsSupervisor();
  const outages = useLiveConsoleStore((s) => s.snapshot?.outages);
  const alerts = useLiveConsoleStore((s) => s.alerts);
  if (!isSupervisor) return null;
  const sla = alerts.filter((a): a is ConsoleAlert & { kind: 'atRisk' | 'breached' } => a.kind !== 'outage');
  if ((outages?.length ?? 0) === 0 && sla.length === 0) return null;
  return (
    <section className="console-alerts" aria-label={t('alertsLabel')}>
      {outages?.map((o) => (
        <div key={`${o.channel}:${o.since}`} className="console-alert outage" role="alert" title={storedSentenceOf(o.detail, o.detailText)}>
          {o.backup
            ? t('outage', { channel: channelLabel(o.channel), time: clock(o.since), backup: channelLabel(o.backup) })
            : t('outageNoBackup', { channel: channelLabel(o.channel), time: clock(o.since) })}
        </div>
      ))}
      {sla.map((a) => {
        const contact = a.contact ?? `#${a.conversationId ?? ''}`;
        return (
          <div key={a.key} className={`console-alert ${a.kind}`} role="alert">
            <span>{t(a.kind === 'breached' ? 'alertBreached' : 'alertAtRisk', { contact, channel: channelLabel(a.channel) })}</span>
            <span className="console-alert-actions">
              <button type="button" className="link-btn" onClick={() => useLiveConsoleStore.getState().openConsole()}>
                {t('openConsole')}
              </button>
              <button type="button" className="btn btn-quiet btn-sm" aria-label={t('dismissLabel', { contact })} onClick={() => useLiveConsoleStore.getState().dismiss(a.key)}>
                {t('dismiss')}
              </button>
            </span>
          </div>
        );
      })}
    </section>
  );
}
