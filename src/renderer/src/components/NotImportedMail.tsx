// Settings → Mailboxes: a mailbox's mail that was not imported (empty, too large, unreadable, a loop…),
// as a disclosure under the mailbox. The mail stays on the server, so each row names where an admin
// finds it (folder, UID, Message-ID) and main's reason in the agent's language. Nothing shows when
// every message was imported.
import { useEffect, type ReactNode } from 'react';
import type { MailAccountView, QuarantinedMailView } from '../../../shared/contract';
import { dateFormats } from '../dates';
import { t } from '../i18n';
import { formatSize } from '../numbers';
import { storedSentenceOf } from '../serverErrors';
import { useMailAccountsStore } from '../state/mailAccounts';

function NotImportedRow({ mail }: { mail: QuarantinedMailView }) {
  const received = (
    <time dateTime={new Date(mail.receivedAt).toISOString()} title={dateFormats().full(mail.receivedAt)}>
      {dateFormats().eventTime(mail.receivedAt)}
    </time>
  );
  // The Message-ID last, on a line of its own: it is long, and what an admin searches the server for.
  const facts: Array<[string, ReactNode]> = [
    [t('settings:notImported.received'), received],
    [t('settings:notImported.sender'), mail.fromAddress ?? t('settings:notImported.unknownSender')],
    [t('settings:notImported.size'), mail.size === null ? t('settings:notImported.unknownSize') : formatSize(mail.size)],
    [t('settings:notImported.folder'), mail.folder],
    [t('settings:notImported.uid'), String(mail.uid)],
    [t('settings:notImported.messageId'), mail.messageId ?? t('settings:notImported.none')],
  ];
  return (
    <li className="not-imported-item">
      <p className="not-imported-reason">{storedSentenceOf(mail.reason, mail.reasonText)}</p>
      <dl className="not-imported-facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

export function NotImportedMail({ account }: { account: MailAccountView }) {
  const read = useMailAccountsStore((s) => s.notImported[account.id]);
  // Read again when the mailbox settles after a sync: that is when new mail may have been set aside.
  const settled = account.status === 'idle' || account.status === 'error';
  useEffect(() => {
    if (settled) void useMailAccountsStore.getState().loadNotImported(account.id);
  }, [account.id, settled, account.lastConnectedAt]);
  if (read === undefined) return null;
  if (read === 'failed') return <p className="form-error small not-imported">{t('settings:notImported.failed')}</p>;
  if (read.total === 0) return null;
  return (
    <details
      className="not-imported"
      onToggle={(e) => {
        if (e.currentTarget.open) void useMailAccountsStore.getState().loadNotImported(account.id);
      }}
    >
      <summary>{t('settings:notImported.summary', { count: read.total })}</summary>
      <p className="muted small">
        {t('settings:notImported.hint')}
        {read.total > read.messages.length && ` ${t('settings:notImported.newest', { count: read.messages.length })}`}
      </p>
      <ul className="not-imported-list" aria-label={t('settings:notImported.list', { name: account.name })}>
        {read.messages.map((m) => (
          <NotImportedRow key={m.id} mail={m} />
        ))}
      </ul>
    </details>
  );
}
