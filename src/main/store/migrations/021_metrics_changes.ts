// Schema 21: the supervisor dashboard keeps the event log's figures-relevant columns in memory
// and brings them up to date at each request. New rows are found by id; this table records the
// rows that changed or went away since (an event moved to another case, a case resolved or rated,
// a customer's tier changed, anything erased), whoever wrote them. The kept copy reads and then
// deletes what it has applied; at start, with no copy kept yet, the table is emptied.
// tbl: 0 events, 1 cases, 2 customers. AUTOINCREMENT: a seq is never handed out twice, even after
// the table was emptied, so a copy's "applied up to seq N" stays true.
export const migration021 = {
  version: 21,
  name: 'metrics change log',
  sql: /* sql */ `
CREATE TABLE metrics_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl INTEGER NOT NULL,
  row_id INTEGER NOT NULL
);
CREATE TRIGGER metrics_events_au AFTER UPDATE OF id, case_id, customer_id, channel, direction, kind, author_type, author_id, occurred_at, metadata ON events BEGIN
  INSERT INTO metrics_changes (tbl, row_id) VALUES (0, OLD.id);
  INSERT INTO metrics_changes (tbl, row_id) SELECT 0, NEW.id WHERE NEW.id != OLD.id;
END;
CREATE TRIGGER metrics_events_ad AFTER DELETE ON events BEGIN
  INSERT INTO metrics_changes (tbl, row_id) VALUES (0, OLD.id);
END;
CREATE TRIGGER metrics_cases_au AFTER UPDATE OF id, customer_id, issue_type, status, created_at, resolved_at, first_response_at, csat_score, resolution_code, channel, origin_channel ON cases BEGIN
  INSERT INTO metrics_changes (tbl, row_id) VALUES (1, OLD.id);
  INSERT INTO metrics_changes (tbl, row_id) SELECT 1, NEW.id WHERE NEW.id != OLD.id;
END;
CREATE TRIGGER metrics_cases_ad AFTER DELETE ON cases BEGIN
  INSERT INTO metrics_changes (tbl, row_id) VALUES (1, OLD.id);
END;
CREATE TRIGGER metrics_customers_au AFTER UPDATE OF id, tier ON customers BEGIN
  INSERT INTO metrics_changes (tbl, row_id) VALUES (2, OLD.id);
  INSERT INTO metrics_changes (tbl, row_id) SELECT 2, NEW.id WHERE NEW.id != OLD.id;
END;
CREATE TRIGGER metrics_customers_ad AFTER DELETE ON customers BEGIN
  INSERT INTO metrics_changes (tbl, row_id) VALUES (2, OLD.id);
END;
`,
};
