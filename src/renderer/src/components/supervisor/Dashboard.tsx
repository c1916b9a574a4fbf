// The supervisor dashboard (its own lazily loaded chunk, with echarts): a date range (last 7 days
// by default) and a channel filter over every figure of the weekly report and more. Each chart has
// its numbers in a table (read by screen readers, shown with "Show as table"); printing shows the
// weekly report's sections as tables.
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { CHANNEL_LABELS, CHANNELS, type Channel } from '../../../../shared/domain';
import type { Dashboard as DashboardData } from '../../../../shared/metrics/dashboard';
import { WEEKDAYS } from '../../../../shared/metrics/dashboard';
import { dashboardCsv, reportPeriod } from '../../../../shared/metrics/report';
import { getApi } from '../../api';
import { messageOf } from '../../state/errors';
import { selectMode, useSessionStore } from '../../state/session';
import { lastSevenDays, useSupervisorStore } from '../../state/supervisor';
import { Chart, useThemeColors, type ChartOption, type ThemeColors } from './Chart';
import './dashboard.css';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const num = (n: number | null, digits = 0) => (n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
function duration(ms: number | null): string {
  if (ms === null) return '—';
  const m = ms / 60_000;
  if (m < 60) return `${m.toFixed(1)} min`;
  const h = m / 60;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

export default function Dashboard() {
  const { data, loading, error } = useSupervisorStore();
  const colors = useThemeColors();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="dashboard" aria-labelledby="dash-title" aria-busy={loading}>
      <div className="dash-head">
        <h1 id="dash-title" ref={heading} tabIndex={-1}>
          Supervisor dashboard
        </h1>
        <button type="button" className="btn btn-quiet no-print" onClick={() => useSupervisorStore.getState().closeDashboard()}>
          Back to the workspace
        </button>
      </div>
      <QueryBar />
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {data && (
        <>
          <ReportTitle data={data} />
          <Totals data={data} />
          <div className="dash-grid">
            <VolumeCard data={data} colors={colors} />
            <PerformanceCard data={data} />
            <CrossChannelCard data={data} />
            <CostCard data={data} colors={colors} />
            <DeflectionCard data={data} />
            <FlagsCard data={data} />
            <DemandCard data={data} colors={colors} />
            <StaffingCard data={data} colors={colors} />
            <AgentsCard data={data} />
            <SegmentsCard data={data} />
            <ConsistencyCard data={data} />
          </div>
        </>
      )}
      {!data && !error && <p className="dash-empty">{loading ? 'Computing the figures…' : 'No figures yet.'}</p>}
      <span className="dash-sr" role="status">
        {loading ? 'Updating the dashboard…' : data ? `Showing ${reportPeriod(data).first} to ${reportPeriod(data).last}.` : ''}
      </span>
    </main>
  );
}

function QueryBar() {
  const query = useSupervisorStore((s) => s.query);
  const data = useSupervisorStore((s) => s.data);
  const mode = useSessionStore(selectMode);
  const [note, setNote] = useState<string | null>(null);
  const set = useSupervisorStore.getState().setQuery;
  const toggle = (c: Channel) => set({ channels: query.channels.includes(c) ? query.channels.filter((x) => x !== c) : [...query.channels, c] });
  const exportCsv = () => {
    if (!data) return;
    const { first, last } = reportPeriod(data);
    const url = URL.createObjectURL(new Blob([dashboardCsv(data)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `weekly-report-${first}-to-${last}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setNote('The CSV was downloaded.');
  };
  const print = async () => {
    if (!data) return;
    if (mode !== 'electron') {
      window.print();
      return;
    }
    const { first, last } = reportPeriod(data);
    try {
      const saved = await getApi().supervisorReportPdf({ title: `Weekly report ${first} to ${last}` });
      setNote(`Saved the report as ${saved.path}`);
    } catch (e) {
      setNote(messageOf(e, 'The report could not be saved as a PDF.'));
    }
  };
  return (
    <form className="dash-query no-print" aria-label="Dashboard range and channels" onSubmit={(e) => e.preventDefault()}>
      <label>
        First day
        <input type="date" value={query.fromDate} max={query.toDate} onChange={(e) => set({ fromDate: e.target.value })} />
      </label>
      <label>
        Last day
        <input type="date" value={query.toDate} min={query.fromDate} onChange={(e) => set({ toDate: e.target.value })} />
      </label>
      <button type="button" className="btn btn-quiet" onClick={() => set(lastSevenDays(Date.now()))}>
        Last 7 days
      </button>
      <fieldset className="dash-channels">
        <legend>Channels {query.channels.length === 0 ? '(all)' : `(${query.channels.length})`}</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="dash-channel">
            <input type="checkbox" checked={query.channels.includes(c)} onChange={() => toggle(c)} />
            {CHANNEL_LABELS[c]}
          </label>
        ))}
      </fieldset>
      <div className="dash-actions">
        <button type="button" className="btn" onClick={exportCsv} disabled={!data}>
          Export CSV
        </button>
        <button type="button" className="btn" onClick={() => void print()} disabled={!data}>
          {mode === 'electron' ? 'Save report as PDF' : 'Print report'}
        </button>
      </div>
      {note && (
        <p className="dash-note" role="status">
          {note}
        </p>
      )}
    </form>
  );
}

function ReportTitle({ data }: { data: DashboardData }) {
  const { first, last } = reportPeriod(data);
  return (
    <p className="dash-period">
      Period <strong>{first}</strong> to <strong>{last}</strong> ({data.timeZone}) · {data.channels.length === CHANNELS.length ? 'all channels' : data.channels.map((c) => CHANNEL_LABELS[c]).join(', ')}
    </p>
  );
}

function Totals({ data }: { data: DashboardData }) {
  const t = data.totals;
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: data.currency });
  const tiles: Array<[string, string]> = [
    ['Contacts', num(t.contacts)],
    ['Deflected by the portal', num(t.deflected)],
    ['Resolution rate', pct(t.resolutionRate)],
    ['Average handle time', duration(t.avgHandleTimeMs)],
    ['First response', duration(t.avgFirstResponseMs)],
    ['CSAT', t.csatAverage === null ? '—' : `${t.csatAverage.toFixed(2)} / 5`],
    ['Cost per contact', t.costPerContact === null ? '—' : money.format(t.costPerContact)],
  ];
  return (
    <dl className="dash-totals" aria-label="Totals">
      {tiles.map(([label, value]) => (
        <div key={label} className="dash-tile">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A card with a heading; with a chart, a "Show as table" toggle (the table is always there for screen readers). */
function Card({ title, chart, table, children, report = false, wide = false }: { title: string; chart?: ReactNode; table?: ReactNode; children?: ReactNode; report?: boolean; wide?: boolean }) {
  const id = useId();
  const [asTable, setAsTable] = useState(false);
  return (
    <section className={`dash-card${report ? ' in-report' : ''}${wide ? ' wide' : ''}`} aria-labelledby={`${id}-h`}>
      <div className="dash-card-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {chart && (
          <button type="button" className="btn btn-quiet btn-small no-print" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            Show as table
          </button>
        )}
      </div>
      {chart && <div className={`dash-chart-wrap${asTable ? ' is-hidden' : ''}`}>{chart}</div>}
      {table && <div className={chart && !asTable ? 'dash-table-wrap dash-sr print-show' : 'dash-table-wrap'}>{table}</div>}
      {children}
    </section>
  );
}

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <table className="dash-table">
      <caption className="dash-sr">{caption}</caption>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} scope="col" className={i > 0 ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {c}
                </th>
              ) : (
                <td key={j} className="num">
                  {c}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function baseGrid(colors: ThemeColors) {
  return {
    textStyle: { color: colors.text },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
  };
}

function VolumeCard({ data, colors }: { data: DashboardData; colors: ThemeColors }) {
  const option = useMemo<ChartOption>(() => {
    const rows = [...data.volume].reverse();
    return {
      ...baseGrid(colors),
      animation: false,
      xAxis: { type: 'value', axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border } } },
      yAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { color: colors.text }, axisLine: { lineStyle: { color: colors.border } } },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => ({ value: r.contacts, itemStyle: { color: colors.channel(r.key) } })),
          label: { show: true, position: 'right', color: colors.text, formatter: (p: { dataIndex: number }) => pct(rows[p.dataIndex]!.share) },
        },
      ],
    };
  }, [data, colors]);
  return (
    <Card
      title="Volume by channel"
      report
      chart={<Chart option={option} label={`Contacts by channel: ${data.volume.map((v) => `${v.label} ${v.contacts} (${pct(v.share)})`).join(', ')}`} height={Math.max(140, 34 * data.volume.length + 30)} />}
      table={<Table caption="Volume by channel" head={['Channel', 'Contacts', 'Share']} rows={data.volume.map((v) => [v.label, num(v.contacts), pct(v.share)])} />}
    />
  );
}

function PerformanceCard({ data }: { data: DashboardData }) {
  return (
    <Card
      title="Channel performance"
      report
      wide
      table={
        <Table
          caption="Channel performance"
          head={['Channel', 'Contacts', 'Avg handle time', 'First response', 'Resolution rate', 'CSAT']}
          rows={[
            ...data.performance.map((p) => [CHANNEL_LABELS[p.channel], num(p.contacts), duration(p.avgHandleTimeMs), duration(p.avgFirstResponseMs), pct(p.resolutionRate), p.csatAverage === null ? '—' : `${p.csatAverage.toFixed(2)} (${p.csatResponses})`]),
            ['All channels', num(data.totals.contacts), duration(data.totals.avgHandleTimeMs), duration(data.totals.avgFirstResponseMs), pct(data.totals.resolutionRate), data.totals.csatAverage === null ? '—' : data.totals.csatAverage.toFixed(2)],
          ]}
        />
      }
    />
  );
}

function CrossChannelCard({ data }: { data: DashboardData }) {
  const x = data.crossChannel;
  return (
    <Card
      title="Cross-channel"
      report
      table={
        <Table
          caption="Cross-channel"
          head={['Metric', 'Value', 'Of']}
          rows={[
            ['Channel switch rate', pct(x.channelSwitchRate), `${num(x.switchedCases)} of ${num(x.cases)} cases`],
            ['Context preserved on switch', pct(x.contextPreservedRate), `${num(x.contextPreserved)} of ${num(x.switches)} switches`],
            ['Average channels per resolved issue', num(x.avgChannelsPerResolvedIssue, 2), `${num(x.resolvedIssues)} resolved`],
          ]}
        />
      }
    />
  );
}

function CostCard({ data, colors }: { data: DashboardData; colors: ThemeColors }) {
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: data.currency });
  const rows = data.performance.filter((p) => p.costPerContact !== null);
  const option = useMemo<ChartOption>(
    () => ({
      ...baseGrid(colors),
      animation: false,
      xAxis: { type: 'category', data: rows.map((r) => CHANNEL_LABELS[r.channel]), axisLabel: { color: colors.text, interval: 0, rotate: rows.length > 6 ? 30 : 0 }, axisLine: { lineStyle: { color: colors.border } } },
      yAxis: { type: 'value', axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border } } },
      series: [{ type: 'bar', data: rows.map((r) => ({ value: Math.round(r.costPerContact! * 100) / 100, itemStyle: { color: colors.channel(r.channel) } })), label: { show: true, position: 'top', color: colors.text } }],
    }),
    [rows, colors],
  );
  return (
    <Card
      title="Cost per contact"
      report
      chart={<Chart option={option} label={`Cost per contact: ${rows.map((r) => `${CHANNEL_LABELS[r.channel]} ${money.format(r.costPerContact!)}`).join(', ')}`} />}
      table={
        <Table
          caption="Cost per contact"
          head={['Channel', 'Contacts', 'Cost', 'Per contact']}
          rows={[...data.performance.map((p) => [CHANNEL_LABELS[p.channel], num(p.contacts), money.format(p.cost), p.costPerContact === null ? '—' : money.format(p.costPerContact)]), ['All channels', num(data.totals.contacts), money.format(data.totals.cost), data.totals.costPerContact === null ? '—' : money.format(data.totals.costPerContact)]]}
        />
      }
    />
  );
}

function DeflectionCard({ data }: { data: DashboardData }) {
  const d = data.deflection;
  return (
    <Card title="Self-service deflection" report>
      <p className="dash-figure">
        <strong>{num(d.deflected)}</strong> of {num(d.portalViews)} portal views deflected a contact ({pct(d.deflectionRate)}).
      </p>
      {d.topArticles.length > 0 ? (
        <Table caption="Top deflecting articles" head={['Article', 'Views', 'Deflected']} rows={d.topArticles.map((a) => [a.title, num(a.views), num(a.deflected)])} />
      ) : (
        <p className="dash-empty">No article deflected a contact in this period.</p>
      )}
    </Card>
  );
}

function FlagsCard({ data }: { data: DashboardData }) {
  return (
    <Card title="Underperforming channels">
      {data.underperforming.length === 0 ? (
        <p className="dash-empty">No channel has both high volume and a low resolution rate.</p>
      ) : (
        <ul className="dash-flags">
          {data.underperforming.map((u) => (
            <li key={u.channel}>
              <strong>{CHANNEL_LABELS[u.channel]}</strong>: {num(u.contacts)} contacts (median {num(u.medianContacts, 1)}), resolution rate {pct(u.resolutionRate)}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function heatmapOption(counts: readonly number[], colors: ThemeColors, name: string): ChartOption {
  const cells: Array<[number, number, number]> = counts.map((n, slot) => [slot % 24, Math.floor(slot / 24), Math.round(n * 100) / 100]);
  const max = Math.max(1, ...counts);
  return {
    textStyle: { color: colors.text },
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), axisLabel: { color: colors.muted }, splitArea: { show: false } },
    yAxis: { type: 'category', data: [...WEEKDAYS], inverse: true, axisLabel: { color: colors.text } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, textStyle: { color: colors.muted }, inRange: { color: [colors.panel, colors.accentSoft, colors.accent] } },
    series: [{ name, type: 'heatmap', data: cells, itemStyle: { borderColor: colors.border, borderWidth: 0.5 } }],
  };
}

/** A table wider than its card scrolls sideways; the scroller takes focus so the keyboard can scroll it. */
function Scroller({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="dash-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

function WeekTable({ caption, counts, format }: { caption: string; counts: readonly number[]; format: (n: number) => string }) {
  return (
    <Scroller label={caption}>
      <Table
      caption={caption}
      head={['Day', ...Array.from({ length: 24 }, (_, h) => hourLabel(h))]}
        rows={WEEKDAYS.map((day, d) => [day, ...counts.slice(d * 24, d * 24 + 24).map(format)])}
      />
    </Scroller>
  );
}

function ChannelPicker({ channels, value, onChange, label }: { channels: readonly Channel[]; value: Channel; onChange: (c: Channel) => void; label: string }) {
  return (
    <label className="dash-picker no-print">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as Channel)}>
        {channels.map((c) => (
          <option key={c} value={c}>
            {CHANNEL_LABELS[c]}
          </option>
        ))}
      </select>
    </label>
  );
}

function DemandCard({ data, colors }: { data: DashboardData; colors: ThemeColors }) {
  const channels = data.demand.map((d) => d.channel);
  const [picked, setPicked] = useState<Channel | null>(null);
  const channel = picked && channels.includes(picked) ? picked : (channels[0] ?? null);
  const row = data.demand.find((d) => d.channel === channel);
  const option = useMemo(() => (row ? heatmapOption(row.counts, colors, 'Contacts') : null), [row, colors]);
  if (!row || !option || channel === null) {
    return (
      <Card title="Demand by hour and weekday" wide>
        <p className="dash-empty">No contacts in this period.</p>
      </Card>
    );
  }
  const total = row.counts.reduce((a, b) => a + b, 0);
  return (
    <Card
      title="Demand by hour and weekday"
      wide
      chart={<Chart option={option} label={`${CHANNEL_LABELS[channel]} contacts by hour and weekday (${data.timeZone}): ${num(total)} in all`} height={260} />}
      table={<WeekTable caption={`${CHANNEL_LABELS[channel]} contacts by weekday and hour`} counts={row.counts} format={(n) => num(n)} />}
    >
      <ChannelPicker channels={channels} value={channel} onChange={setPicked} label="Channel" />
    </Card>
  );
}

function StaffingCard({ data, colors }: { data: DashboardData; colors: ThemeColors }) {
  const channels = data.staffing.map((s) => s.channel);
  const [picked, setPicked] = useState<Channel | null>(null);
  const channel = picked && (channels as Channel[]).includes(picked) ? picked : (channels[0] ?? null);
  const row = data.staffing.find((s) => s.channel === channel);
  const option = useMemo(() => (row ? heatmapOption(row.agents, colors, 'Agents') : null), [row, colors]);
  if (!row || !option || channel === null) {
    return (
      <Card title="Staffing suggestion (Erlang C)" wide>
        <p className="dash-empty">Choose phone or chat in the channel filter to see a staffing suggestion.</p>
      </Card>
    );
  }
  const peak = row.peak;
  return (
    <Card
      title="Staffing suggestion (Erlang C)"
      wide
      chart={<Chart option={option} label={`Suggested ${CHANNEL_LABELS[channel]} agents by hour and weekday${peak ? `; at most ${peak.agents}` : ''}`} height={260} />}
      table={<WeekTable caption={`Suggested ${CHANNEL_LABELS[channel]} agents by weekday and hour`} counts={row.agents} format={(n) => num(n)} />}
    >
      <ChannelPicker channels={channels} value={channel} onChange={setPicked} label="Channel" />
      <p className="dash-figure">
        Target: {pct(row.targetShare)} answered within {row.answerWithinSeconds} s; handle time {row.ahtSeconds === null ? 'unknown' : `${Math.round(row.ahtSeconds)} s (${row.ahtSource})`}
        {row.concurrency > 1 ? `; ${row.concurrency} conversations per agent` : ''}.{' '}
        {peak
          ? `Busiest hour: ${WEEKDAYS[Math.floor(peak.hourOfWeek / 24)]} ${hourLabel(peak.hourOfWeek % 24)} with ${num(peak.arrivalsPerHour, 1)} contacts an hour needs ${peak.agents} agent${peak.agents === 1 ? '' : 's'} (${pct(peak.serviceLevel)} in time).`
          : 'No contacts to staff for.'}
      </p>
    </Card>
  );
}

function AgentsCard({ data }: { data: DashboardData }) {
  return (
    <Card title="Agents by channel" wide>
      {data.agents.length === 0 ? (
        <p className="dash-empty">No agent handled a contact in this period.</p>
      ) : (
        <Scroller label="Agents by channel, scrollable">
          <Table
            caption="Agents by channel"
            head={['Agent', 'Channel', 'Contacts', 'Resolved', 'Avg handle time', 'First response', 'CSAT']}
            rows={data.agents.map((a) => [a.name, CHANNEL_LABELS[a.channel], num(a.contacts), pct(a.resolutionRate), duration(a.avgHandleTimeMs), duration(a.avgFirstResponseMs), a.csatAverage === null ? '—' : a.csatAverage.toFixed(2)])}
          />
        </Scroller>
      )}
    </Card>
  );
}

function SegmentsCard({ data }: { data: DashboardData }) {
  return (
    <Card title="Preferred channel by segment">
      <Table
        caption="Preferred channel by customer segment"
        head={['Segment', 'Contacts', 'Preferred channel', 'Share']}
        rows={data.segments.map((s) => [s.segment[0]!.toUpperCase() + s.segment.slice(1), num(s.contacts), s.preferredChannel ? CHANNEL_LABELS[s.preferredChannel] : '—', pct(s.preferredShare)])}
      />
    </Card>
  );
}

function ConsistencyCard({ data }: { data: DashboardData }) {
  return (
    <Card title="Consistency check">
      <p className="dash-figure">
        {data.consistency.inconsistent.length === 0 ? 'Every issue category is resolved the same way on every channel.' : `Resolved differently by channel: ${data.consistency.inconsistent.join(', ')}.`}
      </p>
      <Table
        caption="Most common resolution by issue category and channel"
        head={['Issue', 'Channel', 'Resolved', 'Most common resolution']}
        rows={data.consistency.issues.flatMap((i) => i.byChannel.map((r) => [`${i.issueType}${i.consistent ? '' : ' (differs)'}`, CHANNEL_LABELS[r.channel], num(r.resolved), `${r.dominantCode} (${pct(r.dominantShare)})`]))}
      />
    </Card>
  );
}
