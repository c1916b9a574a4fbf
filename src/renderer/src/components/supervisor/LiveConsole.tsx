// The supervisor's live console: each channel's queue (depth, longest wait, SLA at risk and
// breached), the longest-waiting conversations (take one, or give it to an agent), and the agents
// with their state and load per channel (change a capacity); each agent's row opens to the
// conversations they hold (move one to an agent with room, or take it). Fed by the hub's pushed
// snapshots; the waits count on locally, once a second, from the snapshot's time (main is never polled).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, type Channel } from '../../../../shared/domain';
import { channelLabel, presenceLabel } from '../../labels';
import { reassignTargets } from '../../../../shared/supervisor/reassignTargets';
import { dateFormats } from '../../dates';
import { currentLocale } from '../../i18n';
import { useLiveConsoleStore, type AgentState, type Capacity, type TeamSnapshot } from '../../state/liveConsole';
import './dashboard.css';
import './liveConsole.css';

/** "4:05" or "1:02:09": a wait as a supervisor reads it. */
export function waitText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The hub's time now, ticking every second while the console is open. */
function useHubNow(skewMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now + skewMs;
}

export default function LiveConsole() {
  const { t } = useTranslation('console');
  const { snapshot, skewMs, loading, error, result } = useLiveConsoleStore();
  const now = useHubNow(skewMs);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="dashboard live-console" aria-labelledby="console-title" aria-busy={loading}>
      <div className="dash-head">
        <h1 id="console-title" ref={heading} tabIndex={-1}>
          {t('title')}
        </h1>
        <button type="button" className="btn btn-quiet" onClick={() => useLiveConsoleStore.getState().closeConsole()}>
          {t('back')}
        </button>
      </div>
      {snapshot?.at !== undefined && (
        <p className="console-updated">{t('updated', { time: new Intl.DateTimeFormat(currentLocale(), { timeStyle: 'medium' }).format(snapshot.at) })}</p>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <div className={`console-result${result ? ` ${result.tone}` : ''}`} role="status">
        {result?.text ?? ''}
      </div>
      {snapshot ? (
        <>
          <Queues snapshot={snapshot} now={now} />
          <Waiting snapshot={snapshot} now={now} />
          <Agents snapshot={snapshot} now={now} />
        </>
      ) : (
        !error && <p className="dash-empty">{t('loading')}</p>
      )}
    </main>
  );
}

function Queues({ snapshot, now }: { snapshot: TeamSnapshot; now: number }) {
  const { t } = useTranslation('console');
  const id = useId();
  const queues = [...snapshot.queues].sort((a, b) => CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel));
  const oldest = queues.reduce<number | null>((m, q) => (q.oldestSince === null ? m : m === null ? q.oldestSince : Math.min(m, q.oldestSince)), null);
  const sum = (k: 'waiting' | 'atRisk' | 'breached') => queues.reduce((n, q) => n + q[k], 0);
  return (
    <section className="dash-card console-card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('queuesTitle')}</h2>
      {queues.length === 0 ? (
        <p className="dash-empty">{t('queuesEmpty')}</p>
      ) : (
        <table className="dash-table console-queues">
          <thead>
            <tr>
              <th scope="col">{t('channel')}</th>
              <th scope="col">{t('waiting')}</th>
              <th scope="col">{t('longestWait')}</th>
              <th scope="col">{t('atRisk')}</th>
              <th scope="col">{t('breached')}</th>
              <th scope="col">{t('sla')}</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.channel} data-channel={q.channel}>
                <th scope="row">{channelLabel(q.channel)}</th>
                <td>{q.waiting}</td>
                <td>{q.oldestSince === null ? '—' : waitText(now - q.oldestSince)}</td>
                <td className={q.atRisk > 0 ? 'warn' : undefined}>{q.atRisk}</td>
                <td className={q.breached > 0 ? 'bad' : undefined}>{q.breached}</td>
                <td>{waitText(q.slaSeconds * 1000)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('total')}</th>
              <td>{sum('waiting')}</td>
              <td>{oldest === null ? '—' : waitText(now - oldest)}</td>
              <td>{sum('atRisk')}</td>
              <td>{sum('breached')}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function Waiting({ snapshot, now }: { snapshot: TeamSnapshot; now: number }) {
  const { t } = useTranslation('console');
  const id = useId();
  const busy = useLiveConsoleStore((s) => s.busy);
  const [target, setTarget] = useState<Record<number, number>>({});
  const slaLabel = { ok: t('slaOk'), atRisk: t('slaAtRisk'), breached: t('slaBreached') } as const;
  return (
    <section className="dash-card console-card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('waitingTitle')}</h2>
      {snapshot.waiting.length === 0 ? (
        <p className="dash-empty">{t('waitingEmpty')}</p>
      ) : (
        <table className="dash-table console-waiting">
          <thead>
            <tr>
              <th scope="col">{t('contact')}</th>
              <th scope="col">{t('channel')}</th>
              <th scope="col">{t('waitingFor')}</th>
              <th scope="col">{t('slaState')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.waiting.map((w) => {
              const chosen = target[w.conversationId];
              const eligible = snapshot.agents.filter((a) => (a.capacity[w.channel] ?? 0) > 0);
              return (
                <tr key={w.conversationId}>
                  <th scope="row">
                    {w.contact}
                    {w.subject && <span className="console-subject">{w.subject}</span>}
                  </th>
                  <td>{channelLabel(w.channel)}</td>
                  <td>{w.waitingSince === null ? '—' : waitText(now - w.waitingSince)}</td>
                  <td>
                    <span className={`console-sla ${w.sla}`}>{slaLabel[w.sla]}</span>
                  </td>
                  <td className="console-actions">
                    <button type="button" className="btn" disabled={busy} aria-label={t('takeLabel', { contact: w.contact })} onClick={() => void useLiveConsoleStore.getState().take(w.conversationId)}>
                      {t('take')}
                    </button>
                    <select
                      aria-label={t('giveToLabel', { contact: w.contact })}
                      value={chosen ?? ''}
                      onChange={(e) => setTarget({ ...target, [w.conversationId]: Number(e.target.value) })}
                    >
                      <option value="">{t('chooseAgent')}</option>
                      {eligible.map((a) => (
                        <option key={a.agentId} value={a.agentId}>
                          {a.displayName} ({presenceLabel(a.presence)}, {a.load[w.channel] ?? 0}/{a.capacity[w.channel] ?? 0})
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="btn"
                      disabled={busy || chosen === undefined}
                      aria-label={t('reassignLabel', { contact: w.contact })}
                      onClick={() => chosen !== undefined && void useLiveConsoleStore.getState().reassign(w.conversationId, chosen)}
                    >
                      {t('reassign')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

const loadText = (a: AgentState, none: string) => {
  const channels = CHANNELS.filter((c) => (a.capacity[c] ?? 0) > 0 || (a.load[c] ?? 0) > 0);
  return channels.length === 0 ? none : channels.map((c) => `${channelLabel(c)} ${a.load[c] ?? 0}/${a.capacity[c] ?? 0}`).join(' · ');
};

function Agents({ snapshot, now }: { snapshot: TeamSnapshot; now: number }) {
  const { t } = useTranslation('console');
  const id = useId();
  const [editing, setEditing] = useState<number | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const held = new Map(snapshot.assigned.map((h) => [h.agentId, h]));
  const agents = [...snapshot.agents].sort((a, b) => a.displayName.localeCompare(b.displayName));
  const count = (pred: (a: AgentState) => boolean) => agents.filter(pred).length;
  return (
    <section className="dash-card console-card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('agentsTitle')}</h2>
      {agents.length === 0 ? (
        <p className="dash-empty">{t('agentsEmpty')}</p>
      ) : (
        <>
          <p className="console-summary">
            {t('summary', {
              available: count((a) => a.connected && a.presence === 'available'),
              busy: count((a) => a.connected && (a.presence === 'busy' || a.presence === 'on_call' || a.presence === 'wrap_up')),
              away: count((a) => a.connected && a.presence === 'away'),
              offline: count((a) => !a.connected || a.presence === 'offline'),
            })}
          </p>
          <table className="dash-table console-agents">
            <thead>
              <tr>
                <th scope="col">{t('agent')}</th>
                <th scope="col">{t('state')}</th>
                <th scope="col">{t('loadCapacity')}</th>
                <th scope="col">{t('heldColumn')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <AgentRow
                  key={a.agentId}
                  agent={a}
                  snapshot={snapshot}
                  held={held.get(a.agentId) ?? null}
                  now={now}
                  editing={editing === a.agentId}
                  onEdit={(on) => setEditing(on ? a.agentId : null)}
                  expanded={expanded.has(a.agentId)}
                  onExpand={(on) => {
                    const next = new Set(expanded);
                    if (on) next.add(a.agentId);
                    else next.delete(a.agentId);
                    setExpanded(next);
                  }}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

type Held = TeamSnapshot['assigned'][number];

interface AgentRowProps {
  agent: AgentState;
  snapshot: TeamSnapshot;
  held: Held | null;
  now: number;
  editing: boolean;
  onEdit: (on: boolean) => void;
  expanded: boolean;
  onExpand: (on: boolean) => void;
}

function AgentRow({ agent, snapshot, held, now, editing, onEdit, expanded, onExpand }: AgentRowProps) {
  const { t } = useTranslation('console');
  const heldId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const state = agent.connected ? presenceLabel(agent.presence) : `${presenceLabel(agent.presence)} (${t('notConnected')})`;
  const total = held?.total ?? 0;
  return (
    <>
      <tr data-agent={agent.agentId}>
        <th scope="row">{agent.displayName}</th>
        <td>
          <span className={`console-presence ${agent.connected ? agent.presence : 'offline'}`}>{state}</span>
        </td>
        <td>{loadText(agent, t('noCapacity'))}</td>
        <td>
          {total === 0 && !expanded ? (
            <span className="console-muted">{t('heldNone')}</span>
          ) : (
            <button
              ref={toggle}
              type="button"
              className="btn btn-quiet console-disclosure"
              aria-expanded={expanded}
              aria-controls={expanded ? heldId : undefined}
              aria-label={t('heldToggleLabel', { count: total, agent: agent.displayName })}
              onClick={() => onExpand(!expanded)}
            >
              <span className="console-caret" aria-hidden="true">
                {expanded ? '▾' : '▸'}
              </span>
              {t('heldCount', { count: total })}
            </button>
          )}
        </td>
        <td>
          <button type="button" className="btn btn-quiet" aria-expanded={editing} aria-label={t('editCapacityLabel', { agent: agent.displayName })} onClick={() => onEdit(!editing)}>
            {t('editCapacity')}
          </button>
        </td>
      </tr>
      {expanded && (
        <tr className="console-held-row">
          <td colSpan={5} id={heldId}>
            <HeldList agent={agent} held={held} snapshot={snapshot} now={now} onMoved={() => toggle.current?.focus()} />
          </td>
        </tr>
      )}
      {editing && (
        <tr className="console-editor-row">
          <td colSpan={5}>
            <CapacityForm agent={agent} onDone={() => onEdit(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

/** One agent's open conversations: since when, the customer's unanswered wait and its SLA; Take, or Reassign to an agent with room. */
function HeldList({ agent, held, snapshot, now, onMoved }: { agent: AgentState; held: Held | null; snapshot: TeamSnapshot; now: number; onMoved: () => void }) {
  const { t } = useTranslation('console');
  const busy = useLiveConsoleStore((s) => s.busy);
  // The row goes when its conversation moves: the keyboard continues from the agent's toggle.
  const settled = (done: Promise<void>) => void done.then(() => useLiveConsoleStore.getState().result?.tone === 'ok' && onMoved());
  const [target, setTarget] = useState<Record<number, number>>({});
  const slaLabel = { ok: t('slaOk'), atRisk: t('slaAtRisk'), breached: t('slaBreached') } as const;
  const conversations = held?.conversations ?? [];
  if (conversations.length === 0) return <p className="dash-empty">{t('heldEmpty', { agent: agent.displayName })}</p>;
  return (
    <>
      <table className="dash-table console-held" aria-label={t('heldTitle', { agent: agent.displayName })}>
        <thead>
          <tr>
            <th scope="col">{t('contact')}</th>
            <th scope="col">{t('channel')}</th>
            <th scope="col">{t('heldSince')}</th>
            <th scope="col">{t('awaitingReply')}</th>
            <th scope="col">{t('slaState')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {conversations.map((c) => {
            const chosen = target[c.conversationId];
            const targets = reassignTargets(snapshot.agents, c.channel, agent.agentId);
            // A choice the team has since made impossible stays listed: the hub then says why.
            const chosenAgent = chosen === undefined || targets.some((a) => a.agentId === chosen) ? null : (snapshot.agents.find((a) => a.agentId === chosen) ?? null);
            return (
              <tr key={c.conversationId} data-conversation={c.conversationId}>
                <th scope="row">{c.contact}</th>
                <td>{channelLabel(c.channel)}</td>
                <td>{c.since === null ? '—' : `${dateFormats().eventTime(c.since)} (${waitText(now - c.since)})`}</td>
                <td>{c.awaitingReplySince !== null ? waitText(now - c.awaitingReplySince) : c.channel === 'email' ? t('notTracked') : t('answered')}</td>
                <td>
                  <span className={`console-sla ${c.sla}`}>{slaLabel[c.sla]}</span>
                </td>
                <td className="console-actions">
                  <button type="button" className="btn" disabled={busy} aria-label={t('takeLabel', { contact: c.contact })} onClick={() => settled(useLiveConsoleStore.getState().take(c.conversationId))}>
                    {t('take')}
                  </button>
                  <select
                    aria-label={t('moveToLabel', { contact: c.contact, agent: agent.displayName })}
                    value={chosen ?? ''}
                    onChange={(e) => {
                      const { [c.conversationId]: _dropped, ...rest } = target;
                      setTarget(e.target.value === '' ? rest : { ...rest, [c.conversationId]: Number(e.target.value) });
                    }}
                  >
                    <option value="">{targets.length === 0 ? t('nobodyFree', { channel: channelLabel(c.channel) }) : t('chooseAgent')}</option>
                    {targets.map((a) => (
                      <option key={a.agentId} value={a.agentId}>
                        {t('targetOption', { agent: a.displayName, load: a.load[c.channel] ?? 0, capacity: a.capacity[c.channel] ?? 0 })}
                      </option>
                    ))}
                    {chosenAgent && (
                      <option value={chosenAgent.agentId}>
                        {t('targetGone', { agent: chosenAgent.displayName, state: chosenAgent.connected ? presenceLabel(chosenAgent.presence) : t('notConnected') })}
                      </option>
                    )}
                  </select>
                  <button
                    type="button"
                    className="btn"
                    disabled={busy || chosen === undefined}
                    aria-label={t('reassignLabel', { contact: c.contact })}
                    onClick={() => chosen !== undefined && settled(useLiveConsoleStore.getState().reassign(c.conversationId, chosen))}
                  >
                    {t('reassign')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {held && held.total > conversations.length && <p className="console-hint">{t('heldMore', { shown: conversations.length, total: held.total })}</p>}
    </>
  );
}

function CapacityForm({ agent, onDone }: { agent: AgentState; onDone: () => void }) {
  const { t } = useTranslation('console');
  const { t: tc } = useTranslation();
  const id = useId();
  const busy = useLiveConsoleStore((s) => s.busy);
  const [values, setValues] = useState<Record<Channel, string>>(() => Object.fromEntries(CHANNELS.map((c) => [c, String(agent.capacity[c] ?? 0)])) as Record<Channel, string>);
  const [invalid, setInvalid] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const capacity: Capacity = {};
    for (const c of CHANNELS) {
      const raw = values[c].trim();
      if (!/^\d{1,2}$/.test(raw) || Number(raw) > 50) return setInvalid(true);
      capacity[c] = Number(raw);
    }
    setInvalid(false);
    await useLiveConsoleStore.getState().setCapacity(agent.agentId, capacity);
    if (useLiveConsoleStore.getState().result?.tone === 'ok') onDone();
  };
  return (
    <form className="console-capacity" noValidate aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <h3 id={`${id}-h`}>{t('capacityTitle', { agent: agent.displayName })}</h3>
      <p id={`${id}-hint`} className="console-hint">
        {t('capacityHint')}
      </p>
      <div className="console-capacity-grid">
        {CHANNELS.map((c, i) => (
          <label key={c}>
            <span aria-hidden="true">{channelLabel(c)}</span>
            <input
              ref={i === 0 ? first : undefined}
              type="number"
              inputMode="numeric"
              min={0}
              max={50}
              step={1}
              aria-label={t('capacityFor', { channel: channelLabel(c), agent: agent.displayName })}
              aria-describedby={`${id}-hint`}
              aria-invalid={invalid || undefined}
              value={values[c]}
              onChange={(e) => setValues({ ...values, [c]: e.target.value })}
            />
          </label>
        ))}
      </div>
      {invalid && (
        <p className="console-invalid" role="alert">
          {t('capacityInvalid')}
        </p>
      )}
      <div className="console-form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('saveCapacity')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onDone}>
          {tc('cancel')}
        </button>
      </div>
    </form>
  );
}
