// The supervisor dashboard (its own lazily loaded chunk, with echarts): a date range (last 7 days
// by default) and a channel filter over every figure of the weekly report and more. Each chart has
// its numbers in a table (read by screen readers, shown with "Show as table"); printing shows the
// weekly report's sections as tables.
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { CHANNELS, type Channel, type IssueType } from '../../../../shared/domain';
import type { Dashboard as DashboardData } from '../../../../shared/metrics/dashboard';
import { WEEKDAYS } from '../../../../shared/metrics/dashboard';
import { dashboardCsv, REPORT_WORDS_EN, reportPeriod, type ReportWords } from '../../../../shared/metrics/report';
import { getApi } from '../../api';
import { currentLocale, t } from '../../i18n';
import { channelLabel, resolutionLabel } from '../../labels';
import { formatNumber } from '../../numbers';
import { messageOf } from '../../state/errors';
import { selectMode, useSessionStore } from '../../state/session';
import { lastSevenDays, useSupervisorStore } from '../../state/supervisor';
import { Chart, useThemeColors, type ChartOption, type ThemeColors } from './Chart';
import './dashboard.css';

// Every figure in the agent's locale: "1,234.5" / "1.234,5", "45.0%" / "45,0 %", "$1.20" / "1,20 $".
const pct = (r: number | null) => (r === null ? '—' : formatNumber(r, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const num = (n: number | null, digits = 0) => (n === null ? '—' : formatNumber(n, { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const one = (n: number) => num(n, 1);
function duration(ms: number | null): string {
  if (ms === null) return '—';
  const m = ms / 60_000;
  if (m < 60) return t('supervisor:minutes', { value: one(m) });
  const h = m / 60;
  return h < 48 ? t('supervisor:hours', { value: one(h) }) : t('supervisor:days', { value: one(h / 24) });
}
const moneyFormat = (currency: string) => new Intl.NumberFormat(currentLocale(), { style: 'currency', currency });
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;
/** "Mon" / "Mo." for WEEKDAYS[0] (1 January 2024 was a Monday). */
const weekday = (index: number) => new Intl.DateTimeFormat(currentLocale(), { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + index));
/** "Nov 20, 2026" / "20.11.2026" for the report's "2026-11-20". */
function day(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y!, m! - 1, d!));
}
const volumeLabel = (key: Channel | 'deflected') => (key === 'deflected' ? t('supervisor:portalDeflected') : channelLabel(key));
const issueLabel = (issue: IssueType) => t(`enums:issue.${issue}`);

export default function Dashboard() {
  const { data, loading, error } = useSupervisorStore();
  const colors = useThemeColors();
  const heading = useRef<HTMLHeadingElement>(null);
  useTranslation(); // every card below reads the catalogs through `t`; this re-renders them on a language switch
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="dashboard" aria-labelledby="dash-title" aria-busy={loading}>
      <div className="dash-head">
        <h1 id="dash-title" ref={heading} tabIndex={-1}>
          {t('supervisor:title')}
        </h1>
        <button type="button" className="btn btn-quiet no-print" onClick={() => useSupervisorStore.getState().closeDashboard()}>
          {t('supervisor:back')}
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
      {!data && !error && <p className="dash-empty">{loading ? t('supervisor:computing') : t('supervisor:noFigures')}</p>}
      <span className="dash-sr" role="status">
        {loading ? t('supervisor:updating') : data ? t('supervisor:showing', { first: day(reportPeriod(data).first), last: day(reportPeriod(data).last) }) : ''}
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
    // The report's words in the supervisor's language; the figures stay plain numbers for spreadsheets and BI tools.
    const words = Object.fromEntries((Object.keys(REPORT_WORDS_EN) as Array<keyof ReportWords>).map((k) => [k, t(`supervisor:csv.${k}`, { currency: data.currency })])) as unknown as ReportWords;
    const url = URL.createObjectURL(new Blob([dashboardCsv(data, words, channelLabel)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `weekly-report-${first}-to-${last}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setNote(t('supervisor:csvDone'));
  };
  const print = async () => {
    if (!data) return;
    if (mode !== 'electron') {
      window.print();
      return;
    }
    const { first, last } = reportPeriod(data);
    try {
      const saved = await getApi().supervisorReportPdf({ title: t('supervisor:pdfTitle', { first: day(first), last: day(last) }) });
      setNote(t('supervisor:pdfSaved', { path: saved.path }));
    } catch (e) {
      setNote(messageOf(e, t('supervisor:pdfFailed')));
    }
  };
  return (
    <form className="dash-query no-print" aria-label={t('supervisor:query')} onSubmit={(e) => e.preventDefault()}>
      <label>
        {t('supervisor:firstDay')}
        <input type="date" value={query.fromDate} max={query.toDate} onChange={(e) => set({ fromDate: e.target.value })} />
      </label>
      <label>
        {t('supervisor:lastDay')}
        <input type="date" value={query.toDate} min={query.fromDate} onChange={(e) => set({ toDate: e.target.value })} />
      </label>
      <button type="button" className="btn btn-quiet" onClick={() => set(lastSevenDays(Date.now()))}>
        {t('supervisor:lastSeven')}
      </button>
      <fieldset className="dash-channels">
        <legend>{query.channels.length === 0 ? t('supervisor:channelsAll') : t('supervisor:channelsSome', { count: query.channels.length })}</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="dash-channel">
            <input type="checkbox" checked={query.channels.includes(c)} onChange={() => toggle(c)} />
            {channelLabel(c)}
          </label>
        ))}
      </fieldset>
      <div className="dash-actions">
        <button type="button" className="btn" onClick={exportCsv} disabled={!data}>
          {t('supervisor:exportCsv')}
        </button>
        <button type="button" className="btn" onClick={() => void print()} disabled={!data}>
          {mode === 'electron' ? t('supervisor:savePdf') : t('supervisor:print')}
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
      <Trans
        ns="supervisor"
        i18nKey="period"
        values={{ first: day(first), last: day(last), zone: data.timeZone, channels: data.channels.length === CHANNELS.length ? t('supervisor:allChannelsLower') : data.channels.map(channelLabel).join(', ') }}
        components={{ strong: <strong /> }}
      />
    </p>
  );
}

function Totals({ data }: { data: DashboardData }) {
  const totals = data.totals;
  const money = moneyFormat(data.currency);
  const tiles: Array<[string, string]> = [
    [t('supervisor:contacts'), num(totals.contacts)],
    [t('supervisor:deflected'), num(totals.deflected)],
    [t('supervisor:resolutionRate'), pct(totals.resolutionRate)],
    [t('supervisor:aht'), duration(totals.avgHandleTimeMs)],
    [t('supervisor:firstResponse'), duration(totals.avgFirstResponseMs)],
    [t('supervisor:csat'), totals.csatAverage === null ? '—' : t('supervisor:csatOf5', { value: num(totals.csatAverage, 2) })],
    [t('supervisor:costPerContact'), totals.costPerContact === null ? '—' : money.format(totals.costPerContact)],
  ];
  return (
    <dl className="dash-totals" aria-label={t('supervisor:totals')}>
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
            {t('supervisor:showTable')}
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
      yAxis: { type: 'category', data: rows.map((r) => volumeLabel(r.key)), axisLabel: { color: colors.text }, axisLine: { lineStyle: { color: colors.border } } },
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
      title={t('supervisor:volume')}
      report
      chart={<Chart option={option} label={t('supervisor:volumeChart', { list: data.volume.map((v) => `${volumeLabel(v.key)} ${num(v.contacts)} (${pct(v.share)})`).join(', ') })} height={Math.max(140, 34 * data.volume.length + 30)} />}
      table={<Table caption={t('supervisor:volume')} head={[t('supervisor:channel'), t('supervisor:contacts'), t('supervisor:share')]} rows={data.volume.map((v) => [volumeLabel(v.key), num(v.contacts), pct(v.share)])} />}
    />
  );
}

function PerformanceCard({ data }: { data: DashboardData }) {
  return (
    <Card
      title={t('supervisor:performance')}
      report
      wide
      table={
        <Table
          caption={t('supervisor:performance')}
          head={[t('supervisor:channel'), t('supervisor:contacts'), t('supervisor:avgHandle'), t('supervisor:firstResponse'), t('supervisor:resolutionRate'), t('supervisor:csat')]}
          rows={[
            ...data.performance.map((p) => [channelLabel(p.channel), num(p.contacts), duration(p.avgHandleTimeMs), duration(p.avgFirstResponseMs), pct(p.resolutionRate), p.csatAverage === null ? '—' : `${num(p.csatAverage, 2)} (${num(p.csatResponses)})`]),
            [t('supervisor:allChannels'), num(data.totals.contacts), duration(data.totals.avgHandleTimeMs), duration(data.totals.avgFirstResponseMs), pct(data.totals.resolutionRate), data.totals.csatAverage === null ? '—' : num(data.totals.csatAverage, 2)],
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
      title={t('supervisor:crossChannel')}
      report
      table={
        <Table
          caption={t('supervisor:crossChannel')}
          head={[t('supervisor:metric'), t('supervisor:value'), t('supervisor:of')]}
          rows={[
            [t('supervisor:switchRate'), pct(x.channelSwitchRate), t('supervisor:switchedOf', { part: num(x.switchedCases), whole: num(x.cases) })],
            [t('supervisor:contextPreserved'), pct(x.contextPreservedRate), t('supervisor:switchesOf', { part: num(x.contextPreserved), whole: num(x.switches) })],
            [t('supervisor:channelsPerIssue'), num(x.avgChannelsPerResolvedIssue, 2), t('supervisor:resolvedCount', { value: num(x.resolvedIssues) })],
          ]}
        />
      }
    />
  );
}

function CostCard({ data, colors }: { data: DashboardData; colors: ThemeColors }) {
  const money = moneyFormat(data.currency);
  const rows = data.performance.filter((p) => p.costPerContact !== null);
  const option = useMemo<ChartOption>(
    () => ({
      ...baseGrid(colors),
      animation: false,
      xAxis: { type: 'category', data: rows.map((r) => channelLabel(r.channel)), axisLabel: { color: colors.text, interval: 0, rotate: rows.length > 6 ? 30 : 0 }, axisLine: { lineStyle: { color: colors.border } } },
      yAxis: { type: 'value', axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.border } } },
      series: [{ type: 'bar', data: rows.map((r) => ({ value: Math.round(r.costPerContact! * 100) / 100, itemStyle: { color: colors.channel(r.channel) } })), label: { show: true, position: 'top', color: colors.text, formatter: (p: { value: number }) => num(p.value, 2) } }],
    }),
    [rows, colors],
  );
  return (
    <Card
      title={t('supervisor:costPerContact')}
      report
      chart={<Chart option={option} label={t('supervisor:costChart', { list: rows.map((r) => `${channelLabel(r.channel)} ${money.format(r.costPerContact!)}`).join(', ') })} />}
      table={
        <Table
          caption={t('supervisor:costPerContact')}
          head={[t('supervisor:channel'), t('supervisor:contacts'), t('supervisor:cost'), t('supervisor:perContact')]}
          rows={[...data.performance.map((p) => [channelLabel(p.channel), num(p.contacts), money.format(p.cost), p.costPerContact === null ? '—' : money.format(p.costPerContact)]), [t('supervisor:allChannels'), num(data.totals.contacts), money.format(data.totals.cost), data.totals.costPerContact === null ? '—' : money.format(data.totals.costPerContact)]]}
        />
      }
    />
  );
}

function DeflectionCard({ data }: { data: DashboardData }) {
  const d = data.deflection;
  return (
    <Card title={t('supervisor:deflection')} report>
      <p className="dash-figure">
        <Trans ns="supervisor" i18nKey="deflectionFigure" values={{ deflected: num(d.deflected), views: num(d.portalViews), rate: pct(d.deflectionRate) }} components={{ strong: <strong /> }} />
      </p>
      {d.topArticles.length > 0 ? (
        <Table caption={t('supervisor:topArticles')} head={[t('supervisor:article'), t('supervisor:views'), t('supervisor:deflectedCol')]} rows={d.topArticles.map((a) => [a.title, num(a.views), num(a.deflected)])} />
      ) : (
        <p className="dash-empty">{t('supervisor:noDeflection')}</p>
      )}
    </Card>
  );
}

function FlagsCard({ data }: { data: DashboardData }) {
  return (
    <Card title={t('supervisor:underperforming')}>
      {data.underperforming.length === 0 ? (
        <p className="dash-empty">{t('supervisor:noUnderperforming')}</p>
      ) : (
        <ul className="dash-flags">
          {data.underperforming.map((u) => (
            <li key={u.channel}>
              <strong>{channelLabel(u.channel)}</strong>: {t('supervisor:flag', { contacts: num(u.contacts), median: num(u.medianContacts, 1), rate: pct(u.resolutionRate) })}
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
    yAxis: { type: 'category', data: WEEKDAYS.map((_, d) => weekday(d)), inverse: true, axisLabel: { color: colors.text } },
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
        head={[t('supervisor:day'), ...Array.from({ length: 24 }, (_, h) => hourLabel(h))]}
        rows={WEEKDAYS.map((_, d) => [weekday(d), ...counts.slice(d * 24, d * 24 + 24).map(format)])}
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
            {channelLabel(c)}
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
  const option = useMemo(() => (row ? heatmapOption(row.counts, colors, t('supervisor:contacts')) : null), [row, colors]);
  if (!row || !option || channel === null) {
    return (
      <Card title={t('supervisor:demand')} wide>
        <p className="dash-empty">{t('supervisor:noContacts')}</p>
      </Card>
    );
  }
  const total = row.counts.reduce((a, b) => a + b, 0);
  return (
    <Card
      title={t('supervisor:demand')}
      wide
      chart={<Chart option={option} label={t('supervisor:demandChart', { channel: channelLabel(channel), zone: data.timeZone, total: num(total) })} height={260} />}
      table={<WeekTable caption={t('supervisor:demandTable', { channel: channelLabel(channel) })} counts={row.counts} format={(n) => num(n)} />}
    >
      <ChannelPicker channels={channels} value={channel} onChange={setPicked} label={t('supervisor:channel')} />
    </Card>
  );
}

function StaffingCard({ data, colors }: { data: DashboardData; colors: ThemeColors }) {
  const channels = data.staffing.map((s) => s.channel);
  const [picked, setPicked] = useState<Channel | null>(null);
  const channel = picked && (channels as Channel[]).includes(picked) ? picked : (channels[0] ?? null);
  const row = data.staffing.find((s) => s.channel === channel);
  const option = useMemo(() => (row ? heatmapOption(row.agents, colors, t('supervisor:agentsSeries')) : null), [row, colors]);
  if (!row || !option || channel === null) {
    return (
      <Card title={t('supervisor:staffing')} wide>
        <p className="dash-empty">{t('supervisor:staffingHint')}</p>
      </Card>
    );
  }
  const peak = row.peak;
  return (
    <Card
      title={t('supervisor:staffing')}
      wide
      chart={<Chart option={option} label={peak ? t('supervisor:staffingChartPeak', { channel: channelLabel(channel), peak: num(peak.agents) }) : t('supervisor:staffingChart', { channel: channelLabel(channel) })} height={260} />}
      table={<WeekTable caption={t('supervisor:staffingTable', { channel: channelLabel(channel) })} counts={row.agents} format={(n) => num(n)} />}
    >
      <ChannelPicker channels={channels} value={channel} onChange={setPicked} label={t('supervisor:channel')} />
      <p className="dash-figure">
        {t('supervisor:target', {
          share: pct(row.targetShare),
          seconds: num(row.answerWithinSeconds),
          aht: row.ahtSeconds === null ? t('supervisor:ahtUnknown') : t('supervisor:ahtValue', { seconds: num(Math.round(row.ahtSeconds)), source: t(`supervisor:ahtSource.${row.ahtSource}`) }),
        })}
        {row.concurrency > 1 ? t('supervisor:concurrency', { count: row.concurrency }) : ''}.{' '}
        {peak
          ? t('supervisor:busiest', { day: weekday(Math.floor(peak.hourOfWeek / 24)), hour: hourLabel(peak.hourOfWeek % 24), arrivals: num(peak.arrivalsPerHour, 1), count: peak.agents, level: pct(peak.serviceLevel) })
          : t('supervisor:noStaffing')}
      </p>
    </Card>
  );
}

function AgentsCard({ data }: { data: DashboardData }) {
  return (
    <Card title={t('supervisor:agents')} wide>
      {data.agents.length === 0 ? (
        <p className="dash-empty">{t('supervisor:noAgents')}</p>
      ) : (
        <Scroller label={t('supervisor:agentsScroll')}>
          <Table
            caption={t('supervisor:agents')}
            head={[t('supervisor:agent'), t('supervisor:channel'), t('supervisor:contacts'), t('supervisor:resolved'), t('supervisor:avgHandle'), t('supervisor:firstResponse'), t('supervisor:csat')]}
            rows={data.agents.map((a) => [a.name, channelLabel(a.channel), num(a.contacts), pct(a.resolutionRate), duration(a.avgHandleTimeMs), duration(a.avgFirstResponseMs), a.csatAverage === null ? '—' : num(a.csatAverage, 2)])}
          />
        </Scroller>
      )}
    </Card>
  );
}

function SegmentsCard({ data }: { data: DashboardData }) {
  return (
    <Card title={t('supervisor:segments')}>
      <Table
        caption={t('supervisor:segmentsTable')}
        head={[t('supervisor:segment'), t('supervisor:contacts'), t('supervisor:preferred'), t('supervisor:share')]}
        rows={data.segments.map((s) => [s.segment[0]!.toUpperCase() + s.segment.slice(1), num(s.contacts), s.preferredChannel ? channelLabel(s.preferredChannel) : '—', pct(s.preferredShare)])}
      />
    </Card>
  );
}

function ConsistencyCard({ data }: { data: DashboardData }) {
  return (
    <Card title={t('supervisor:consistency')}>
      <p className="dash-figure">
        {data.consistency.inconsistent.length === 0 ? t('supervisor:consistent') : t('supervisor:inconsistent', { issues: data.consistency.inconsistent.map(issueLabel).join(', ') })}
      </p>
      <Table
        caption={t('supervisor:consistencyTable')}
        head={[t('supervisor:issue'), t('supervisor:channel'), t('supervisor:resolved'), t('supervisor:commonResolution')]}
        rows={data.consistency.issues.flatMap((i) => i.byChannel.map((r) => [i.consistent ? issueLabel(i.issueType) : t('supervisor:differs', { issue: issueLabel(i.issueType) }), channelLabel(r.channel), num(r.resolved), `${resolutionLabel(r.dominantCode)} (${pct(r.dominantShare)})`]))}
      />
    </Card>
  );
}
