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
