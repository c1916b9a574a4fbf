// The files an outgoing reply carried (its metadata lists them; main serves the bytes at
// /attachments/<sha256> as downloads). Received email shows its own attachments in EmailBody.
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formatBytes } from '../numbers';
import { ComposerAttachment } from '../../../shared/contractComposer';
import type { TimelineEvent } from '../../../shared/domain';
import { attachmentUrl } from './EmailBody';
import './composer.css';

const Files = z.array(ComposerAttachment);

export function MessageFiles({ event }: { event: TimelineEvent }) {
  const parsed = Files.safeParse(event.metadata.attachments);
  const { t } = useTranslation('conversation');
  if (!parsed.success || parsed.data.length === 0) return null;
  return (
    <ul className="tl-files" aria-label={t('attachments')}>
      {parsed.data.map((f) => (
        <li key={f.sha256}>
          <a href={attachmentUrl(f.sha256)} download={f.name} rel="noreferrer">
            <span>{f.name}</span>
            <span className="tl-file-size">{formatBytes(f.size)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
