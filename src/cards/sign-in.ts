import { t } from '../i18n/index';
import { plain, safeUrl } from './escape';
import { adaptiveCard, openUrl, textBlock } from './builders';
import type { AdaptiveCard } from './types';

export type SignInReason = 'first' | 'consent' | 'expired';

function requireUrl(signInUrl: string): string {
  const url = safeUrl(signInUrl);
  if (!url) throw new TypeError('signInUrl must be an absolute http(s) URL');
  return url;
}

/**
 * Sign-in as an Adaptive Card with Action.OpenUrl to Convene's own link (Agents Playground, `TEAMS_SSO=false`).
 * Throws TypeError when `signInUrl` is not an absolute http(s) URL (a programming error, not user input).
 */
export function renderSignInCard(locale: string, signInUrl: string, reason: SignInReason = 'first'): AdaptiveCard {
  const url = requireUrl(signInUrl);
  return adaptiveCard(
    [
      textBlock(t(locale, 'signin.title'), { style: 'heading', size: 'medium', weight: 'bolder', wrap: true }),
      textBlock(t(locale, `signin.${reason}`), { wrap: true }),
      textBlock(t(locale, 'signin.kept'), { isSubtle: true, wrap: true }),
    ],
    { actions: [openUrl(t(locale, 'signin.button'), url, { style: 'positive' })] },
  );
}

export interface TokenExchangeResource {
  readonly id: string;
  readonly uri: string;
  readonly providerId?: string;
}

export interface SignInButton {
  readonly type: 'signin';
  readonly title: string;
  readonly value: string;
}

/** OAuthCard content; `connectionName` is empty because Convene does OBO itself, not through the token service. */
export interface OAuthCardContent {
  readonly text: string;
  readonly connectionName: '';
  readonly tokenExchangeResource?: TokenExchangeResource;
  readonly buttons: readonly [SignInButton];
}

export const OAUTH_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.oauth';

export interface OAuthCardAttachment {
  readonly contentType: typeof OAUTH_CARD_CONTENT_TYPE;
  readonly content: OAuthCardContent;
}

export interface OAuthCardOptions {
  readonly text: string;
  readonly signInUrl: string;
  /** Omit where Teams SSO can't work (channels, action commands): Teams then shows only the button. */
  readonly tokenExchangeResource?: TokenExchangeResource;
  /** Button title; defaults to the English "Sign in". */
  readonly buttonTitle?: string;
}

function oauthContent(options: OAuthCardOptions): OAuthCardContent {
  return {
    text: plain(options.text, 500),
    connectionName: '',
    ...(options.tokenExchangeResource ? { tokenExchangeResource: { ...options.tokenExchangeResource } } : {}),
    buttons: [
      {
        type: 'signin',
        title: plain(options.buttonTitle ?? t('en', 'signin.button'), 60),
        value: requireUrl(options.signInUrl),
      },
    ],
  };
}

/** The Bot Framework OAuthCard attachment (personal/group chat first ask; SSO via `tokenExchangeResource`). */
export function renderOAuthCard(options: OAuthCardOptions): OAuthCardAttachment {
  return { contentType: OAUTH_CARD_CONTENT_TYPE, content: oauthContent(options) };
}

/** The `value` of a 401 `application/vnd.microsoft.activity.loginRequest` answer to `adaptiveCard/action`. */
export function renderLoginRequest(options: OAuthCardOptions): OAuthCardContent {
  return oauthContent(options);
}
