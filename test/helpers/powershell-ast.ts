/**
 * Reads PowerShell scripts without PowerShell: tree-sitter-powershell (WASM, through web-tree-sitter) parses
 * them, and the functions below pull out what the runbook conventions talk about — syntax errors, the
 * param() block, [CmdletBinding()], comment-based help, functions and their verbs, ShouldProcess guards and
 * the final statement. `runbookProblems` applies all the conventions to one script against its catalog entry.
 * The modules under ./powershell/ hold them by subject; this one is what the tests import.
 */
export { stringValue } from './powershell/attributes';
export { changes, shouldProcessCalls } from './powershell/changes';
export { APPROVED_VERBS, compareParameters, runbookProblems } from './powershell/conventions';
export {
  cmdletBinding,
  parametersOf,
  type ScriptParameter,
  scriptParamBlock,
} from './powershell/param-block';
export { type ParsedScript, parsePowerShell, powerShellParser, syntaxProblems } from './powershell/parse';
export {
  type CommentHelp,
  commentHelp,
  type FunctionInfo,
  finalPipeTarget,
  functionsOf,
  startsWithErrorActionStop,
} from './powershell/structure';
