/**
 * The schema, as numbered migrations applied in order (the same SQL on PGlite and PostgreSQL). Never edit
 * a migration that has shipped: add the next number. `schema_version` records what is applied.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const INITIAL = `
CREATE TABLE conversations (
  key text PRIMARY KEY,
  version integer NOT NULL CHECK (version > 0),
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE conversation_references (
  platform text NOT NULL,
  conversation_id text NOT NULL,
  reference jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (platform, conversation_id)
);

CREATE TABLE card_messages (
  platform text NOT NULL,
  card_id text NOT NULL,
  message_id text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (platform, card_id)
);

CREATE TABLE enrollments (
  platform text NOT NULL,
  user_id text NOT NULL,
  computer_name text NOT NULL,
  worker_group text NOT NULL,
  enrolled_by text NOT NULL,
  enrolled_at timestamptz NOT NULL,
  PRIMARY KEY (platform, user_id, computer_name)
);

CREATE TABLE approvals (
  id text PRIMARY KEY,
  conversation_key text NOT NULL,
  requester text NOT NULL,
  step_id text NOT NULL,
  runbook text NOT NULL,
  parameters jsonb NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
  computer_name text NOT NULL,
  worker_group text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  requested_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  decided_by text,
  decided_at timestamptz,
  note text
);
CREATE UNIQUE INDEX approvals_one_pending ON approvals (conversation_key, step_id) WHERE status = 'pending';

CREATE TABLE jobs (
  id text PRIMARY KEY,
  approval_id text NOT NULL UNIQUE REFERENCES approvals (id),
  conversation_key text NOT NULL,
  runbook text NOT NULL,
  parameters jsonb NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
  worker_group text NOT NULL,
  status text NOT NULL CHECK (status <> ''),
  terminal boolean NOT NULL DEFAULT false,
  external_id text,
  summary text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  next_poll_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  polls integer NOT NULL DEFAULT 0
);
CREATE INDEX jobs_to_poll ON jobs (next_poll_at) WHERE NOT terminal;

CREATE TABLE job_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  status text NOT NULL,
  detail text,
  at timestamptz NOT NULL
);
CREATE INDEX job_status_history_job ON job_status_history (job_id, id);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject text,
  target_user text,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE step_outcomes (
  key text PRIMARY KEY,
  conversation_key text NOT NULL,
  code text,
  context text,
  os_family text,
  os_build text,
  step_id text NOT NULL,
  outcome text NOT NULL,
  fixed boolean NOT NULL,
  case_result text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX step_outcomes_code ON step_outcomes (code, context);

CREATE TABLE timers (
  id text PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  due_at timestamptz NOT NULL,
  locked_by text,
  locked_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  fired_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX timers_due ON timers (due_at) WHERE fired_at IS NULL AND failed_at IS NULL;

CREATE TABLE quarantine (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source text NOT NULL,
  key text NOT NULL,
  data text NOT NULL,
  error text NOT NULL,
  at timestamptz NOT NULL
);
`;

/**
 * Remote runs: one open request per employee and computer (any step, any conversation), the digest of
 * the request a card shows and the card's context, and for jobs the first create attempt (the job's id
 * is the remote job name, stored before the create: a job already attempted is read back before any new
 * create) and the digest of the output. Pending duplicates the new index would refuse (from before it)
 * keep the oldest; the others lapse, audited.
 */
const REMOTE_RUNS = `
ALTER TABLE approvals ADD COLUMN digest text;
ALTER TABLE approvals ADD COLUMN context jsonb NOT NULL DEFAULT '{}'
  CHECK (jsonb_typeof(context) = 'object');

WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY requester, lower(computer_name) ORDER BY requested_at, id) AS n
    FROM approvals WHERE status = 'pending'
), superseded AS (
  UPDATE approvals a SET status = 'expired', decided_at = now(),
         note = 'superseded: another request for this computer was already open'
    FROM ranked WHERE a.id = ranked.id AND ranked.n > 1
  RETURNING a.id, a.requester, a.computer_name
)
INSERT INTO audit_log (at, actor, action, subject, target_user, data)
SELECT now(), 'system', 'approval.expired', id, requester,
       jsonb_build_object('reason', 'superseded', 'computerName', computer_name)
  FROM superseded;

CREATE UNIQUE INDEX approvals_one_pending_per_computer ON approvals (requester, lower(computer_name))
  WHERE status = 'pending';
CREATE INDEX approvals_conversation ON approvals (conversation_key, requested_at);

ALTER TABLE jobs ADD COLUMN started_at timestamptz;
ALTER TABLE jobs ADD COLUMN output_digest text;
`;

