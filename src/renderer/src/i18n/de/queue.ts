// Deutsch: the queue pane (views, rows, wait times and SLA badges).
import type { Messages } from '../catalog';
import type { queue as en } from '../en/queue';

export const queue: Messages<typeof en> = {
  pane: 'Warteschlangenbereich',
  views: 'Ansichten der Warteschlange',
  list: 'Warteschlange',
  view: { all: 'Alle', mine: 'Meine', unassigned: 'Nicht zugewiesen', breaching: 'SLA bald fällig', tag: 'Tag: {{tag}}' },
  empty: {
    all: 'Kein Kunde wartet. Neue Konversationen aus allen Kanälen erscheinen hier.',
    mine: 'Ihnen ist gerade nichts zugewiesen.',
    unassigned: 'Jede Konversation hat einen Bearbeiter.',
    breaching: 'Keine SLA ist in den nächsten 30 Minuten fällig.',
    tag: 'Keine offene Konversation trägt den Tag „{{tag}}“.',
    channel: 'Keine {{channel}}-Konversation wartet.',
  },
  breachingHint: 'SLA in den nächsten 30 Minuten fällig oder bereits überschritten',
  tagHint: 'Offene Konversationen mit dem Tag „{{tag}}“',
  loading: 'Warteschlange wird geladen…',
  loadFailed: 'Die Warteschlange konnte nicht geladen werden. {{error}}',
  retry: 'Erneut versuchen',
  stale: 'Die Warteschlange ist möglicherweise nicht aktuell: {{error}}',
  waitingSince: 'Wartet seit {{date}}',
  duration: {
    underMinute: '<1 Min.',
    minutes_one: '{{count}} Min.',
    minutes_other: '{{count}} Min.',
    hours_one: '{{count}} Std.',
    hours_other: '{{count}} Std.',
    days_one: '{{count}} Tg.',
    days_other: '{{count}} Tg.',
  },
  sla: {
    clockLeft: 'SLA noch {{clock}}',
    daysLeft: 'SLA noch {{days}} Tg.',
    daysHoursLeft: 'SLA noch {{days}} Tg. {{hours}} Std.',
    breached: 'Überschritten seit {{duration}}',
  },
};
