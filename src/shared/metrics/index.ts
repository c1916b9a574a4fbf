// Supervisor metrics: pure aggregations over the event log and case summaries.
export * from './channelMetrics';
