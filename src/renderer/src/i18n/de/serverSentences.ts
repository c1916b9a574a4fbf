// Deutsch: the status sentences main and the hub write (English in src/shared/serverSentences.ts),
// part of the serverErrors namespace.
import type { Messages } from '../catalog';
import type { durationWords, resolutionWords, serverSentences as en } from '../../../../shared/serverSentences';

export const serverSentences: Messages<typeof en> = {
  // ------------------------------------------------------------ timeline system lines
  lineResolved: 'Fall #{{caseId}} von {{agent}} gelöst.',
  lineResolvedAs: 'Von {{agent}} gelöst: {{code, resolution}}.',
  lineSnoozedUntil: 'Von {{agent}} zurückgestellt bis {{until, when}}.',
  lineSnoozedUntilReply: 'Von {{agent}} zurückgestellt, bis der Kunde antwortet.',
  lineSnoozeEnded: 'Zurückstellung beendet; Fall #{{caseId}} ist wieder in der Warteschlange.',
  lineReopened: 'Von {{agent}} wieder geöffnet.',
  lineReopenedOnHub: 'Auf dem Hub von {{agent}} wieder geöffnet.',
  lineLinked: 'Mit Fall #{{caseId}} verknüpft.',
  lineMergedHere: 'Fall #{{source}} („{{subject}}“) wurde von {{agent}} mit diesem Fall zusammengeführt; seine {{count}} Ereignisse sind jetzt hier.',
  lineMergedHereOne: 'Fall #{{source}} („{{subject}}“) wurde von {{agent}} mit diesem Fall zusammengeführt; sein 1 Ereignis ist jetzt hier.',
  lineMergedInto: 'Von {{agent}} mit Fall #{{target}} zusammengeführt; Fall #{{source}} ist geschlossen.',
  lineSplitInto: 'Von {{agent}} in Fall #{{caseId}} aufgeteilt: {{count}} Ereignisse dieses Verlaufs sind jetzt dort.',
  lineSplitIntoOne: 'Von {{agent}} in Fall #{{caseId}} aufgeteilt: 1 Ereignis dieses Verlaufs ist jetzt dort.',
  lineSplitOff: 'Von {{agent}} aus Fall #{{caseId}} abgetrennt, mit {{count}} Ereignissen.',
  lineSplitOffOne: 'Von {{agent}} aus Fall #{{caseId}} abgetrennt, mit 1 Ereignis.',
  lineMoved: 'An einen anderen Agenten übergeben: {{reason}}',
  movedTo: 'Verschoben zu {{agent}}',
  movedTaken: 'Übernommen von {{actor}}',
  movedReassigned: 'Neu zugewiesen an {{agent}} von {{actor}}',
  movedTransferred: 'Weitergeleitet an {{agent}}',
  movedToQueue: 'In die Warteschlange {{queue}} weitergeleitet',
  movedCalled: '{{agent}} hat den Kunden angerufen',
  movedEscalated: 'Eskaliert',
  movedEscalatedTo: 'Eskaliert an {{agent}}',
  movedCallWaits: 'Der Kunde hat angerufen; Sie waren nicht frei, daher wartet der Anruf in der Telefon-Warteschlange.',
  movedVoicemail: 'Der Anruf wurde nicht angenommen; der Anrufer hinterlässt eine Sprachnachricht.',
  movedCallToQueue: '{{agent}} hat den Anruf in die Telefon-Warteschlange weitergeleitet.',

  deliveryRetrying: '{{reason}}; neuer Versuch in {{delay, duration}}',
  deliveryNoAccount: 'Es ist kein Support-E-Mail-Konto eingerichtet, von dem diese Antwort gesendet werden kann.',
  deliveryNoAddress: 'Der Kunde hat keine E-Mail-Adresse, an die diese Antwort gehen kann.',
  deliveryFileGoneEmail: 'Die angehängte Datei „{{name}}“ ist nicht mehr auf diesem Computer (oder beschädigt), daher wurde die Antwort nicht gesendet. Senden Sie die Antwort erneut und hängen Sie die Datei neu an.',
  deliveryFileGone: 'Die angehängte Datei „{{name}}“ ist nicht mehr auf diesem Computer (oder beschädigt), daher wurde die Nachricht nicht gesendet. Senden Sie sie erneut und hängen Sie die Datei neu an.',
  deliverySentCheck: 'Es konnte nicht geprüft werden, ob diese Antwort schon im Ordner „Gesendet“ liegt ({{reason}}); neue Prüfung in {{delay, duration}}',
  deliveryTooLong: 'Diese Nachricht hat {{length, number}} Zeichen; {{channel}}-Nachrichten dürfen höchstens {{max, number}} haben. Kürzen Sie sie und senden Sie sie erneut.',
  deliveryFileRefused: 'Der Hub hat „{{name}}“ abgelehnt: {{reason}}',
  deliveryUploadRetrying: 'Die Datei „{{name}}“ konnte nicht zum Hub hochgeladen werden ({{reason}}); neuer Versuch in {{delay, duration}}.',
  deliveryHubFailed: 'Der Hub konnte diese Nachricht nicht an den Kunden zustellen.',
  deliveryWaitingForHub: 'Warten auf die Verbindung zum Hub.',
  deliveryHubSilent: 'Der Hub hat nicht geantwortet; neuer Versuch in {{delay, duration}}.',
  smtpAuth: 'Der Mailserver {{host}} hat das Passwort oder Token nicht angenommen ({{reply}})',
  smtpRejected: 'Der Mailserver {{host}} hat die Nachricht abgelehnt: {{reply}}',
  smtpDeferred: 'Der Mailserver {{host}} hat die Nachricht zurückgestellt ({{reply}})',
  smtpRefused: 'Der Mailserver {{host}} hat die Verbindung abgelehnt',
  smtpNotFound: 'Der Mailserver {{host}} wurde nicht gefunden',
  smtpTimeout: 'Der Mailserver {{host}} hat nicht rechtzeitig geantwortet',
  smtpLost: 'Die Verbindung zum Mailserver {{host}} ist abgebrochen',
  smtpTls: 'Die sichere Verbindung zum Mailserver {{host}} ist fehlgeschlagen ({{reply}})',
  smtpFailed: 'Senden fehlgeschlagen: {{reply}}',
};

export const durationWordsDe: Messages<typeof durationWords> = { s: '{{n}} s', min: '{{n}} Min.', h: '{{n}} Std.' };

export const resolutionWordsDe: Messages<typeof resolutionWords> = {
  solved: 'Gelöst',
  workaround: 'Workaround mitgeteilt',
  duplicate: 'Duplikat',
  not_reproducible: 'Nicht reproduzierbar',
  customer_unresponsive: 'Kunde reagiert nicht',
  spam: 'Spam',
};
