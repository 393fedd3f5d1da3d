/**
 * System events: a remote run's request changed (approved, rejected, expired, started, finished). The
 * user hears every change; a rejected, expired or finished fix brings the step card back so they can
 * try it themselves or report how the retry went; finished diagnostics feed the planner and the user
 * sees how the plan changed. A case's ticket was opened or noted (ticket-on-handoff.ts): the number.
 */
import type { RemoteUpdateEvent, SystemEvent } from './inputs';
import type { JobStatusMessage } from './messages';
import { applyDiagnostics } from './remote-diagnostics';
import { reshowStep } from './run-for-me';
import { onTicketEvent } from './ticket-on-handoff';
import type { Turn } from './turn';

function tell(turn: Turn, event: RemoteUpdateEvent, text: string, ok: boolean | null = null): void {
  const dry = event.dryRun || event.result?.dryRun;
  turn.emit<JobStatusMessage>({
    kind: 'job-status',
    requestId: event.requestId,
    stage: event.stage === 'cancelled' ? 'finished' : event.stage,
    ok,
    status: turn.t(`remote.status.${event.stage}`),
    text: dry ? `${text} ${turn.t('remote.dry-run')}` : text,
  });
}

const list = (items: string[], max = 3) =>
  items
    .slice(0, max)
    .map((i) => (i.length > 160 ? `${i.slice(0, 159)}…` : i))
    .join('; ');

export async function onSystem(turn: Turn, event: SystemEvent): Promise<void> {
  if (event.type === 'ticket') return onTicketEvent(turn, event);
  return onRemoteUpdate(turn, event);
}

async function onRemoteUpdate(turn: Turn, event: RemoteUpdateEvent): Promise<void> {
  const s = turn.state;
  const run = s.remote && s.remote.requestId === event.requestId ? s.remote : null;
  const computer = run?.computer ?? '';
  switch (event.stage) {
    case 'approved':
      if (run) run.stage = 'approved';
      return tell(turn, event, turn.t('remote.approved', { by: event.by ?? '?', computer }));
    case 'started':
      if (run) run.stage = 'started';
      return tell(turn, event, turn.t('remote.started', { computer }));
    case 'rejected': {
      const reason = event.reason?.trim();
      tell(
        turn,
        event,
        reason
          ? turn.t('remote.rejected-reason', { by: event.by ?? '?', reason })
          : turn.t('remote.rejected', { by: event.by ?? '?' }),
      );
      break;
    }
    case 'expired':
      tell(turn, event, turn.t('remote.expired'));
      break;
    case 'cancelled': {
      const why =
        event.reason === 'not-enrolled' || event.reason === 'stale' || event.reason === 'interrupted'
          ? event.reason
          : 'unreachable';
      turn.emit<JobStatusMessage>({
        kind: 'job-status',
        requestId: event.requestId,
        stage: 'finished',
        ok: false,
        status: turn.t('remote.status.cancelled'),
        text: turn.t(`remote.cancelled.${why}`, { computer }),
      });
      break;
    }
    case 'finished': {
      const result = event.result;
      if (!result) return;
      if (run?.kind === 'diagnostic' && result.facts) {
        tell(turn, event, turn.t('remote.diagnosed', { computer }), result.ok);
        s.remote = null;
        await applyDiagnostics(turn, run, result.facts);
        return;
      }
      const errors = list(result.errors) || turn.t('remote.no-detail');
      const text =
        run?.kind === 'diagnostic'
          ? result.ok
            ? turn.t('remote.diag-no-facts', { computer })
            : turn.t('remote.diag-failed', { computer, status: result.status, errors })
          : result.ok
            ? turn.t('remote.fix-ok', { computer, actions: list(result.actions) || '—' })
            : turn.t('remote.fix-failed', { computer, status: result.status, errors });
      tell(turn, event, text, result.ok);
      if (result.rebootRequired) turn.say(turn.t('remote.reboot-needed'));
      // After a fix: retry and report; after diagnostics that gave nothing usable, or a failure: by hand.
      const retry = result.ok && run?.kind !== 'diagnostic';
      if (run && s.phase === 'guiding' && turn.currentStep()?.id === run.stepId)
        turn.say(turn.t(retry ? 'remote.retry-and-report' : 'remote.try-yourself'));
      break;
    }
  }
  if (!run) return;
  s.remote = null;
  reshowStep(turn, run.stepId);
}
