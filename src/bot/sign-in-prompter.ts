import { CardFactory, MessageFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import { renderNoticeCard, renderOAuthCard, renderSignInCard } from '../cards';
import { t } from '../i18n';
import type { SignInLinks } from '../auth/sign-in-link';
import type { Logger } from '../logging/logger';
import type { PendingRequest } from '../meetings/pending-requests';
import type { GraphAccess } from '../meetings/ports';
import type { TurnInfo } from './turn-reader';

export interface SignInPrompterDeps {
  readonly links: SignInLinks;
  readonly teamsSso: boolean;
  /** tokenExchangeResource.uri: the app ID URI Teams gets SSO tokens for. */
  readonly appIdUri: string | undefined;
  readonly adapter: Pick<CloudAdapter, 'createConversationAsync'>;
  readonly botAppId: string;
  readonly logger: Logger;
}

export type PromptReason = 'first' | 'consent' | 'expired';

/**
 * Asks a user to sign in the way their scope allows (design.md §2 table): SSO OAuth card in personal and group
 * chats; in a channel a neutral note in the thread and the prompt in the user's 1:1 chat (SSO fails in channels);
 * a plain link card when SSO is off (Agents Playground, TEAMS_SSO=false).
 */
export class SignInPrompter {
  constructor(private readonly deps: SignInPrompterDeps) {}

  /** `access`: what the waiting request needs; a town hall's link also asks for VirtualEvent.ReadWrite. */
  async prompt(
    context: TurnContext,
    turn: TurnInfo,
    pending: PendingRequest | undefined,
    reason: PromptReason,
    access: GraphAccess = 'meetings',
  ): Promise<void> {
    if (!turn.user) return;
    const url = this.deps.links.linkFor(turn.user, {
      ...(pending ? { pendingId: pending.id } : {}),
      ...(reason === 'consent' ? { prompt: 'consent' as const } : {}),
      ...(access === 'meetings' ? {} : { access }),
    });
    const sso = this.deps.teamsSso && reason !== 'consent' && this.deps.appIdUri !== undefined;
    if (!sso) {
      await context.sendActivity(
        MessageFactory.attachment(CardFactory.adaptiveCard(renderSignInCard(turn.locale, url, reason))),
      );
      return;
    }
    const oauth = this.oauthAttachment(turn, url, pending?.id ?? `signin-${Date.now()}`, reason);
    if (turn.scope !== 'channel') {
      await context.sendActivity({ attachments: [oauth] });
      return;
    }
    if (await this.sendToPersonalChat(context, turn, oauth)) {
      await context.sendActivity(
        MessageFactory.attachment(
          CardFactory.adaptiveCard(renderNoticeCard(turn.locale, 'notice.signInSentPrivately')),
        ),
      );
      return;
    }
    // No 1:1 chat possible: a link card in the thread; the link is bound to the requester, so nobody else can use it.
    await context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(renderSignInCard(turn.locale, url, reason))),
    );
  }

  /** A consent link for a request completed outside a turn (proactively), bound to its user and pending request. */
  consentLink(user: NonNullable<TurnInfo['user']>, pendingId: string, access: GraphAccess): string {
    return this.deps.links.linkFor(user, {
      pendingId,
      prompt: 'consent',
      ...(access === 'meetings' ? {} : { access }),
    });
  }

  private oauthAttachment(turn: TurnInfo, url: string, exchangeId: string, reason: PromptReason) {
    return renderOAuthCard({
      text: t(turn.locale, reason === 'expired' ? 'signin.expired' : 'signin.first'),
      buttonTitle: t(turn.locale, 'signin.button'),
      signInUrl: url,
      tokenExchangeResource: { id: exchangeId, uri: this.deps.appIdUri! },
    });
  }

  private async sendToPersonalChat(
    context: TurnContext,
    turn: TurnInfo,
    attachment: ReturnType<typeof renderOAuthCard>,
  ): Promise<boolean> {
    const activity = context.activity;
    try {
      await this.deps.adapter.createConversationAsync(
        this.deps.botAppId,
        activity.channelId,
        activity.serviceUrl,
        'https://api.botframework.com',
        {
          isGroup: false,
          bot: activity.recipient,
          members: [{ id: turn.teamsUserId, name: turn.userName }],
          tenantId: turn.user?.tenantId,
          channelData: { tenant: { id: turn.user?.tenantId } },
        },
        async (personal) => {
          await personal.sendActivity({ attachments: [attachment] });
        },
      );
      return true;
    } catch (e) {
      this.deps.logger.warn(
        { err: e instanceof Error ? { name: e.name, message: e.message } : undefined },
        'could not open a 1:1 chat for sign-in',
      );
      return false;
    }
  }
}
