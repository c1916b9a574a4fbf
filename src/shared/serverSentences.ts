// The status sentences main and the hub write (timeline system lines, delivery and connection
// statuses): part of the serverErrors catalog (spread into it, built with the same `say()`), kept in
// a file of their own. A timeline line keeps its English body for search and export and carries its
// key and params in the event's metadata (storedSentence.ts); the renderer shows it translated.

export const serverSentences = {
  // ------------------------------------------------------------ timeline system lines
  lineResolved: 'Case #{{caseId}} resolved by {{agent}}.',
  lineResolvedAs: 'Resolved as {{code, resolution}} by {{agent}}.',
  lineSnoozedUntil: 'Snoozed until {{until, when}} by {{agent}}.',
  lineSnoozedUntilReply: 'Snoozed until the customer replies by {{agent}}.',
  lineSnoozeEnded: 'Snooze ended; case #{{caseId}} is back in the queue.',
  lineReopened: 'Reopened by {{agent}}.',
  lineReopenedOnHub: 'Reopened on the hub by {{agent}}.',
  lineLinked: 'Linked to case #{{caseId}}.',
  lineMergedHere: 'Case #{{source}} (“{{subject}}”) merged into this case by {{agent}}; its {{count}} events moved here.',
  lineMergedHereOne: 'Case #{{source}} (“{{subject}}”) merged into this case by {{agent}}; its 1 event moved here.',
  lineMergedInto: 'Merged into case #{{target}} by {{agent}}; case #{{source}} is closed.',
  lineSplitInto: 'Split into case #{{caseId}} by {{agent}}: {{count}} events from this thread moved there.',
  lineSplitIntoOne: 'Split into case #{{caseId}} by {{agent}}: 1 event from this thread moved there.',
  lineSplitOff: 'Split off case #{{caseId}} by {{agent}} with {{count}} events.',
  lineSplitOffOne: 'Split off case #{{caseId}} by {{agent}} with 1 event.',
  lineMoved: 'Moved to another agent: {{reason}}',
  lineRated: 'Rated {{score}} out of 5.',
  lineCallIn: 'Incoming call from {{from}}: {{status, call}}',
  lineCallInOutcome: 'Incoming call from {{from}}: {{status, call}} ({{outcome}})',
  lineCallOut: 'Outgoing call to {{to}}: {{status, call}}',
  lineCallOutOutcome: 'Outgoing call to {{to}}: {{status, call}} ({{outcome}})',
  lineVoicemail: 'Voicemail from {{from}}',
  lineVoicemailText: 'Voicemail from {{from}}: {{text}}',
  lineRatedComment: 'Rated {{score}} out of 5: “{{comment}}”',
  // internal notes main writes for a transfer or an escalation (the agent's own note is a param, never translated)
  noteTransferredTo: 'Transferred to {{agent}}.',
  noteTransferredToWithNote: 'Transferred to {{agent}}: {{note}}',
  noteTransferredQueue: 'Transferred to the {{queue}} queue.',
  noteTransferredQueueWithNote: 'Transferred to the {{queue}} queue: {{note}}',
  noteTransferredSomeone: 'Transferred to another agent.',
  noteTransferredSomeoneWithNote: 'Transferred to another agent: {{note}}',
  noteEscalated: 'Escalated: {{reason}}',
  noteHandoff: 'Handoff note: {{note}}',
  noteEscalatedHandoff: 'Escalated: {{reason}}\nHandoff note: {{note}}',
  // why the hub moved a conversation away from this desktop (the {{reason}} above)
  movedTo: 'Moved to {{agent}}',
  movedTaken: 'Taken by {{actor}}',
  movedReassigned: 'Reassigned to {{agent}} by {{actor}}',
  movedTransferred: 'Transferred to {{agent}}',
  movedToQueue: 'Transferred to the {{queue}} queue',
  movedCalled: '{{agent}} called the customer',
  movedEscalated: 'Escalated',
  movedEscalatedTo: 'Escalated to {{agent}}',
  movedCallWaits: 'The customer called; you were not free, so the call waits in the phone queue.',
  movedVoicemail: 'The call was not answered; the caller is leaving a voicemail.',
  movedCallToQueue: '{{agent}} transferred the call to the phone queue.',

  // ------------------------------------------------------------ delivery: the outbox's reasons (timeline, Retry)
  deliveryRetrying: '{{reason}}; retrying in {{delay, duration}}',
  deliveryNoAccount: 'No support email account is set up to send this reply from.',
  deliveryNoAddress: 'The customer has no email address to send this reply to.',
  deliveryFileGoneEmail: 'The attached file “{{name}}” is no longer on this computer (or was damaged), so the reply was not sent. Send the reply again with the file attached anew.',
  deliveryFileGone: 'The attached file “{{name}}” is no longer on this computer (or was damaged), so the message was not sent. Send it again with the file attached anew.',
  deliverySentCheck: 'Could not check the Sent folder whether this reply already went out ({{reason}}); checking again in {{delay, duration}}',
  deliveryTooLong: 'This message is {{length, number}} characters long; {{channel}} messages take at most {{max, number}}. Shorten it and send it again.',
  deliveryFileRefused: 'The hub refused “{{name}}”: {{reason}}',
  deliveryUploadRetrying: 'The file “{{name}}” could not be uploaded to the hub ({{reason}}); retrying in {{delay, duration}}.',
  deliveryHubFailed: 'The hub could not deliver this message to the customer.',
  deliveryWaitingForHub: 'Waiting for the connection to the hub.',
  deliveryHubSilent: 'The hub did not answer; retrying in {{delay, duration}}.',
  smtpAuth: 'The mail server {{host}} did not accept the password or token ({{reply}})',
  smtpRejected: 'The mail server {{host}} rejected the message: {{reply}}',
  smtpDeferred: 'The mail server {{host}} deferred the message ({{reply}})',
  smtpRefused: 'The mail server {{host}} refused the connection',
  smtpNotFound: 'The mail server {{host}} could not be found',
  smtpTimeout: 'The mail server {{host}} did not answer in time',
  smtpLost: 'The connection to the mail server {{host}} was lost',
  smtpTls: 'The secure connection to the mail server {{host}} failed ({{reply}})',
  smtpFailed: 'Sending failed: {{reply}}',

  // ------------------------------------------------------------ mailbox (IMAP) status in Settings
  imapTokenRefused: 'The sign-in token was not accepted by {{host}}. Sign in to the account again.',
  imapTokenRefusedSaid: 'The sign-in token was not accepted by {{host}} (the server said: {{reply}}). Sign in to the account again.',
  imapPasswordRefused: 'The password was not accepted by {{host}}. Check the user name and password of the account.',
  imapPasswordRefusedSaid: 'The password was not accepted by {{host}} (the server said: {{reply}}). Check the user name and password of the account.',
  imapCertExpired: 'The certificate of {{host}} has expired ({{code}}); the connection was not made.',
  imapCertWrongHost: 'The certificate of {{host}} is not issued for {{host}} ({{code}}); the connection was not made.',
  imapCertSelfSigned: 'The certificate of {{host}} is self-signed ({{code}}); the connection was not made.',
  imapCertUntrusted: 'The certificate of {{host}} is not trusted ({{code}}); the connection was not made.',
  imapTls: 'A secure connection to {{where}} could not be established. Check the port and the encryption setting (TLS / STARTTLS).',
  imapRefused: 'The server {{where}} refused the connection. Check the host and port, or whether the mail server is running.',
  imapHostNotFound: 'The server name {{host}} could not be found. Check the host name and the network.',
  imapTimeout: 'The server {{where}} did not answer in time.',
  imapLost: 'The connection to {{host}} was lost.',
  imapUnreachable: 'The server {{where}} cannot be reached from this network.',
  imapFolderMissing: 'The folder {{folder}} does not exist on {{host}}.',
  imapServerProblem: 'The mail server {{host}} reported a problem: {{text}}.',
  imapNoCredentials: 'No password or sign-in is stored for {{address}}. Enter it in the account settings.',
  imapClosed: 'The connection to the mail server was closed.',
  imapRetrySeconds: '{{reason}} Trying again in {{seconds}} s.',
  imapRetryMinutes: '{{reason}} Trying again in {{minutes}} min.',
  imapRetryNow: '{{reason}} Trying again.',

  // ------------------------------------------------------------ the hub connection's status (Settings → Team hub)
  hubStatusNotConnected: 'Not connected to a hub.',
  hubStatusNone: 'No hub is in use: chat, SMS and social replies wait in the outbox.',
  hubStatusStarting: 'Starting the hub connection…',
  hubStatusNoConnection: 'No hub connection: {{reason}}',
  hubStatusConnecting: 'Connecting to the hub at {{host}}…',
  hubStatusReconnecting: 'Reconnecting to the hub at {{host}}…',
  hubStatusCatchingUp: 'Signed in to the hub as {{agent}}; catching up…',
  hubStatusConnected: 'Connected to the hub at {{host}} as {{agent}}.',
  hubStatusDenied: 'The hub refused the sign-in: {{reason}}',
  hubStatusRetrySeconds: '{{reason}}; retrying in {{seconds}} s. Replies are queued.',
  hubStatusRetryMinutes: '{{reason}}; retrying in {{minutes}} min. Replies are queued.',
  hubSocketRefused: 'The hub at {{host}} refused the connection',
  hubSocketNotFound: 'The hub\'s address {{host}} could not be found',
  hubSocketSilent: 'The hub at {{host}} did not answer',
  hubSocketReset: 'The connection to the hub at {{host}} was reset',
  hubSocketUnreachable: 'The hub at {{host}} could not be reached ({{reason}})',
  hubSocketStoppedAnswering: 'The hub stopped answering',
  hubSocketTooLarge: 'A message was too large for the hub connection',
  hubSocketClosed: 'The hub closed the connection',
  hubSocketClosedWhy: 'The hub closed the connection ({{reason}})',
  hubSocketSignInFailed: 'Could not sign in to the hub ({{reason}})',

  // ------------------------------------------------------------ identifiers in a deep link (the reason after "is not an email address:" stays English)
  identityPhoneInvalid: '“{{text}}” is not a phone number that can be dialled from {{region}} or internationally.',
  identityEmailInvalid: '“{{text}}” is not an email address: {{why}}.',

  // ------------------------------------------------------------ the attachment store
  attachmentStoreTooLarge: 'The attachment is {{size, bytes}}, larger than the {{max, bytes}} limit; it was not stored.',

  // ------------------------------------------------------------ what the hub did of a GDPR erase
  eraseHubNone: 'Erased from this desktop; the customer has no conversations on the hub.',
  eraseHubNoConversations: 'The customer has no hub conversations; nothing to erase there.',
  eraseHubDone: 'Erased on the hub too ({{conversations}} conversations, {{messages}} messages, {{files}} files); other desktops erase their copies as they hear of it.',
  eraseHubRefused: 'Erased from this desktop, but the hub refused: {{reason}}',
  eraseHubLater: 'Erased from this desktop. The hub is not reachable now; it is asked again as soon as it is.',

  // ------------------------------------------------------------ fixed author names on timeline rows (storedSentence.ts)
  authorHub: 'Hub',
  authorCustomer: 'Customer',
  authorYou: 'You',
  authorHandoff: 'Handoff',
  authorAutoAnswer: 'Automatic answer',

  // ------------------------------------------------------------ the channel configuration's problems (channelConfig.ts)
  matrixProblem: '{{where}}: {{problem}}',
  matrixWhereChannel: '{{channel, channelName}}',
  matrixWhereChannelField: '{{channel, channelName}} {{field}}',
  matrixWhereRule: 'handoff rule {{n}}',
  matrixWhereRuleField: 'handoff rule {{n}} {{field}}',
  matrixWhereAll: 'the configuration',
  matrixOwnBackup: '{{channel, channelName}} cannot be its own backup channel',
  matrixBackupCycle: 'backup channels form a cycle ({{cycle}}); one channel in it must have no backup',
  matrixNoHours: '{{channel, channelName}} has no open hours on any day; give at least one range, or "24/7"',
  matrixHolidayTwice: '{{channel, channelName}} lists the holiday {{date}} twice',
  matrixPlaceholderOne: 'uses {{wrong}}, which does not exist; it can use {{a}}',
  matrixPlaceholderTwo: 'uses {{wrong}}, which does not exist; it can use {{a}} and {{b}}',
  matrixHandoffSelf: 'a handoff from {{from}} to itself hands nothing over',
  matrixInvalid: 'The channel configuration is not valid: {{problems}}.',
  matrixInvalidMore: 'The channel configuration is not valid: {{problems}} (and {{more}} more).',
  matrixFileNotJson: 'The file is not JSON; choose a channel configuration exported from this screen.',
  matrixFileNotExport: 'The file is not an exported channel configuration: {{field}} {{problem}}.',
  matrixFileFormat: 'is not "{{format}}": this is not an exported channel configuration',
  matrixFileWhole: 'the file',

  // ------------------------------------------------------------ a mailbox's archive-on-resolve (imapSupervisor.ts)
  archiveRefusedOne: '1 email of case {{cases}} could not be moved to "{{folder}}" on {{host}}: the server refused the move and the folder could not be created. Check the archive folder in the mailbox settings.',
  smsRefused: 'Twilio refused the SMS: {{reason}}.',
  smsRefusedCode: 'Twilio refused the SMS: {{reason}} (error {{code}}).',
  metaRefused: 'Meta refused the message: {{reason}}.',
  xRefused: 'X refused the message: {{reason}}.',
  smsReportedFailed: 'Twilio reports the SMS failed.',
  smsReportedFailedCode: 'Twilio reports the SMS failed (error {{code}}).',
  smsReportedUndelivered: 'Twilio reports the SMS undelivered.',
  smsReportedUndeliveredCode: 'Twilio reports the SMS undelivered (error {{code}}).',
  smsReportedCanceled: 'Twilio reports the SMS canceled.',
  smsReportedCanceledCode: 'Twilio reports the SMS canceled (error {{code}}).',
  archiveRefused: '{{count}} emails of case {{cases}} could not be moved to "{{folder}}" on {{host}}: the server refused the move and the folder could not be created. Check the archive folder in the mailbox settings.',

  // ---- delivery and outage details (hub)
  deliveryGaveUp: '{{reason}} (gave up after {{attempts}} attempts)',
  deliveryFailedNoReason: 'Delivery failed',
  deliverySenderFailed: 'The {{channel, channel}} sender failed: {{error}}',
  metaUnreachable: "Meta's Graph API could not be reached: {{error}}.",
  xUnreachable: "X's API could not be reached: {{error}}.",
  smsUnreachable: 'Twilio could not be reached: {{error}}.',
  smsOptedOut: '{{address}} replied STOP; they must text START before we can write again.',
  outageNoDetail: 'Deliveries keep failing',
} as const;

