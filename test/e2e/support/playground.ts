/**
 * One scenario's world: the dev stack (`startDevStack`, the same code as `npm run dev`), headless Chromium on the
 * Agents Playground, and helpers that drive the Playground's UI with the selectors that are known to work
 * (docs: /work/shared/reference/agents-playground.md). Every wait is on a selector, never a fixed sleep.
 */
import type { Locator, Page } from 'playwright-core';
import { LOCAL_TENANT_ID, LOCAL_USERS, type LocalUser } from '../../../emulators/fixtures';
import { startDevStack, type DevStack } from '../../../scripts/dev-stack';
import { SignedTokens } from '../../../src/auth/signed-token';
import { completeSignInLink } from '../../support/harness';
import { launchBrowser, screenshot, type E2eBrowser } from './browser';

/** The Playground's `currentUser` (.m365agentsplayground.yml) is Ada, the first fixture user. */
export const PLAYGROUND_USER = LOCAL_USERS[0]!;

export const UI_TIMEOUT_IN_MS = 20_000;
/** Replies that go through Entra and Graph (and a slow, shared CI machine). */
export const REPLY_TIMEOUT_IN_MS = 40_000;

export interface Scenario {
  readonly name: string;
  readonly stack: DevStack;
  readonly browser: E2eBrowser;
  readonly page: Page;
  /** Everything Convene and the Playground printed, for failure reports. */
  readonly output: string[];
  /** Screenshot `test-results/e2e/<scenario>-<step>.png` of the Playground (or of `page`). */
  shot(step: string, page?: Page): Promise<void>;
  close(): Promise<void>;
}

/** Starts the stack and the browser and opens the Playground; cleans up everything it started if any step fails. */
export async function openScenario(name: string): Promise<Scenario> {
  const output: string[] = [];
  const stack = await startDevStack({
    onOutput: (source, line) => output.push(`${source}: ${line}`),
    // JSON lines read better in a failure report than pino-pretty's colours.
    conveneEnv: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' },
  });
  let browser: E2eBrowser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_IN_MS);
    await page.goto(stack.playgroundUrl!);
    await composer(page).waitFor();
    const opened = browser;
    return {
      name,
      stack,
      browser: opened,
      page,
      output,
      async shot(step, target = page) {
        await screenshot(target, name, step);
      },
      async close() {
        await opened.close();
        await stack.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await stack.stop();
    throw error;
  }
}

/** The message box of the open conversation (in a channel: the "Start a new post" box, the first one). */
export function composer(scope: Page | Locator): Locator {
  return scope.locator('[role="textbox"][contenteditable="true"]').first();
}

export async function sendChatMessage(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await box.click();
  await box.pressSequentially(text);
  await page.locator('button[aria-label="Send Message"]').first().click();
}

/** Starts a channel post that @mentions Convene through the Playground's mention picker, then posts it. */
export async function postChannelMention(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await box.click();
  await box.pressSequentially('@Conv');
  await page
    .getByRole('menu')
    .getByRole('menuitem', { name: /Convene/ })
    .click();
  await box.pressSequentially(` ${text}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** An Adaptive Card (the newest matching one) whose text contains `text`. */
export function card(scope: Page | Locator, text: string | RegExp): Locator {
  return scope.locator('.ac-adaptiveCard', { hasText: text }).last();
}

/** Convene's meeting card for `subject`: the welcome card quotes example subjects too, but has no Meeting ID. */
export function meetingCard(scope: Page | Locator, subject: string): Locator {
  return scope.locator('.ac-adaptiveCard').filter({ hasText: subject }).filter({ hasText: 'Meeting ID' }).last();
}

/** The card's Action.OpenUrl "Join" (rendered as a link). */
export function joinButton(meeting: Locator): Locator {
  return meeting
    .getByRole('link', { name: 'Join', exact: true })
    .or(meeting.getByRole('button', { name: 'Join', exact: true }));
}

/**
 * Clicks the sign-in card's "Sign in" (Action.OpenUrl: a popup), picks `user` on the Entra stand-in's account page
 * and waits for Convene's "You're signed in" page. Screenshots: `<step>-entra`, `<step>-signed-in`.
 */
export async function signInThroughPopup(
  scenario: Scenario,
  signInCard: Locator,
  user: LocalUser,
  step: string,
): Promise<Page> {
  const { page } = scenario;
  const popupOpened = page.waitForEvent('popup');
  await signInCard
    .getByRole('link', { name: 'Sign in' })
    .or(signInCard.getByRole('button', { name: 'Sign in' }))
    .click();
  const popup = await popupOpened;
  popup.setDefaultTimeout(UI_TIMEOUT_IN_MS);
  const account = popup.getByRole('button', { name: user.name, exact: true });
  await account.waitFor();
  await popup.getByRole('heading', { name: 'Pick an account' }).waitFor();
  await scenario.shot(`${step}-entra`, popup);
  await account.click();
  await popup.getByRole('heading', { name: "You're signed in" }).waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
  await scenario.shot(`${step}-signed-in`, popup);
  return popup;
}

/**
 * Signs `user` in without the UI (the link flow over HTTP, as the integration harness does), for scenarios whose
 * subject is not sign-in. Needs NODE_EXTRA_CA_CERTS in the test process (the npm script sets it).
 */
export async function signInOverHttp(stack: DevStack, user: LocalUser): Promise<void> {
  const secret = stack.conveneEnv['SIGNING_SECRET'];
  if (!secret) throw new Error('the dev stack has no SIGNING_SECRET');
  const token = new SignedTokens(secret, { now: () => Date.now() }).sign(
    { o: user.aadObjectId, t: LOCAL_TENANT_ID },
    60_000,
  );
  const outcome = await completeSignInLink(`${stack.conveneUrl}/auth/start?t=${encodeURIComponent(token)}`, user);
  if (outcome.status !== 200)
    throw new Error(`sign-in over HTTP failed: ${outcome.status} ${outcome.page.slice(0, 300)}`);
}

/** The last `lines` lines Convene and the Playground printed, for a failed test's report. */
export function tail(scenario: Scenario | undefined, lines = 60): string {
  return scenario ? scenario.output.slice(-lines).join('\n') : '(the scenario did not start)';
}

/**
 * Registers a suite's hooks for one Playground scenario: opened once and signed in over HTTP (sign-in is not what
 * these suites test), its processes' last lines printed when a test fails, closed at the end. Returns the scenario.
 */
export function signedInScenario(name: string): () => Scenario {
  let scenario: Scenario | undefined;
  before(async function () {
    scenario = await openScenario(name);
    await signInOverHttp(scenario.stack, PLAYGROUND_USER);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      console.error(`--- Convene and Playground output (last lines) ---\n${tail(scenario)}`);
  });
  after(async function () {
    await scenario?.close();
  });
  return () => {
    if (!scenario) throw new Error(`the ${name} scenario is not open`);
    return scenario;
  };
}
