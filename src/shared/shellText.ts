// The texts the desktop shell shows outside the workspace, in the agent's language: the tray menu
// and its tooltip, the OS notifications (their buttons, a batch's count, an incoming call, a
// supervisor's alert) and main's own error boxes. Electron draws these natively from main, which cannot use the workspace's
// i18next catalogs, so they live here, English and German typed alike (a missing German key fails
// to compile). The language is the one the workspace chose (main remembers it), else the system's.

export const shellEn = {
  trayCounting: 'Counting the queue…',
  trayEmpty: 'The queue is empty',
  trayWaitingOne: '1 conversation waiting',
  trayWaiting: '{{count}} conversations waiting',
  trayOpen: 'Open Omni Desk',
  trayUpdateDeferred: 'Update {{version}} installs when your call ends',
  trayRestart: 'Restart to update ({{version}})',
  trayQuit: 'Quit Omni Desk',
  trayTooltip: 'Omni Desk — {{presence, presence}} · {{waiting}}',
  trayPresence: '{{presence, presence}}',
  noticeAccept: 'Accept',
  noticeOpen: 'Open',
  noticeMore: '{{count}} new messages · {{preview}}',
  noticeVoicemail: 'Left a voicemail',
  noticeVoicemailText: 'Voicemail: {{text}}',
  noticeRated: 'Rated {{score}} out of 5',
  noticeRatedComment: 'Rated {{score}} out of 5: “{{comment}}”',
  callTitle: 'Incoming call',
  callUnknown: 'Unknown caller',
  callHint: '{{from}} ({{key}} answers)',
  callAnswer: 'Answer',
  alertDown: '{{channel, channel}} is down',
  alertDownBackup: 'Since {{since}}: replies are queued; backup: {{backup, channel}}.',
  alertDownNoBackup: 'Since {{since}}: replies are queued; no backup channel is set.',
  alertNow: 'now',
  alertBreached: 'SLA breached on {{channel, channel}}',
  alertBreachedBody: '{{who}} has waited past the first-response SLA.',
  alertRisk: 'SLA at risk on {{channel, channel}}',
  alertRiskBody: '{{who}} is about to breach the first-response SLA.',
  aCustomer: 'A customer',
  startFailedTitle: 'Omni Desk could not start',
  startFailedUnexpected: 'Something unexpected stopped the start: {{reason}}. The details are in the log.',
  workspaceGaveUp: 'The workspace stopped several times in a minute and is not reloaded again. Restart Omni Desk; the details are in the log.',
  presence: { available: 'Available', busy: 'Busy', away: 'Away' },
  channel: { email: 'Email', chat: 'Chat', phone: 'Phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-app', portal: 'Portal' },
} as const;

type Catalog = typeof shellEn;
type Words = { [K in keyof Catalog]: Catalog[K] extends string ? never : K }[keyof Catalog];
export type ShellKey = Exclude<keyof Catalog, Words>;
type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

export const shellDe: Translation<Catalog> = {
  trayCounting: 'Die Warteschlange wird gezählt…',
  trayEmpty: 'Die Warteschlange ist leer',
  trayWaitingOne: '1 Konversation wartet',
  trayWaiting: '{{count}} Konversationen warten',
  trayOpen: 'Omni Desk öffnen',
  trayUpdateDeferred: 'Update {{version}} wird nach Ihrem Anruf installiert',
  trayRestart: 'Neu starten und aktualisieren ({{version}})',
  trayQuit: 'Omni Desk beenden',
  trayTooltip: 'Omni Desk — {{presence, presence}} · {{waiting}}',
  trayPresence: '{{presence, presence}}',
  noticeAccept: 'Annehmen',
  noticeOpen: 'Öffnen',
  noticeMore: '{{count}} neue Nachrichten · {{preview}}',
  noticeVoicemail: 'Hat eine Sprachnachricht hinterlassen',
  noticeVoicemailText: 'Sprachnachricht: {{text}}',
  noticeRated: 'Mit {{score}} von 5 bewertet',
  noticeRatedComment: 'Mit {{score}} von 5 bewertet: „{{comment}}“',
  callTitle: 'Eingehender Anruf',
  callUnknown: 'Unbekannter Anrufer',
  callHint: '{{from}} ({{key}} nimmt an)',
  callAnswer: 'Annehmen',
  alertDown: '{{channel, channel}} ist ausgefallen',
  alertDownBackup: 'Seit {{since}}: Antworten werden zurückgehalten; Ersatzkanal: {{backup, channel}}.',
  alertDownNoBackup: 'Seit {{since}}: Antworten werden zurückgehalten; kein Ersatzkanal festgelegt.',
  alertNow: 'jetzt',
  alertBreached: 'SLA überschritten bei {{channel, channel}}',
  alertBreachedBody: '{{who}} wartet länger als die Erstreaktions-SLA.',
  alertRisk: 'SLA gefährdet bei {{channel, channel}}',
  alertRiskBody: '{{who}} überschreitet gleich die Erstreaktions-SLA.',
  aCustomer: 'Ein Kunde',
  startFailedTitle: 'Omni Desk konnte nicht starten',
  startFailedUnexpected: 'Etwas Unerwartetes hat den Start verhindert: {{reason}}. Details stehen im Protokoll.',
  workspaceGaveUp: 'Der Arbeitsbereich ist innerhalb einer Minute mehrmals abgestürzt und wird nicht erneut geladen. Starten Sie Omni Desk neu; Details stehen im Protokoll.',
  presence: { available: 'Verfügbar', busy: 'Beschäftigt', away: 'Abwesend' },
  channel: { email: 'E-Mail', chat: 'Chat', phone: 'Telefon', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-App', portal: 'Portal' },
};

export const SHELL_LANGUAGES = { en: shellEn, de: shellDe } as const;
export type ShellLanguage = keyof typeof SHELL_LANGUAGES;

/** The language the workspace chose when the shell ships it, else the first system language it ships, else English. */
export function shellLanguage(chosen: string | null, system: readonly string[]): ShellLanguage {
  const ships = (tag: string | null | undefined): ShellLanguage | null => {
    const base = tag?.toLowerCase().split(/[-_]/)[0];
    return base && Object.hasOwn(SHELL_LANGUAGES, base) ? (base as ShellLanguage) : null;
  };
  return ships(chosen) ?? system.map(ships).find((l) => l !== null) ?? 'en';
}

/** The BCP 47 tag a language formats times with. */
export const SHELL_LOCALE: Readonly<Record<ShellLanguage, string>> = { en: 'en-US', de: 'de-DE' };

/** A shell text in `language`, its {{placeholders}} filled ({{x, presence}} and {{x, channel}} name an id in that language). */
export function shellText(language: ShellLanguage, key: ShellKey, params: Readonly<Record<string, string | number>> = {}): string {
  const catalog = SHELL_LANGUAGES[language];
  return catalog[key].replace(/\{\{\s*(\w+)\s*(?:,\s*(\w+)\s*)?\}\}/g, (whole, name: string, format: string | undefined) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (format === 'presence' || format === 'channel') {
      const words: Readonly<Record<string, string>> = catalog[format];
      return words[String(value)] ?? String(value);
    }
    return typeof value === 'number' ? value.toLocaleString(SHELL_LOCALE[language]) : value;
  });
}

/** `shellText` bound to one language: what the tray and the notices are built with. */
export type ShellSay = (key: ShellKey, params?: Readonly<Record<string, string | number>>) => string;
export const shellSayer = (language: ShellLanguage): ShellSay => (key, params) => shellText(language, key, params);