/**
 * The deciding technician's display name as the chat platform gave it when they pressed, so a card
 * redrawn after a restart still says who decided ("Approved by Kenji Sato"), not an opaque id.
 */
const DECIDER_NAME = `
ALTER TABLE approvals ADD COLUMN decided_by_name text;
`;

/**
 * What a connector needs to redraw a card once answered (the Teams card's neutral message), kept with
 * the card's message id so a card answered after a restart keeps its content.
 */
const CARD_CONTENT = `
ALTER TABLE card_messages ADD COLUMN content jsonb;
`;

/**
 * Duplicate detection shared by every instance on the database (connectors/storage/dedup.ts): one row
 * per delivery key (a Slack event id, a message, a button press, a Teams activity) until it expires.
 */
const DELIVERY_KEYS = `
CREATE TABLE delivery_keys (
  key text PRIMARY KEY,
  seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX delivery_keys_expires ON delivery_keys (expires_at);
`;

/**
 * What each remote-run request's people were last told (`announced`: requested, approved, rejected,
 * expired, finished), so a process that died between recording a change and telling it leaves work a
 * sweep can find and finish. Rows from before are taken as told.
 */
const ANNOUNCED = `
ALTER TABLE approvals ADD COLUMN announced text;
UPDATE approvals a SET announced = CASE
  WHEN a.status = 'pending' THEN 'requested'
  WHEN a.status = 'approved' AND EXISTS (SELECT 1 FROM jobs j WHERE j.approval_id = a.id AND j.terminal)
    THEN 'finished'
  ELSE a.status END;
CREATE INDEX approvals_to_announce ON approvals (requested_at)
  WHERE announced IS NULL OR announced NOT IN ('finished', 'rejected', 'expired');
`;

/**
 * Tickets on hand-off (connectors/storage/ticket-jobs.ts): the outbox of ticket jobs a hand-off writes
 * in the same transaction as the conversation (one row per hand-off, keyed by its idempotency key
 * "<case id>/<hand-off>"), claimed with a lease by any instance and sent once; and each case's ticket
 * once the ticket system gave it (a later hand-off of the case adds a note to it).
 */
const TICKETS = `
CREATE TABLE ticket_jobs (
  id text PRIMARY KEY,
  case_id text NOT NULL,
  conversation_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('open', 'note')),
  system text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  due_at timestamptz NOT NULL,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  ticket_number text,
  told boolean NOT NULL DEFAULT false
);
CREATE INDEX ticket_jobs_due ON ticket_jobs (due_at) WHERE status = 'pending';
CREATE INDEX ticket_jobs_untold ON ticket_jobs (finished_at) WHERE status = 'sent' AND NOT told;
CREATE INDEX ticket_jobs_case ON ticket_jobs (case_id);

CREATE TABLE case_tickets (
  case_id text PRIMARY KEY,
  conversation_key text NOT NULL,
  system text NOT NULL,
  ticket_id text NOT NULL,
  number text NOT NULL,
  url text,
  opened_at timestamptz NOT NULL
);
CREATE INDEX case_tickets_conversation ON case_tickets (conversation_key);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: INITIAL },
  { version: 2, name: 'remote runs', sql: REMOTE_RUNS },
  { version: 3, name: 'decider display name', sql: DECIDER_NAME },
  { version: 4, name: 'card content', sql: CARD_CONTENT },
  { version: 5, name: 'remote run announcements', sql: ANNOUNCED },
  { version: 6, name: 'delivery keys', sql: DELIVERY_KEYS },
  { version: 7, name: 'tickets on hand-off', sql: TICKETS },
];

/** The schema version this code works with. */
export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** The tables `winfix db status` counts. */
export const TABLES = [
  'conversations',
  'conversation_references',
  'card_messages',
  'enrollments',
  'approvals',
  'jobs',
  'job_status_history',
  'audit_log',
  'step_outcomes',
  'timers',
  'quarantine',
  'delivery_keys',
  'ticket_jobs',
  'case_tickets',
] as const;
