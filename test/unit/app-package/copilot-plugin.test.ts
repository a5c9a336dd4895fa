import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import {
  checkCopilotPluginRules,
  COPILOT_LIMITS,
  unsupportedCopilotActions,
} from '../../../scripts/app-package/copilot-rules';
import { packageApp, validateAppPackageContents } from '../../../scripts/app-package/package';
import { localEnv, ROOT } from './helpers';

type Json = Record<string, unknown>;
interface Command {
  id: string;
  samplePrompts?: { text: string }[];
  semanticDescription?: string;
  initialRun?: boolean;
  parameters: { name: string; semanticDescription?: string }[];
}

/** The recentMeetings search command as a Microsoft 365 Copilot plugin, on the packaged manifest (offline). */
describe('recentMeetings as a Copilot plugin (packaged manifest)', () => {
  let outDir: string;
  let packaged: Json;
  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'convene-copilot-'));
    const { zipPath } = await packageApp({ root: ROOT, envName: 'local', outDir });
    packaged = JSON.parse(new AdmZip(zipPath).readAsText('manifest.json')) as Json;
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  const copy = (): Json => structuredClone(packaged);
  const search = (m: Json): Command =>
    (m['composeExtensions'] as { commands: Command[] }[])[0]!.commands.find((c) => c.id === 'recentMeetings')!;

  it('follows the guidelines: descriptions, semanticDescription, samplePrompts ≤ 128 characters, initialRun, ≤ 5 parameters', () => {
    assert.deepEqual(checkCopilotPluginRules(packaged), []);
    const command = search(packaged);
    assert.ok(command.samplePrompts!.length >= 3);
    for (const p of command.samplePrompts!) assert.ok(p.text.length <= COPILOT_LIMITS.samplePromptText, p.text);
  });

  it('offers the parameters Copilot can fill: subject words first, a date range, the organizer', () => {
    assert.deepEqual(
      search(packaged).parameters.map((p) => p.name),
      ['query', 'from', 'to', 'organizer'],
    );
  });

  it('fails when a sample prompt list is removed, or a prompt is over 128 characters', async () => {
    const without = copy();
    delete search(without).samplePrompts;
    assert.ok(checkCopilotPluginRules(without).some((p) => p.includes('samplePrompts is required')));
    const long = copy();
    search(long).samplePrompts![0]!.text = 'x'.repeat(129);
    assert.ok(checkCopilotPluginRules(long).some((p) => p.includes('over 128 characters')));
    // Packaging runs the same rules: such a manifest is not packaged.
    const problems = await validateAppPackageContents(without, new Map(), localEnv());
    assert.ok(
      problems.some((p) => p.includes('samplePrompts')),
      JSON.stringify(problems),
    );
  });

  it('fails without semanticDescription, with a too long one, without initialRun, or with six parameters', () => {
    const cases: [string, (c: Command) => void, RegExp][] = [
      ['no semanticDescription', (c) => delete c.semanticDescription, /semanticDescription is missing/],
      ['a 5,001-character one', (c) => (c.semanticDescription = 'x'.repeat(5001)), /over 5000/],
      [
        'a parameter without one',
        (c) => delete c.parameters[1]!.semanticDescription,
        /parameters\[1\]\.semanticDescription/,
      ],
      ['initialRun false', (c) => (c.initialRun = false), /initialRun must be true/],
      [
        'six parameters',
        (c) => c.parameters.push(...c.parameters.slice(0, 2).map((p) => ({ ...p, name: `${p.name}2` }))),
        /more than 5 parameters/,
      ],
    ];
    for (const [what, mutate, expected] of cases) {
      const m = copy();
      mutate(search(m));
      assert.ok(
        checkCopilotPluginRules(m).some((p) => expected.test(p)),
        `${what}: ${JSON.stringify(checkCopilotPluginRules(m))}`,
      );
    }
  });

  it('finds imBack/messageBack actions, which Copilot result cards must not have', () => {
    assert.deepEqual(
      unsupportedCopilotActions({ actions: [{ type: 'Action.Submit', data: { msteams: { type: 'messageBack' } } }] }),
      ['msteams.messageBack'],
    );
    assert.deepEqual(unsupportedCopilotActions({ actions: [{ type: 'Action.OpenUrl', url: 'https://x' }] }), []);
  });
});
