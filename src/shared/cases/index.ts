// Cases across channels: threading decides where an event goes, caseOps changes cases, handoff
// carries the context to the next channel. All pure.
export * from './threading';
export * from './caseOps';
export * from './handoff';
