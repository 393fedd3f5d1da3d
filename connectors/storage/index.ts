/** Durable storage: PGlite (embedded, default) or PostgreSQL (DATABASE_URL). The composition root imports this. */
export type {
  Approval,
  ApprovalInput,
  ApprovalStatus,
  DecideResult,
  Decision,
  RefusalReason,
} from './approvals';
export { APPROVAL_EXPIRY, Approvals, approvalDigest, DEFAULT_APPROVAL_TTL_MS } from './approvals';
export type { AuditEntry, AuditEntryInput, AuditQuery } from './audit-log';
export { AuditLog } from './audit-log';
export { BadRows, type StorageLog, silentLog } from './bad-rows';
export type { Enrollment, EnrollmentInput } from './enrollments';
export { Enrollments } from './enrollments';
export * from './errors';
export type { Job, PollRecord, StatusChange } from './jobs';
export { Jobs, QUEUED, TERMINAL_STATUSES } from './jobs';
export { type MigrateResult, migrate, type SchemaStatus, schemaStatus } from './migrate';
export { LATEST_VERSION, MIGRATIONS, type Migration, TABLES } from './migrations';
export { PgliteExecutor } from './pglite-executor';
export { describeUrl, PostgresExecutor, type PostgresOptions } from './postgres-executor';
export {
  type CheckOutcome,
  DEFAULT_READINESS_TIMEOUT_MS,
  databaseCheck,
  migrationsCheck,
  type NamedCheck,
  storageReadiness,
} from './readiness';
export type { Backend, Queryable, QueryResult, SqlExecutor } from './sql';
export { SqlConversationStore } from './sql-conversation-store';
export { SqlReferenceStore } from './sql-reference-store';
export type { StepOutcome, StepOutcomeInput, StepStats } from './step-outcomes';
export { StepOutcomes } from './step-outcomes';
export { openExecutor, openStorage, Storage, type StorageOptions } from './storage';
export {
  type CaseTicketRow,
  insertTicketJobs,
  type TicketJob,
  type TicketJobStatus,
  TicketJobs,
} from './ticket-jobs';
export { type RoundResult, type TimerHandler, TimerRunner, type TimerRunnerOptions } from './timer-runner';
export type { Timer, TimerInput } from './timers';
export { Timers } from './timers';
