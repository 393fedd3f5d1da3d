/** The Windows versions offered as choices when the bot asks for the OS (common ones first). */
import type { OsInfo } from '../rules/vocabulary';
import type { OsChoiceId } from './inputs';

export interface OsChoice {
  id: Exclude<OsChoiceId, 'unknown'>;
  label: string;
  os: OsInfo;
}

export const OS_CHOICES: readonly OsChoice[] = [
  {
    id: 'win11-25h2',
    label: 'Windows 11 25H2',
    os: { family: 'windows-11', version: '25H2', build: '26200' },
  },
  {
    id: 'win11-24h2',
    label: 'Windows 11 24H2',
    os: { family: 'windows-11', version: '24H2', build: '26100' },
  },
  {
    id: 'win11-23h2',
    label: 'Windows 11 23H2',
    os: { family: 'windows-11', version: '23H2', build: '22631' },
  },
  {
    id: 'win10-22h2',
    label: 'Windows 10 22H2',
    os: { family: 'windows-10', version: '22H2', build: '19045' },
  },
  { id: 'win81', label: 'Windows 8.1', os: { family: 'windows-8.1', version: null, build: '9600' } },
  { id: 'win7', label: 'Windows 7 SP1', os: { family: 'windows-7', version: 'SP1', build: '7601' } },
];

export function osOfChoice(id: OsChoiceId): OsInfo | null {
  return OS_CHOICES.find((c) => c.id === id)?.os ?? null;
}

/** "Windows 11 23H2 (build 22631.4460)" — for summaries. */
export function describeOs(os: OsInfo): string {
  const family = os.family.replace('windows-', 'Windows ');
  const version = os.version ? ` ${os.version}` : '';
  const build = os.build ? ` (build ${os.build})` : '';
  return `${family}${version}${build}`;
}
