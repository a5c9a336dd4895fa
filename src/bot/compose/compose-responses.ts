import type { InvokeResponse } from 'botbuilder';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard, type AdaptiveCardAttachment } from '../../cards';

/** Message-extension response shapes (protocol reference §4.5), built in one place so handlers hold no JSON. */

export interface ThumbnailPreview {
  readonly title: string;
  readonly text: string;
}

export function adaptiveAttachment(card: AdaptiveCard): AdaptiveCardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** A task module (dialog) showing `card`; used for the form, again after an error, and after Edit. */
export function taskContinue(title: string, card: AdaptiveCard): InvokeResponse {
  return {
    status: 200,
    body: {
      task: { type: 'continue', value: { title, height: 'medium', width: 'medium', card: adaptiveAttachment(card) } },
    },
  };
}

/** Closes the dialog showing a short message. */
export function taskMessage(text: string): InvokeResponse {
  return { status: 200, body: { task: { type: 'message', value: text } } };
}

/** The card the user previews and then sends (or edits); Convene posts it itself on Send (design.md §7). */
export function botMessagePreview(card: AdaptiveCard): InvokeResponse {
  return {
    status: 200,
    body: {
      composeExtension: {
        type: 'botMessagePreview',
        activityPreview: { type: 'message', attachments: [adaptiveAttachment(card)] },
      },
    },
  };
}

/**
 * The card inserted into the compose box for the user to send (`result`, one attachment with its thumbnail preview):
 * for clients without botMessagePreview (COMPOSE_SUBMIT_RESULT=insert). The user's message carries it, so Convene
 * doesn't record where it was posted.
 */
export function insertedCard(card: AdaptiveCard, preview: ThumbnailPreview): InvokeResponse {
  return searchResult([{ card, preview }]);
}

/**
 * Asks for sign-in: `auth` opens the link in a popup; `silentAuth` (search only) makes Teams try SSO first and
 * re-send the query with `value.authentication.token`.
 */
export function composeAuth(type: 'auth' | 'silentAuth', signInUrl: string, title: string): InvokeResponse {
  return {
    status: 200,
    body: { composeExtension: { type, suggestedActions: { actions: [{ type: 'openUrl', value: signInUrl, title }] } } },
  };
}

export function searchResult(
  items: readonly { readonly card: AdaptiveCard; readonly preview: ThumbnailPreview }[],
): InvokeResponse {
  return {
    status: 200,
    body: {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: items.map((item) => ({
          ...adaptiveAttachment(item.card),
          preview: {
            contentType: 'application/vnd.microsoft.card.thumbnail',
            content: { title: item.preview.title, text: item.preview.text },
          },
        })),
      },
    },
  };
}

export function composeMessage(text: string): InvokeResponse {
  return { status: 200, body: { composeExtension: { type: 'message', text } } };
}

/** An invoke Convene can't act on (unknown command, malformed value): 400 with a message a developer can read. */
export function badRequest(message: string): InvokeResponse {
  return { status: 400, body: { error: { code: 'BadRequest', message } } };
}
