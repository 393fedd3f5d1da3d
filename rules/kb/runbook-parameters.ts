/** Checks parameters against the catalog: every one known, required ones present, sets and patterns kept. */
export function checkParameters(
  catalog: { name: string; required: boolean; validateSet?: string[]; pattern?: string }[],
  parameters: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(parameters))
    if (!catalog.some((p) => p.name === name)) problems.push(`unknown parameter ${name}`);
  for (const p of catalog) {
    const value = parameters[p.name];
    if (value === undefined) {
      if (p.required) problems.push(`missing parameter ${p.name}`);
      continue;
    }
    if (p.validateSet && !p.validateSet.includes(value))
      problems.push(`${p.name} must be one of ${p.validateSet.join(', ')}`);
    if (p.pattern && !new RegExp(p.pattern).test(value))
      problems.push(`${p.name} "${value}" does not match ${p.pattern}`);
  }
  return problems;
}
