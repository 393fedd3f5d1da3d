/** A TeamsLog that keeps every line in memory, for assertions. */
import type { TeamsLog } from '../../connectors/teams/log';

type Level = 'info' | 'warn' | 'error';

export class MemoryLog implements TeamsLog {
  readonly lines: { level: Level; message: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  of(level: Level): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}
