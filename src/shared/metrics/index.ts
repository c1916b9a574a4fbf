// Supervisor metrics: pure aggregations over the event log and case summaries.
export * from './channelMetrics';
export * from './deflection';
export * from './erlangC';
export * from './dashboard';
export * from './report';
