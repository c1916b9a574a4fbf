// The body of an email in the timeline: the fetched HTML in the sandboxed EmailFrame (cid: images
// from /attachments/<sha256> on the workspace's own origin), its attachments as downloads, and the
// plain text when the mail has no HTML or is not a fetched mail (demo data, replies).
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmailAttachment } from '../../../shared/contract';
import type { TimelineEvent } from '../../../shared/domain';
import { EmailFrame } from '../email/EmailFrame';
import { formatSize } from '../numbers';
import { useEmailContentStore } from '../state/emailContent';

export function attachmentUrl(sha256: string): string {
  return `/attachments/${sha256}`;
}

function Attachments({ attachments }: { attachments: readonly EmailAttachment[] }) {
  const { t } = useTranslation('conversation');
  if (attachments.length === 0) return null;
  return (
    <ul className="tl-attachments" aria-label={t('attachments')}>
      {attachments.map((a) => (
        <li key={a.sha256}>
          <a href={attachmentUrl(a.sha256)} download={a.filename ?? t('attachment')} rel="noreferrer">
            {a.filename ?? t('attachment')}
          </a>{' '}
          <span className="muted">({formatSize(a.size)})</span>
        </li>
      ))}
    </ul>
  );
}

export function EmailBody({ event }: { event: TimelineEvent }) {
  const entry = useEmailContentStore((s) => s.byEvent[event.id]);
  const { t } = useTranslation('conversation');
  useEffect(() => {
    void useEmailContentStore.getState().load(event.id);
  }, [event.id]);
  const content = entry?.state === 'ready' ? entry.content : null;
  const attachments = content?.attachments;
  const resolveCid = useCallback(
    (cid: string) => {
      const part = attachments?.find((a) => a.contentId !== null && a.contentId.replace(/^<|>$/g, '') === cid);
      return part ? `${window.location.origin}${attachmentUrl(part.sha256)}` : null;
    },
    [attachments],
  );
  const sender = content?.sender ?? null;
  const onAllowRemote = useCallback(() => {
    if (sender) void useEmailContentStore.getState().allowRemote(sender);
  }, [sender]);

  if (content?.html) {
    // cid images shown in the HTML need no second listing; everything else is a download.
    const listed = content.attachments.filter((a) => !(a.inline && a.contentId && content.html!.includes(a.contentId.replace(/^<|>$/g, ''))));
    return (
      <>
        <EmailFrame html={content.html} allowRemote={content.remoteContentAllowed} onAllowRemote={onAllowRemote} resolveCid={resolveCid} title={t('emailFrom', { author: event.authorName })} />
        <Attachments attachments={listed} />
      </>
    );
  }
  return (
    <>
      <div className="tl-body">{event.body}</div>
      {content && <Attachments attachments={content.attachments} />}
    </>
  );
}
