// The admin's channel configuration: one row per channel (platform, time zone and hours, SLA, routing
// priority, backup channel, cost), the auto-reply texts per channel, the handoff rules, Save (a new
// version on the hub), the history, and export/import of the whole matrix as a JSON file. Every
// field is checked with the shared schema as it changes; a problem shows next to its field.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Weekday } from '../../../shared/time';
import { ChannelHoursEditor, weekdayName } from './ChannelHoursEditor';
import { channelMatrixFile, handoffRuleSaid, type ChannelMatrix } from '../../../shared/channelConfig';
import { serverSentences } from '../../../shared/serverSentences';
import { sentenceOf, storedSentenceOf } from '../serverErrors';
import { CHANNELS, type Channel } from '../../../shared/domain';
import { channelLabel } from '../labels';
import { getApi } from '../api';
import { dateFormats } from '../dates';
import { useChannelConfigStore } from '../state/channelConfig';
import './channelConfig.css';

type Problems = Record<string, string>;

/** Who saved a version: an admin's name as stored, the hub's seed from its file in the agent's language. */
const savedByName = (name: string): string => (name === serverSentences.matrixSavedByFile ? sentenceOf({ message: name, key: 'matrixSavedByFile' }) : name);

/** A field with its problem (if any) tied to it for assistive technology. */
function Field({ id, problem, children }: { id: string; problem: string | undefined; children: ReactNode }) {
  return (
    <div className={`cc-field${problem ? ' cc-invalid' : ''}`}>
      {children}
      {problem && (
        <p id={`${id}-problem`} className="field-error cc-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

function inputProps(id: string, problem: string | undefined) {
  return { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': problem ? `${id}-problem` : undefined } as const;
}

function numberOf(value: string): number {
  return value.trim() === '' ? NaN : Number(value);
}

function ChannelRow({ channel, matrix, problems, edit }: { channel: Channel; matrix: ChannelMatrix; problems: Problems; edit: (f: (m: ChannelMatrix) => void) => void }) {
  const { t } = useTranslation('channelConfig');
  const base = useId();
  const s = matrix.channels[channel];
  const label = channelLabel(channel);
  const p = (field: string) => problems[`channels.${channel}.${field}`];
  const hoursProblem = Object.entries(problems).find(([k]) => k.startsWith(`channels.${channel}.hours.`) && k !== `channels.${channel}.hours.timeZone`)?.[1];
  const cell = (field: string) => `${base}-${field}`;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <Field id={cell('platform')} problem={p('platform')}>
          <input {...inputProps(cell('platform'), p('platform'))} aria-label={`${label}: ${t('platform')}`} value={s.platform} onChange={(e) => edit((m) => void (m.channels[channel].platform = e.target.value))} />
        </Field>
      </td>
      <td>
        <Field id={cell('tz')} problem={p('hours.timeZone')}>
          <input {...inputProps(cell('tz'), p('hours.timeZone'))} aria-label={`${label}: ${t('timeZone')}`} value={s.hours.timeZone} onChange={(e) => edit((m) => void (m.channels[channel].hours.timeZone = e.target.value))} />
        </Field>
        <Field id={cell('hours')} problem={hoursProblem}>
          <label className="cc-check">
            <input
              type="checkbox"
              checked={s.hours.weekly === '24/7'}
              onChange={(e) =>
                edit((m) => {
                  const day = [{ start: '09:00', end: '18:00' }];
                  m.channels[channel].hours.weekly = e.target.checked ? '24/7' : { mon: day, tue: day, wed: day, thu: day, fri: day };
                })
              }
            />
            {t('open247')}
          </label>
          {s.hours.weekly !== '24/7' && <span className="cc-hours">{weeklyText(s.hours.weekly)}</span>}
          <ChannelHoursEditor channel={channel} label={label} hours={s.hours} edit={edit} />
        </Field>
      </td>
      <td>
        <Field id={cell('sla')} problem={p('firstResponseSlaSeconds')}>
          <input
            {...inputProps(cell('sla'), p('firstResponseSlaSeconds'))}
            type="number"
            min={1}
            aria-label={`${label}: ${t('sla')}`}
            value={Number.isFinite(s.firstResponseSlaSeconds) ? s.firstResponseSlaSeconds : ''}
            onChange={(e) => edit((m) => void (m.channels[channel].firstResponseSlaSeconds = numberOf(e.target.value)))}
          />
        </Field>
      </td>
      <td>
        <Field id={cell('prio')} problem={p('routingPriority')}>
          <input
            {...inputProps(cell('prio'), p('routingPriority'))}
            type="number"
            min={1}
            max={10}
            aria-label={`${label}: ${t('priority')}`}
            value={Number.isFinite(s.routingPriority) ? s.routingPriority : ''}
            onChange={(e) => edit((m) => void (m.channels[channel].routingPriority = numberOf(e.target.value)))}
          />
        </Field>
      </td>
      <td>
        <Field id={cell('backup')} problem={p('backupChannel')}>
          <select
            {...inputProps(cell('backup'), p('backupChannel'))}
            aria-label={`${label}: ${t('backup')}`}
            value={s.backupChannel ?? ''}
            onChange={(e) => edit((m) => void (m.channels[channel].backupChannel = e.target.value === '' ? null : (e.target.value as Channel)))}
          >
            <option value="">{t('noBackup')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </Field>
      </td>
      <td>
        <Field id={cell('cost')} problem={p('costPerContact')}>
          <input
            {...inputProps(cell('cost'), p('costPerContact'))}
            type="number"
            min={0}
            step="0.01"
            aria-label={`${label}: ${t('cost')}`}
            value={Number.isFinite(s.costPerContact) ? s.costPerContact : ''}
            onChange={(e) => edit((m) => void (m.channels[channel].costPerContact = numberOf(e.target.value)))}
          />
        </Field>
      </td>
    </tr>
  );
}

function weeklyText(weekly: Exclude<ChannelMatrix['channels'][Channel]['hours']['weekly'], '24/7'>): string {
  return Object.entries(weekly)
    .filter(([, ranges]) => (ranges ?? []).length > 0)
    .map(([day, ranges]) => `${weekdayName(day as Weekday, 'short')} ${(ranges ?? []).map((r) => `${r.start}–${r.end}`).join(', ')}`)
    .join(' · ');
}

function AutoReplies({ matrix, problems, edit }: { matrix: ChannelMatrix; problems: Problems; edit: (f: (m: ChannelMatrix) => void) => void }) {
  const { t } = useTranslation('channelConfig');
  const base = useId();
  return (
    <details className="cc-section">
      <summary>
        <h2 className="cc-h2">{t('autoReplies')}</h2>
      </summary>
      {CHANNELS.map((c) => {
        const a = matrix.channels[c].autoReply;
        const label = channelLabel(c);
        const openId = `${base}-${c}-open`;
        const closedId = `${base}-${c}-closed`;
        const po = problems[`channels.${c}.autoReply.text`];
        const pc = problems[`channels.${c}.autoReply.closedText`];
        return (
          <fieldset key={c} className="cc-autoreply">
            <legend>{label}</legend>
            <label className="cc-check">
              <input type="checkbox" checked={a.enabled} onChange={(e) => edit((m) => void (m.channels[c].autoReply.enabled = e.target.checked))} />
              {t('autoReplyOn')}
            </label>
            <Field id={openId} problem={po}>
              <label htmlFor={openId}>{t('openText')}</label>
              <textarea {...inputProps(openId, po)} rows={2} value={a.text} onChange={(e) => edit((m) => void (m.channels[c].autoReply.text = e.target.value))} />
            </Field>
            <Field id={closedId} problem={pc}>
              <label htmlFor={closedId}>{t('closedText')}</label>
              <textarea {...inputProps(closedId, pc)} rows={2} value={a.closedText} onChange={(e) => edit((m) => void (m.channels[c].autoReply.closedText = e.target.value))} />
            </Field>
          </fieldset>
        );
      })}
    </details>
  );
}

/** Downloads the current version as a file (a Blob link: works in the app and in a headless browser). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function ChannelConfigScreen() {
  const { t } = useTranslation('channelConfig');
  const { view, draft, problems, loading, saving, error, notice, preview, importError } = useChannelConfigStore();
  const store = useChannelConfigStore.getState();
  const heading = useRef<HTMLHeadingElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [fileKey, setFileKey] = useState(0);
  useEffect(() => heading.current?.focus(), []);
  // Another admin's save (or this one's, echoed by the hub) arrives as an event.
  useEffect(() => getApi().on('channelConfigChanged', ({ current }) => useChannelConfigStore.getState().applyPushed(current)), []);
  const fmt = dateFormats();
  const dirty = view !== null && draft !== null && JSON.stringify(view.current.matrix) !== JSON.stringify(draft);
  const invalid = Object.keys(problems).length > 0;
  const edit = (f: (m: ChannelMatrix) => void) => store.edit(f);

  let noticeText: string | null = null;
  if (notice?.startsWith('saved:')) noticeText = t('saved', { version: notice.slice(6) });
  else if (notice?.startsWith('pushed:')) {
    const [, version, ...who] = notice.split(':');
    noticeText = t('changedElsewhere', { version, who: savedByName(who.join(':')) });
  }

  return (
    <main className="channel-config" aria-labelledby="cc-title" aria-busy={loading || saving}>
      <div className="cc-head">
        <h1 id="cc-title" ref={heading} tabIndex={-1}>
          {t('title')}
        </h1>
        <button type="button" className="btn btn-quiet" onClick={() => store.close()}>
          {t('back')}
        </button>
      </div>
      {view && (
        <p className="cc-version">
          {t('version', { version: view.current.version, who: savedByName(view.current.savedBy), when: fmt.eventTime(view.current.savedAt) })}
        </p>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {noticeText && (
        <p className="cc-notice" role="status">
          {noticeText}
        </p>
      )}
      {!view && loading && <p className="pane-state">{t('loading')}</p>}
      {view && draft && (
        <>
          <div className="cc-actions">
            <button type="button" className="btn btn-primary" disabled={!dirty || invalid || saving} onClick={() => void store.save()}>
              {saving ? t('saving') : t('save')}
            </button>
            <button type="button" className="btn" disabled={!dirty || saving} onClick={() => store.reset()}>
              {t('reset')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => download(`channel-configuration-v${view.current.version}.json`, `${JSON.stringify(channelMatrixFile(view.current, Date.now()), null, 2)}\n`)}
            >
              {t('export')}
            </button>
            <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
              {t('import')}
            </button>
            <input
              key={fileKey}
              ref={fileInput}
              hidden
              aria-label={t('import')}
              type="file"
              accept="application/json,.json"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                void file.text().then((text) => {
                  store.importText(text);
                  setFileKey((k) => k + 1);
                });
              }}
            />
            <span className="cc-hint" role="status">
              {!dirty ? t('unchanged') : invalid ? t('invalid') : ''}
            </span>
          </div>
          {importError && (
            <div className="banner error" role="alert">
              {importError}
            </div>
          )}
          {preview && (
            <section className="cc-section cc-preview" aria-labelledby="cc-preview-title">
              <h2 id="cc-preview-title" className="cc-h2">
                {t('importTitle')}
              </h2>
              {preview.changes.length === 0 ? (
                <p>{t('importNothing')}</p>
              ) : (
                <ul>
                  {preview.changes.map((c) => (
                    <li key={c.message}>{storedSentenceOf(c.message, c.text)}</li>
                  ))}
                </ul>
              )}
              <div className="cc-actions">
                <button type="button" className="btn btn-primary" disabled={preview.changes.length === 0 || saving} onClick={() => void store.save(preview.matrix)}>
                  {t('importSave')}
                </button>
                <button type="button" className="btn" onClick={() => store.discardImport()}>
                  {t('importDiscard')}
                </button>
              </div>
            </section>
          )}
          <section className="cc-section" aria-labelledby="cc-matrix-title">
            <h2 id="cc-matrix-title" className="cc-h2">
              {t('matrix')}
            </h2>
            <div className="cc-table-wrap">
              <table className="cc-table">
                <thead>
                  <tr>
                    <th scope="col">{t('channel')}</th>
                    <th scope="col">{t('platform')}</th>
                    <th scope="col">{t('hours')}</th>
                    <th scope="col">{t('sla')}</th>
                    <th scope="col">{t('priority')}</th>
                    <th scope="col">{t('backup')}</th>
                    <th scope="col">{t('cost')}</th>
                  </tr>
                </thead>
                <tbody>
                  {CHANNELS.map((c) => (
                    <ChannelRow key={c} channel={c} matrix={draft} problems={problems} edit={edit} />
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <AutoReplies matrix={draft} problems={problems} edit={edit} />
          <section className="cc-section" aria-labelledby="cc-handoff-title">
            <h2 id="cc-handoff-title" className="cc-h2">
              {t('handoff')}
            </h2>
            <p className="cc-hint">{t('handoffHint')}</p>
            <ul>
              {draft.handoff.map((r, i) => (
                <li key={i}>
                  {sentenceOf(handoffRuleSaid(r))}
                </li>
              ))}
            </ul>
          </section>
          <section className="cc-section" aria-labelledby="cc-history-title">
            <h2 id="cc-history-title" className="cc-h2">
              {t('history')}
            </h2>
            <ol className="cc-history">
              {view.history.map((h) => (
                <li key={h.version}>
                  <strong>{t('historyEntry', { version: h.version, who: savedByName(h.savedBy), when: fmt.eventTime(h.savedAt) })}</strong>
                  <ul>
                    {h.changes.map((c, i) => (
                      <li key={i}>{storedSentenceOf(c, h.changesText?.[i])}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </main>
  );
}
