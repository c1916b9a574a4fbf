// The sentences main and the hub refuse with, as a catalog: English here (the workspace's
// `serverErrors` namespace re-exports it, other languages translate it), so an error carries a
// key and its params next to the English sentence and the renderer shows it in the agent's language.
// `say(key, params)` is the only way to build one: the compiler checks the key and that the params
// are exactly the sentence's {{placeholders}}. Formats: number, bytes, and the word lists at the end
// (ids such as a channel or a presence, which each language names in its own words), and `when` (a time).
// The status sentences (timeline lines, delivery, connections) are in serverSentences.ts, spread in here.
import { DateTime } from 'luxon';
import { callWords, durationParts, durationWords, resolutionWords, serverSentences } from './serverSentences';

export const serverErrors = {
  ...serverSentences,
  // ------------------------------------------------------------ generic
  caseMissing: 'Case #{{caseId}} does not exist.',
  caseMissingThere: 'There is no case #{{caseId}}.',
  customerMissing: 'Customer {{customerId}} does not exist.',
  eventMissing: 'Event {{eventId}} does not exist.',
  agentMissingLocal: 'Agent {{agentId}} does not exist.',
  mailAccountMissing: 'Mail account {{accountId}} does not exist.',
  macroMissing: 'Macro {{macroId}} does not exist.',
  internal: '{{method}} failed unexpectedly; the details are in the log.',
  invalidOutput: '{{method}} returned data the workspace cannot use.',

  // ------------------------------------------------------------ composer and attachments
  noAttachmentsHere: 'Files cannot be attached here.',
  attachmentEmpty: '“{{name}}” is empty; there is nothing to attach.',
  attachmentTooLarge: '“{{name}}” is {{size, bytes}}; a file can be at most {{max, bytes}}.',
  attachmentDangerousExtension: '“{{name}}” is a .{{ext}} file, which can run programs when opened; such files are not sent. Put it in a shared folder and send the link instead.',
  attachmentDangerousType: '“{{name}}” is a program or installer ({{type}}), whatever its name says; such files are not sent. Put it in a shared folder and send the link instead.',
  attachmentsNotOnChannel: 'Files cannot be sent on this channel; only email and chat replies carry attachments.',
  attachmentsTooMany: 'At most {{max}} files can go on one reply; remove {{over}}.',
  attachmentNotForChat: '“{{name}}” cannot go in one chat message: chats take pictures (PNG, JPEG, GIF, WebP) and PDF files. Send it by email instead.',
  attachmentNotForInApp: '“{{name}}” cannot go in one in-app message: chats take pictures (PNG, JPEG, GIF, WebP) and PDF files. Send it by email instead.',
  attachmentsTooLargeEmail: 'The attachments add up to {{total, bytes}}; one email can carry at most {{max, bytes}}. Remove some, or share a link instead.',
  attachmentsTooLargeChat: 'The attachments add up to {{total, bytes}}; one chat message can carry at most {{max, bytes}}. Remove some, or share a link instead.',
  attachmentsTooLargeInApp: 'The attachments add up to {{total, bytes}}; one in-app message can carry at most {{max, bytes}}. Remove some, or share a link instead.',
  uploadUnknown: 'This file upload is no longer known (it waited too long or the app restarted); attach the file again.',
  uploadBusy: 'At most {{max}} files can be uploading at once; wait for one to finish.',
  uploadOrder: 'The file arrived out of order (expected byte {{expected}}, got {{got}}); attach it again.',
  uploadSize: '“{{name}}” is larger than it said ({{size}} bytes); attach it again.',
  uploadIncomplete: 'Only {{received}} of {{size}} bytes of “{{name}}” arrived; attach it again.',
  attachFailed: '“{{name}}” could not be attached; try again.',
  attachmentGone: '“{{name}}” is no longer on this computer; remove it and attach it again.',
  replyOverLimit: 'This reply is {{length, number}} characters; {{channel, reply}} takes at most {{max, number}}. Shorten it by {{over, number}}.',
  macroUnknownVariable: 'Unknown variable {{names}}. A macro can use {{known}}.',
  macroUnknownVariables: 'Unknown variables {{names}}. A macro can use {{known}}.',
  macroHotkeyTaken: 'Alt+{{hotkey}} is already the hotkey of “{{title}}”; pick another or none.',
  transcriptNoFiles: 'The chat transcript could not be attached: this desktop keeps no files.',
  transcriptNotStored: 'The chat transcript could not be attached: {{reason}}',
  macroSharedOnly: 'Only supervisors and admins can change shared macros.',
  macroShareForbidden: 'Only supervisors and admins can share macros; save it as personal.',

  // ------------------------------------------------------------ case actions
  caseMerged: 'Case #{{caseId}} was merged into case #{{into}}; work on case #{{into}} instead.',
  caseMergedAlready: 'Case #{{caseId}} was merged into case #{{into}} already.',
  caseMergedSplit: 'Case #{{caseId}} was merged into case #{{into}}; split case #{{into}} instead.',
  caseClosedNewMessage: 'Case #{{caseId}} is {{status, status}}; a new message reopens it.',
  caseAlready: 'Case #{{caseId}} is already {{status, status}}.',
  caseNotResolvedAdd: 'Case #{{caseId}} is {{status, status}}, not resolved; add the message to it instead.',
  caseLinkSelf: 'Case #{{caseId}} cannot be linked to itself.',
  caseMergeSelf: 'Case #{{caseId}} cannot be merged into itself.',
  caseOtherCustomer: 'Case #{{source}} belongs to another customer than case #{{target}}; merge the customers first.',
  caseSplitSameId: 'The new case needs an id other than {{caseId}}.',
  caseSplitEmpty: 'Select the messages to move to the new case.',
  caseNoEvents: 'Case #{{caseId}} has no event {{events}}.',
  caseSplitAll: 'Splitting every event of case #{{caseId}} would leave it empty; change its subject instead.',
  snoozeInPast: 'Pick a time in the future to snooze until.',
  snoozeResolved: 'Case #{{caseId}} is {{status, status}}; reopen it before snoozing.',
  reopenNotResolved: 'Case #{{caseId}} is {{status, status}}, not resolved; there is nothing to reopen.',
  linkSelf: 'A case cannot be linked to itself; enter another case number.',
  mergeTargetMissing: 'There is no case #{{caseId}} to merge into.',
  mergeTargetNotOpen: 'Case #{{caseId}} is {{status, status}}; merge into an open case of the customer, or reopen #{{caseId}} first.',
  mergeBothOnHub: 'Case #{{source}} and case #{{target}} are both conversations on the team hub, which cannot merge them; link them instead.',
  splitNoSuchMessage: 'Case #{{caseId}} has no message {{eventId}}.',
  splitNotAMessage: 'Split at a message of the customer or an agent, not at a note or a status line.',
  retryMissing: 'Event {{eventId}} has no outgoing message to retry.',
  retryDelivered: 'This message is already delivered; only a message that was not delivered can be retried.',
  retrySending: 'This message is being sent right now; only a message that was not delivered can be retried.',
  retryQueued: 'This message is already waiting to be sent; only a message that was not delivered can be retried.',
  retryNotFailed: 'This message is no longer failed; only a message that was not delivered can be retried.',

  // ------------------------------------------------------------ links, knowledge base, voice
  linkEmpty: 'The link is empty.',
  linkTooLong: 'The link is longer than {{max}} characters.',
  linkSpaces: 'The link contains spaces or control characters around or inside it.',
  linkNotALink: '“{{text}}” is not a link.',
  linkScheme: 'Omni Desk does not open {{scheme}} links; it opens omni:, tel: and mailto: links.',
  linkOmniCredentials: 'An omni: link has no user name, password or port.',
  linkOmniFragment: 'An omni: link has no #fragment.',
  linkOmniQuery: 'An omni://{{target}}/ link takes no ?query.',
  linkNotACaseNumber: '“{{text}}” is not a case number; the link looks like omni://case/42.',
  linkNotACustomerNumber: '“{{text}}” is not a customer number; the link looks like omni://customer/42.',
  linkSearchPath: 'An omni://search link has no path; the text goes in ?q=.',
  linkSearchQuery: 'An omni://search link takes exactly one q= and nothing else.',
  linkSearchEscape: 'The search text has a broken %-escape.',
  linkSearchEmpty: 'The search text is empty.',
  linkSearchTooLong: 'The search text is longer than {{max}} characters.',
  linkSearchControl: 'The search text contains control characters.',
  linkOmniEmpty: 'An omni: link names what to open after omni://, e.g. omni://case/42.',
  linkOmniUnknown: 'Omni Desk does not know omni://{{target}}; it opens omni://case/…, omni://customer/… and omni://search?q=….',
  linkTelQuery: 'A tel: link has no ?query or #fragment.',
  linkTelEscape: 'The tel: link has a broken %-escape.',
  linkTelControl: 'The tel: link contains control characters.',
  linkTelExtension: 'The extension of the tel: link is not 1 to 10 digits.',
  linkTelNotANumber: '“{{text}}” is not a phone number.',
  linkMailEscape: 'The mailto: link has a broken %-escape.',
  linkMailSubjectBreak: 'The subject of the mailto: link contains a line break.',
  linkMailSubjectControl: 'The subject of the mailto: link contains control characters.',
  linkMailSubjectTooLong: 'The subject is longer than {{max}} characters.',
  linkMailBodyControl: 'The body of the mailto: link contains control characters.',
  linkMailBodyTooLong: 'The body is longer than {{max}} characters.',
  linkMailAddressControl: 'An address of the mailto: link contains control characters.',
  linkMailTooMany: 'The mailto: link names more than {{max}} recipients.',
  linkMailNoRecipient: 'The mailto: link names no recipient.',
  linkCaseNotHere: 'The link names case #{{caseId}}, which is not on this desktop.',
  kbArticleMissing: 'The article "{{slug}}" is not in the knowledge-base cache.',
  kbNoPortal: 'The portal’s address is not known yet: connect to the hub once, or insert the summary instead.',
  voiceNeedsHub: 'The softphone needs a hub connection for its Twilio token; sign in to one in Settings → Team hub.',
  voiceTokenFailed: 'The softphone token could not be had: {{reason}}',
  callChangeFailed: 'The call could not be changed: {{reason}}',
  callTransferFailed: 'The call could not be transferred: {{reason}}',
  voiceTransferNumber: '"{{number}}" is not a phone number the call can be transferred to.',
  voiceMergeSelf: 'A caller cannot be merged into itself.',
  voiceNotProvisional: 'Customer {{customerId}} is not a provisional caller profile.',
  voiceMergeTargetGone: 'Customer {{customerId}} does not exist or was merged.',
  reportSaveCancelled: 'Saving the report was cancelled.',
  dashboardSignIn: 'Sign in as a supervisor or admin to see the supervisor dashboard.',
  dashboardRole: 'Only supervisors and admins can see the supervisor dashboard and its reports.',
  reportPdfDesktopOnly: 'Saving the report as a PDF needs the desktop app; in the browser, use Print and choose "Save as PDF".',

  // ------------------------------------------------------------ roles and privacy
  consoleSignIn: 'Sign in as a supervisor or admin to open the live console.',
  consoleRole: 'Only supervisors and admins can open the live console and act on the team.',
  channelConfigSignIn: 'Sign in as an admin to change the channel configuration.',
  channelConfigRole: 'Only admins can see and change the channel configuration.',
  channelConfigNoHub: 'The channel configuration lives on the hub, and this desktop has no hub connection.',
  revealForbidden: '{{agent}} is {{role, role}}; only supervisors and admins can reveal masked text.',
  auditForbidden: '{{agent}} is {{role, role}}; only admins can read the privacy audit.',
  eraseForbidden: '{{agent}} is {{role, role}}; only admins can erase a customer.',
  eraseConfirmName: 'Type the customer\'s name exactly as shown ("{{name}}") to erase them.',
  passwordFromEnvironment: 'Passwords come from the environment here ({{variable}}); set it there and restart. The password was not stored.',
  keychainMissing: 'No OS keychain is available ({{problem}}); the password was not stored.',
  restrictedKeyNotLoaded: 'This content is from a restricted channel and is encrypted; the key for restricted channels is not loaded.',
  restrictedDamaged: 'Restricted content is damaged (too short to be sealed).',
  restrictedUndecryptable: 'Restricted content cannot be decrypted with the key in the secret store (another key, or the data was altered).',
  restrictedNeedsKey: 'Restricted content cannot be changed without the key for restricted channels.',

  // ------------------------------------------------------------ the desktop's hub side
  hubNotConnected: 'This desktop is not connected to a hub; sign in to one in Settings → Team hub.',
  hubNotNow: 'The hub is not connected right now; try again when the workspace shows Online.',
  hubClosed: 'The connection to the hub closed before it answered; try again.',
  hubGone: 'The desktop is not connected to its hub.',
  hubNoAnswer: 'The hub did not answer {{request}} within {{time}}.',
  hubAnswerUnreadable: 'The hub\'s answer to {{request}} was not understood.',
  hubSendFailed: 'The request could not be sent to the hub: {{reason}}',
  hubNotHubCase: 'Case #{{caseId}} is not a hub conversation; only chat, SMS, social and in-app conversations can be transferred or escalated.',
  consoleNeedsHub: 'The live console needs the hub; this desktop is not connected to one.',
  hubShuttingDown: 'The desktop is shutting down; the hub was not changed.',
  hubBuiltInFailed: 'The built-in hub could not start: {{reason}}',
  hubUnreachable: 'The hub at {{host}} could not be reached ({{reason}}).',
  hubNothingListening: 'The hub at {{host}} could not be reached (nothing is listening there).',
  hubNameUnknown: 'The hub at {{host}} could not be reached (the name is not known).',
  hubWrongPassword: 'The hub at {{host}} did not accept the user name or password.',
  hubSignInRefused: 'The hub at {{host}} refused the sign-in: {{reason}}',
  hubNoStoredPassword: 'No password is stored for {{username}} on {{host}}; sign in from Settings → Team hub.',
  hubFixed: 'This desktop was started with a fixed hub connection; its hub cannot be changed from the settings.',
  hubAddressInvalid: '"{{address}}" is not an address; enter one like https://hub.example.com.',
  hubAddressScheme: 'The hub\'s address must start with http:// or https:// (not {{scheme}}//).',
  hubAddressCredentials: 'Leave the user name and password out of the hub\'s address; they have their own fields.',
  hubNotAHubStatus: '{{host}} does not look like an Omni Desk hub: it answered the sign-in with HTTP {{status}}. Check the address.',
  hubNotAHubAnswer: '{{host}} does not look like an Omni Desk hub: its answer to the sign-in is not a hub\'s. Check the address.',

  // ------------------------------------------------------------ the hub's refusals
  voiceTwilioMissing: 'The softphone needs Twilio settings on the hub that are still empty: {{settings}}.',
  hubSaveFailed: 'The hub could not save this change; nothing was stored. Try again.',
  hubNoLocalAdmin: 'A team hub has no local admin; sign in with a user name and password.',
  uploadNotForConversation: 'A file of this message was not uploaded for this conversation; attach it again.',
  agentExists: 'An agent named "{{username}}" already exists.',
  agentPasswordShort: 'The password needs at least {{min}} characters.',
  agentNoSuchName: 'There is no agent named "{{username}}".',
  signInWrong: 'The user name or password is wrong.',
  sessionUnknown: 'This session is not known to the hub; sign in again.',
  sessionExpired: 'This session has expired; sign in again.',
  accountDisabled: 'This account is disabled; ask an administrator.',
  sessionUnchecked: 'The session could not be checked.',
  ratingInvalid: 'A rating is a whole number from 1 to 5.',
  conversationMissing: 'There is no conversation {{conversationId}}.',
  agentMissing: 'There is no agent {{agentId}}.',
  conversationNotYours: 'This conversation is assigned to someone else; ask a supervisor to transfer it.',
  filesNotOnHub: 'Files cannot be sent on this hub.',
  keyReused: 'This idempotency key was already used for a message in another conversation.',
  transferResolved: 'A resolved conversation cannot be transferred.',
  transferNoAgent: 'There is no agent {{agentId}} to transfer to.',
  agentOffline: '{{agent}} is offline',
  agentPresence: '{{agent}} is {{presence, presence}}',
  agentFull: '{{agent}} already has {{current}} of {{capacity}} {{channel, channel}} conversations',
  transferOffline: '{{agent}} is offline; the conversation stays with you.',
  transferPresence: '{{agent}} is {{presence, presence}}; the conversation stays with you.',
  transferFull: '{{agent}} already has {{current}} of {{capacity}} {{channel, channel}} conversations; the conversation stays with you.',
  reassignOffline: '{{agent}} is offline; the conversation stays where it is.',
  reassignPresence: '{{agent}} is {{presence, presence}}; the conversation stays where it is.',
  reassignFull: '{{agent}} already has {{current}} of {{capacity}} {{channel, channel}} conversations; the conversation stays where it is.',
  mentionNotInternal: 'Agents can be @mentioned in internal notes only, never in a message to the customer.',
  mentionNoAgent: 'There is no agent {{agentId}} to mention; the note was not saved.',
  reopenNotYours: 'This conversation was handled by someone else; ask a supervisor to reopen it.',
  reopenNotResolvedHub: 'Conversation {{conversationId}} is not resolved; there is nothing to reopen.',
  reopenSuperseded: 'The customer has written again since; that conversation ({{conversationId}}) is open, so this one stays closed.',
  reassignRole: 'Only supervisors and admins can reassign or take a conversation.',
  reassignResolved: 'A resolved conversation cannot be reassigned; reopen it first.',
  reassignNoAgent: 'There is no agent {{agentId}} to give the conversation to.',
  eraseRole: '{{agent}} is an agent; only supervisors and admins can erase a customer\'s data.',
  eraseNotSaved: 'The hub could not save its open changes; nothing was erased. Try again.',
  eraseFailed: 'The hub could not save the erase; nothing was erased. Try again.',
  escalateResolved: 'A resolved conversation cannot be escalated.',
  teamSnapshotRole: 'Only supervisors and admins can see the team snapshot.',
  channelConfigAdminOnly: 'Only admins can see the channel configuration.',
  channelConfigChangeAdminOnly: 'Only admins can change the channel configuration.',
  channelConfigStale: 'Version {{version}} was saved by {{savedBy}} at {{at}} UTC after you opened version {{opened}}; nothing was saved. Reload, then make your change again.',
  channelConfigUnchanged: 'This is the same as version {{version}}; nothing was saved.',
  noVoiceModule: 'This hub does not handle {{request}}; its voice module is not mounted.',
  noChannelConfig: 'This hub keeps no channel configuration.',
  capacityRole: 'Only supervisors and admins can change an agent\'s capacity.',
  protocolVersion: 'This hub speaks agent protocol {{hub}}, the desktop sent {{desktop}}; update the older side.',
  offerMissing: 'There is no such offer for you.',
  offerTaken: 'Another agent already took this conversation.',
  offerClosed: 'This offer is no longer open.',

  // ------------------------------------------------------------ words the sentences above use for ids ({{x, presence}}, …)
  presence: { available: 'available', busy: 'busy', away: 'away', on_call: 'on a call', wrap_up: 'in wrap-up', offline: 'offline' },
  role: { agent: 'an agent', supervisor: 'a supervisor', admin: 'an admin' },
  status: { open: 'open', pending: 'pending', snoozed: 'snoozed', resolved: 'resolved', closed: 'closed' },
  channel: { email: 'email', chat: 'chat', phone: 'phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'in-app', portal: 'portal' },
  // a channel's name at the start of a sentence or as a heading (CHANNEL_LABELS)
  channelName: { email: 'Email', chat: 'Chat', phone: 'Phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-app', portal: 'Portal' },
  resolution: resolutionWords,
  call: callWords,
  duration: durationWords,
  reply: { sms: 'an SMS', chat: 'a chat message', messenger: 'a Messenger message', instagram: 'an Instagram message', x: 'an X direct message', in_app: 'an in-app message', other: 'this channel' },
  // the channel configuration's fields, days and handoff rules (channelConfig.ts)
  matrixField: {
    platform: 'platform',
    hours: 'hours',
    timeZone: 'time zone',
    weekly: 'opening hours',
    holidays: 'holidays',
    sla: 'first-response SLA',
    priority: 'routing priority',
    autoReply: 'auto-reply',
    autoReplyOn: 'auto-reply on or off',
    autoReplyText: 'auto-reply text',
    closedText: 'auto-reply closed text',
    backupChannel: 'backup channel',
    cost: 'cost per contact',
  },
  ruleField: { from: 'from', to: 'to', keep: 'what it keeps', produce: 'what it produces', visibility: 'visibility' },
  weekday: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
  dayHours: { closed: 'closed' },
  onOff: { on: 'on', off: 'off' },
  backup: { none: 'none', email: 'Email', chat: 'Chat', phone: 'Phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-app', portal: 'Portal' },
  handoffChannel: { social: 'social channels', any: 'any channel', escalation: 'escalation', email: 'email', chat: 'chat', phone: 'phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'in-app', portal: 'portal' },
  handoffPart: {
    full_transcript: 'keeps the full transcript',
    public_context: 'keeps the public context',
    whole_history: 'keeps the whole history',
    call_brief: 'produces a call brief',
    private: 'continues in private',
    public: 'continues in public',
  },
  // a call's outcome as the hub and the demo write it ({{outcome, callOutcome}}); an unknown one stays as written
  callOutcome: {
    answered: 'answered',
    'no-answer': 'not answered',
    no_answer: 'not answered',
    busy: 'busy',
    abandoned: 'abandoned',
    'after-hours': 'after hours',
    voicemail: 'voicemail',
    left_voicemail: 'left a voicemail',
    'on hold': 'on hold',
    'caller hung up on hold': 'caller hung up on hold',
    resolved: 'resolved',
    follow_up: 'follow-up',
    escalated: 'escalated',
    transferred: 'transferred',
    callback_scheduled: 'callback scheduled',
    connected: 'connected',
    completed: 'completed',
    failed: 'failed',
    canceled: 'cancelled',
  },
  valueType: { string: 'text', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list', other: 'a value of another kind' },
} as const;

type Catalog = typeof serverErrors;
/** The sentences' keys (the nested word lists are not sentences). */
export type ServerErrorKey = { [K in keyof Catalog]: Catalog[K] extends string ? K : never }[keyof Catalog];
export type ServerErrorParam = string | number;

/** "{{name}} is {{size, bytes}}" → 'name' | 'size'. */
type Placeholders<S extends string> = S extends `${string}{{${infer P}}}${infer Rest}`
  ? (P extends `${infer Name},${string}` ? Name : P) | Placeholders<Rest>
  : never;
export type ServerErrorParams<K extends ServerErrorKey> = { [P in Placeholders<Catalog[K]>]: ServerErrorParam };

/** An error sentence: the catalog key, its params, and the English sentence made from them. */
export interface Said {
  readonly key: ServerErrorKey;
  readonly params: Readonly<Record<string, ServerErrorParam>>;
  readonly message: string;
}

const KB = 1024;
const MB = 1024 * KB;

/** "312 KB", "4.5 MB" (the English the attachment limits are written in). */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) {
    const mb = bytes / MB;
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.round(bytes / KB))} KB`;
}


/** The formats that name an id with a word of the catalog (each a word list above). */
export const WORD_FORMATS = [
  'presence', 'role', 'status', 'channel', 'channelName', 'reply', 'resolution', 'call',
  'matrixField', 'ruleField', 'weekday', 'dayHours', 'onOff', 'backup', 'handoffChannel', 'handoffPart', 'valueType', 'callOutcome',
] as const;
export type WordFormat = (typeof WORD_FORMATS)[number];
export const isWordFormat = (format: string | undefined): format is WordFormat => (WORD_FORMATS as readonly (string | undefined)[]).includes(format);

/** The English of one {{name, format}}. */
function formatEnglish(value: ServerErrorParam, format: string | undefined): string {
  if (format === 'number') return typeof value === 'number' ? value.toLocaleString('en-US') : value;
  if (format === 'bytes') return typeof value === 'number' ? formatBytes(value) : value;
  if (format === 'duration') {
    if (typeof value !== 'number') return value;
    const { unit, n } = durationParts(value);
    return serverErrors.duration[unit].replace('{{n}}', String(n));
  }
  // The workspace shows a time in the agent's zone; the English fallback has no zone to go by.
  if (format === 'when') return typeof value === 'number' ? `${DateTime.fromMillis(value, { zone: 'utc' }).toFormat('ccc d LLL, HH:mm')} UTC` : value;
  if (isWordFormat(format)) {
    const words: Readonly<Record<string, string>> = serverErrors[format];
    return words[value] ?? words.other ?? String(value);
  }
  return String(value);
}

/** Fills a catalog sentence's {{placeholders}} in English. */
export function interpolateEnglish(template: string, params: Readonly<Record<string, ServerErrorParam>>): string {
  return template.replace(/\{\{\s*(\w+)\s*(?:,\s*(\w+)\s*)?\}\}/g, (whole, name: string, format: string | undefined) => {
    const value = params[name];
    return value === undefined ? whole : formatEnglish(value, format);
  });
}

type ParamsArg<K extends ServerErrorKey> = [Placeholders<Catalog[K]>] extends [never] ? [] : [params: ServerErrorParams<K>];

/** A sentence from the catalog with its params: `new AppError('case/self', say('linkSelf'))`. */
export function say<K extends ServerErrorKey>(key: K, ...rest: ParamsArg<K>): Said {
  const params: Record<string, ServerErrorParam> = { ...(rest[0] ?? {}) };
  return { key, params, message: interpolateEnglish(serverErrors[key], params) };
}

export function isServerErrorKey(key: unknown): key is ServerErrorKey {
  return typeof key === 'string' && Object.hasOwn(serverErrors, key) && typeof serverErrors[key as keyof Catalog] === 'string';
}
