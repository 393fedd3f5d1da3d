/** What an approval card's digest is computed from, and how: canonical JSON, then sha256. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level (undefined members left out, as JSON does). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The sha256 (hex) of what a request runs where: runbook, parameters (keys sorted), computer and worker
 * group, as canonical JSON. Stored with the request and carried by its card, so a decision can check
 * that the card approved is the request stored.
 */
export function approvalDigest(request: {
  runbook: string;
  parameters: Record<string, unknown>;
  computerName: string;
  workerGroup: string;
}): string {
  const canonical = canonicalJson({
    runbook: request.runbook,
    parameters: request.parameters,
    computerName: request.computerName,
    workerGroup: request.workerGroup,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