/** "{{delay, duration}}": a wait in whole seconds, minutes or hours (under a minute, under an hour, else). */
export const durationWords = { s: '{{n}} s', min: '{{n}} min', h: '{{n}} h' } as const;

/** The unit and count of a wait, as the outbox says "retrying in 2 min". */
export function durationParts(ms: number): { unit: keyof typeof durationWords; n: number } {
  if (ms < 60_000) return { unit: 's', n: Math.max(1, Math.round(ms / 1000)) };
  if (ms < 3_600_000) return { unit: 'min', n: Math.round(ms / 60_000) };
  return { unit: 'h', n: Math.round(ms / 3_600_000) };
}

/** A call's status ({{status, call}}), as the timeline's call rows name it. */
export const callWords = {
  queued: 'waiting in the queue',
  ringing: 'ringing',
  'in-progress': 'in progress',
  completed: 'ended',
  busy: 'busy',
  'no-answer': 'not answered',
  failed: 'failed',
  canceled: 'cancelled',
} as const;

/** The names of the resolution codes ({{code, resolution}}), as in contractCaseActions' RESOLUTION_CODES. */
export const resolutionWords = {
  solved: 'Solved',
  workaround: 'Workaround given',
  duplicate: 'Duplicate',
  not_reproducible: 'Not reproducible',
  customer_unresponsive: 'Customer unresponsive',
  spam: 'Spam',
} as const;
