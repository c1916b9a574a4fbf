// "Transfer…" on a hub conversation: to a named agent (from the hub's agent directory, with their
// presence and load; offline or full agents are listed but disabled with the reason) or to a
// channel's queue, with a note for the next agent that lands on the case.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DirectoryAgent } from '../../../shared/contractHub';
import { CHANNELS, type Channel } from '../../../shared/domain';
import { t } from '../i18n';
import { channelLabel, presenceLabel } from '../labels';
import type { CaseMeta } from '../state/caseStatus';
import { messageOf } from '../state/errors';
import { hubApi, selectHubStatus, useHubStore } from '../state/hub';
import './team.css';
import { sentenceOf } from '../serverErrors';

function loadLine(a: DirectoryAgent, channel: Channel): string {
  const load = a.load[channel] ?? 0;
  const capacity = a.capacity[channel];
  return capacity === undefined ? t('caseActions:loadOpen', { load, channel: channelLabel(channel) }) : t('caseActions:loadOf', { load, capacity, channel: channelLabel(channel) });
}

/** The agent's strongest skills ("billing 4, technical 3"), or '' when none are set. */
function skillsLine(a: DirectoryAgent): string {
  return Object.entries(a.skills)
    .sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0))
    .slice(0, 2)
    .map(([skill, level]) => `${skill.replace(/_/g, ' ')} ${level}`)
    .join(', ');
}

export function TransferAction({ meta, disabled }: { meta: CaseMeta; disabled?: boolean }) {
  const status = useHubStore(selectHubStatus);
  const [open, setOpen] = useState(false);
  if (!status || status.state !== 'online') return null;
  return (
    <>
      <button type="button" className="btn" aria-haspopup="dialog" disabled={disabled} onClick={() => setOpen(true)}>
        {t('caseActions:transferOpen')}
      </button>
      {open && <TransferDialog meta={meta} selfId={status.agent?.id ?? null} onClose={() => setOpen(false)} />}
    </>
  );
}

function TransferDialog({ meta, selfId, onClose }: { meta: CaseMeta; selfId: number | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [agents, setAgents] = useState<DirectoryAgent[] | null>(null);
  const [mode, setMode] = useState<'agent' | 'queue'>('agent');
  const [agentId, setAgentId] = useState<number | null>(null);
  const [queue, setQueue] = useState<Channel>(meta.channel);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    let live = true;
    hubApi()
      .agentDirectory({ channel: meta.channel })
      .then(({ agents: list, self }) => {
        if (!live) return;
        const others = list.filter((a) => a.agentId !== (self ?? selfId));
        setAgents(others);
        setAgentId(others.find((a) => a.available)?.agentId ?? null);
      })
      .catch((e: unknown) => live && (setAgents([]), setProblem(messageOf(e, t('caseActions:teamFailed')))));
    return () => {
      live = false;
    };
  }, [meta.channel, selfId]);

  const close = () => {
    ref.current?.close();
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'agent' && agentId === null) return setProblem(t('caseActions:pickAgent'));
    setBusy(true);
    setProblem(null);
    try {
      const to = mode === 'agent' ? { agentId: agentId! } : { queue };
      await hubApi().transferCase({ caseId: meta.caseId, to, ...(note.trim() ? { note: note.trim() } : {}) });
      close();
    } catch (err) {
      setProblem(messageOf(err, t('caseActions:transferFailed')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="resolve-dialog transfer-dialog" aria-labelledby={`${id}-t`} onCancel={close} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id={`${id}-t`}>{t('caseActions:transferTitle', { caseId: meta.caseId })}</h2>
        <fieldset className="transfer-mode">
          <legend>{t('caseActions:transferTo')}</legend>
          <label>
            <input type="radio" name={`${id}-mode`} checked={mode === 'agent'} onChange={() => setMode('agent')} /> {t('caseActions:anAgent')}
          </label>
          <label>
            <input type="radio" name={`${id}-mode`} checked={mode === 'queue'} onChange={() => setMode('queue')} /> {t('caseActions:aQueue')}
          </label>
        </fieldset>
        {mode === 'agent' ? (
          <fieldset className="resolve-codes transfer-agents" aria-busy={agents === null}>
            <legend>{t('caseActions:agent')}</legend>
            {agents === null && <p className="muted">{t('caseActions:readingTeam')}</p>}
            {agents?.length === 0 && !problem && <p className="muted">{t('caseActions:nobody')}</p>}
            {agents?.map((a) => (
              <label key={a.agentId} className={`resolve-code transfer-agent${a.available ? '' : ' is-unavailable'}`}>
                <input
                  type="radio"
                  name={`${id}-agent`}
                  value={a.agentId}
                  checked={agentId === a.agentId}
                  disabled={!a.available}
                  aria-describedby={`${id}-a${a.agentId}`}
                  onChange={() => setAgentId(a.agentId)}
                />
                <span className="transfer-agent-name">{a.displayName}</span>
                <span id={`${id}-a${a.agentId}`} className="transfer-agent-detail">
                  {a.available ? [presenceLabel(a.presence), loadLine(a, meta.channel), skillsLine(a)].filter(Boolean).join(' · ') : sentenceOf({ message: a.unavailableReason ?? '', ...(a.unavailableText ?? {}) })}
                </span>
              </label>
            ))}
          </fieldset>
        ) : (
          <label className="link-case-field">
            <span>{t('caseActions:queue')}</span>
            <select value={queue} onChange={(e) => setQueue(e.target.value as Channel)}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {channelLabel(c)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="link-case-field">
          <span>{t('caseActions:transferNote')}</span>
          <textarea rows={3} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {problem && (
          <p className="conv-action-error" role="alert">
            {problem}
          </p>
        )}
        <div className="resolve-actions">
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('caseActions:cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || (mode === 'agent' && agentId === null)}>
            {busy ? t('caseActions:transferring') : t('caseActions:transfer')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
