// The files of a reply in the composer: the "Attach files" button (a hidden file input behind a
// real button, so it is keyboard reachable), the staged files with a Remove button each, and the
// files still uploading with their progress. Drag-and-drop and paste are wired by the Composer.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../numbers';
import type { ComposerAttachment } from '../../../shared/contractComposer';
import type { Upload } from '../state/composer';

export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const { t } = useTranslation('composer');
  return (
    <>
      <button type="button" className="btn btn-small composer-attach" onClick={() => input.current?.click()} disabled={disabled} title={t('attachHint')}>
        <svg viewBox="0 0 24 24" aria-hidden="true" width="14" height="14">
          <path d="M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.6-5.6l-7.8 7.8a6 6 0 0 0 8.5 8.5l6.4-6.4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        {t('attach')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t('filesToAttach')}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}

export function AttachmentList({ files, uploading, onRemove }: { files: readonly ComposerAttachment[]; uploading: readonly Upload[]; onRemove: (sha256: string) => void }) {
  const { t } = useTranslation('composer');
  if (files.length === 0 && uploading.length === 0) return null;
  return (
    <ul className="composer-files" aria-label={t('attached')}>
      {files.map((f) => (
        <li key={f.sha256} className="composer-file">
          <span className="composer-file-name">{f.name}</span>
          <span className="composer-file-size">{formatBytes(f.size)}</span>
          <button type="button" className="btn-icon composer-file-remove" aria-label={t('remove', { name: f.name })} title={t('remove', { name: f.name })} onClick={() => onRemove(f.sha256)}>
            ×
          </button>
        </li>
      ))}
      {uploading.map((u) => (
        <li key={u.id} className="composer-file is-uploading">
          <span className="composer-file-name">{u.name}</span>
          <progress max={u.size} value={u.sent} aria-label={t('uploading', { name: u.name })} />
        </li>
      ))}
    </ul>
  );
}
