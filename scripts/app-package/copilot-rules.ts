/**
 * Microsoft's rules for a bot-based search message extension used as a Microsoft 365 Copilot plugin, checked on a
 * filled manifest offline. Sources:
 * - learn.microsoft.com/microsoftteams/platform/messaging-extensions/dev-guidelines-agents (descriptions are
 *   must-fix; semanticDescription up to 5,000 characters for a command and 2,000 for a parameter; up to 10 commands
 *   and 5 parameters each; samplePrompts are mandatory for validation; `initialRun: true` for the OAuth link;
 *   "search through dialog isn't supported");
 * - learn.microsoft.com/microsoft-365/extensibility/schema/root-compose-extensions-commands-sample-prompts (a
 *   prompt's text is at most 128 characters, at most 5 prompts);
 * - learn.microsoft.com/microsoftteams/platform/messaging-extensions/build-bot-based-plugin ("Only bot-based message
 *   extensions with search commands can be extended as plugins").
 */

interface ManifestParameter {
  readonly name?: unknown;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly semanticDescription?: unknown;
}

interface ManifestCommand {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly description?: unknown;
  readonly semanticDescription?: unknown;
  readonly initialRun?: unknown;
  readonly fetchTask?: unknown;
  readonly samplePrompts?: unknown;
  readonly parameters?: readonly ManifestParameter[];
}

export const COPILOT_LIMITS = {
  commands: 10,
  parameters: 5,
  commandSemanticDescription: 5000,
  parameterSemanticDescription: 2000,
  samplePromptText: 128,
  samplePrompts: 5,
  /** Below this a description can't say what the command searches and how (the guideline's "detailed list"). */
  minDescription: 20,
} as const;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function checkCommand(c: ManifestCommand, where: string): string[] {
  const problems: string[] = [];
  if (text(c.description).length < COPILOT_LIMITS.minDescription)
    problems.push(`${where}.description must say what the command searches and how`);
  const semantic = text(c.semanticDescription);
  if (!semantic) problems.push(`${where}.semanticDescription is missing`);
  if (semantic.length > COPILOT_LIMITS.commandSemanticDescription) {
    problems.push(`${where}.semanticDescription is over ${COPILOT_LIMITS.commandSemanticDescription} characters`);
  }
  if (c.initialRun !== true)
    problems.push(`${where}.initialRun must be true (Copilot shows the OAuth link on the initial run)`);
  if (c.fetchTask === true) problems.push(`${where}: search through a dialog (fetchTask) isn't supported in Copilot`);
  const prompts = Array.isArray(c.samplePrompts) ? (c.samplePrompts as { text?: unknown }[]) : [];
  if (prompts.length === 0) problems.push(`${where}.samplePrompts is required for validation`);
  if (prompts.length > COPILOT_LIMITS.samplePrompts)
    problems.push(`${where}.samplePrompts has more than ${COPILOT_LIMITS.samplePrompts} prompts`);
  prompts.forEach((p, i) => {
    const t = text(p.text);
    if (!t) problems.push(`${where}.samplePrompts[${i}].text is empty`);
    if (t.length > COPILOT_LIMITS.samplePromptText)
      problems.push(`${where}.samplePrompts[${i}].text is over ${COPILOT_LIMITS.samplePromptText} characters`);
  });
  const params = c.parameters ?? [];
  if (params.length === 0) problems.push(`${where} has no parameters Copilot can fill`);
  if (params.length > COPILOT_LIMITS.parameters)
    problems.push(`${where} has more than ${COPILOT_LIMITS.parameters} parameters`);
  const names = new Set<string>();
  params.forEach((p, i) => {
    const at = `${where}.parameters[${i}]`;
    const name = text(p.name);
    if (names.has(name)) problems.push(`${at}: parameters must not be identical ("${name}" twice)`);
    names.add(name);
    if (text(p.description).length < 10) problems.push(`${at}.description must describe the accepted values`);
    if (!text(p.semanticDescription)) problems.push(`${at}.semanticDescription is missing`);
    if (text(p.semanticDescription).length > COPILOT_LIMITS.parameterSemanticDescription) {
      problems.push(`${at}.semanticDescription is over ${COPILOT_LIMITS.parameterSemanticDescription} characters`);
    }
  });
  return problems;
}

/** The Copilot-plugin problems of a filled manifest; empty when it follows the guidelines. */
export function checkCopilotPluginRules(manifest: unknown): string[] {
  const m = (manifest ?? {}) as {
    description?: { short?: unknown; full?: unknown };
    composeExtensions?: { commands?: ManifestCommand[] }[];
  };
  const problems: string[] = [];
  if (!/copilot/i.test(text(m.description?.full)))
    problems.push('description.full must explain how the app is used in Microsoft 365 Copilot');
  if (!text(m.description?.short)) problems.push('description.short is missing');
  const commands = (m.composeExtensions ?? []).flatMap((e) => e.commands ?? []);
  if (commands.length > COPILOT_LIMITS.commands)
    problems.push(`more than ${COPILOT_LIMITS.commands} message extension commands`);
  const search = commands.filter((c) => c.type === 'query');
  if (search.length === 0) problems.push('no search (query) command: only search commands become Copilot plugins');
  search.forEach((c) => problems.push(...checkCommand(c, `command "${text(c.id)}"`)));
  return problems;
}

/** Card actions Copilot can't run in a search result (dev-guidelines-agents: no imBack/messageBack). */
export function unsupportedCopilotActions(card: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'imBack' || record['type'] === 'messageBack') found.push(String(record['type']));
    const msteams = record['msteams'] as { type?: unknown } | undefined;
    if (msteams?.type === 'imBack' || msteams?.type === 'messageBack') found.push(`msteams.${String(msteams.type)}`);
    for (const [key, value] of Object.entries(record)) if (key !== 'msteams') visit(value);
  };
  visit(card);
  return found;
}
