// "Export data" and "Erase customer…" in the profile pane. The export arrives as text and is offered
// as a download (a Blob behind a temporary link; the page does not navigate). Erase is for admins and
// asks for the customer's name.
import { useState } from 'react';
import type { CustomerProfile } from '../../../shared/domain';
import { getApi } from '../api';
import { useConversationStore } from '../state/conversation';
import { useCustomerStore } from '../state/customer';
import { messageOf } from '../state/errors';
import { useSessionStore } from '../state/session';
import { PrivacyDialog } from './PrivacyDialog';
import './privacy.css';

function download(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PrivacyActions({ profile }: { profile: CustomerProfile }) {
  const role = useSessionStore((s) => s.info?.agent.role ?? null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [erasing, setErasing] = useState(false);

  const exportData = async (format: 'csv' | 'json') => {
    setError(null);
    setStatus('Preparing the export…');
    try {
      const out = await getApi().exportCustomer({ customerId: profile.id, format });
      download(out.fileName, out.mimeType, out.content);
      setStatus(`Exported ${out.events} ${out.events === 1 ? 'event' : 'events'}${out.excluded.length ? `; ${out.excluded.map((x) => x.note).join(' ')}` : '.'}`);
    } catch (e) {
      setStatus(null);
      setError(messageOf(e, 'The export could not be made.'));
    }
  };

  return (
    <section className="profile-section" aria-label="Privacy">
      <h3>Privacy</h3>
      <div className="privacy-actions">
        <button type="button" className="btn btn-small" onClick={() => void exportData('csv')}>
          Export data
        </button>
        <button type="button" className="btn btn-small" onClick={() => void exportData('json')} aria-label="Export data as JSON">
          JSON
        </button>
        {role === 'admin' && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => setErasing(true)}>
            Erase customer…
          </button>
        )}
      </div>
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {erasing && (
        <PrivacyDialog
          title={`Erase ${profile.name}?`}
          intro={
            <p>
              Every message, call, note, ticket and email of this customer is removed from this desktop, on every channel. This cannot be undone. Type <strong>{profile.name}</strong> to confirm.
            </p>
          }
          label="Customer's name"
          confirmLabel="Erase customer"
          danger
          ready={(v) => v.trim() === profile.name.trim()}
          onConfirm={async (confirm) => {
            const result = await getApi().eraseCustomer({ customerId: profile.id, confirm });
            useCustomerStore.getState().clear();
            useConversationStore.getState().close();
            setStatus(`Erased. ${result.hub.detail}`);
          }}
          onClose={() => setErasing(false)}
        />
      )}
    </section>
  );
}
