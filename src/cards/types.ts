/**
 * A typed subset of Adaptive Card 1.5: what Convene's cards use, and nothing misspelt compiles. Templates are written
 * against the same types; a field that the template engine fills from data may be a `${…}` binding.
 */
export type Binding = `\${${string}}`;

/** Template directives (Adaptive Cards Templating, compiled by template.ts); absent from the rendered card. */
interface Templated {
  readonly $when?: string;
  readonly $data?: string;
}

export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';

export interface TextBlock extends Templated {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  readonly weight?: 'lighter' | 'default' | 'bolder';
  readonly color?: TextColor;
  readonly isSubtle?: boolean;
  readonly style?: 'default' | 'heading';
  readonly spacing?: Spacing;
  readonly separator?: boolean;
  readonly id?: string;
}

export interface Fact extends Templated {
  readonly title: string;
  readonly value: string;
}

export interface FactSet extends Templated {
  readonly type: 'FactSet';
  readonly facts: readonly Fact[];
  readonly spacing?: Spacing;
}

export interface Container extends Templated {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  readonly spacing?: Spacing;
  readonly separator?: boolean;
}

export interface ActionSet extends Templated {
  readonly type: 'ActionSet';
  readonly actions: readonly CardAction[];
  readonly spacing?: Spacing;
}

interface InputBase extends Templated {
  readonly id: string;
  readonly label?: string;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
  readonly spacing?: Spacing;
}

export interface InputText extends InputBase {
  readonly type: 'Input.Text';
  readonly value?: string;
  readonly placeholder?: string;
  readonly maxLength?: number;
}

export interface InputDate extends InputBase {
  readonly type: 'Input.Date';
  /** yyyy-MM-dd */
  readonly value?: string;
}

export interface InputTime extends InputBase {
  readonly type: 'Input.Time';
  /** HH:mm */
  readonly value?: string;
}

export interface InputNumber extends InputBase {
  readonly type: 'Input.Number';
  readonly value?: number | Binding;
  readonly min?: number;
  readonly max?: number;
  readonly placeholder?: string;
}

export interface InputToggle extends InputBase {
  readonly type: 'Input.Toggle';
  readonly title: string;
  readonly value?: string;
  readonly valueOn?: string;
  readonly valueOff?: string;
}

export type CardElement =
  | TextBlock
  | FactSet
  | Container
  | ActionSet
  | InputText
  | InputDate
  | InputTime
  | InputNumber
  | InputToggle;

/** JSON-safe data carried by actions. */
export type ActionData = Readonly<Record<string, string | number | boolean>>;

export interface OpenUrlAction extends Templated {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
  readonly style?: 'default' | 'positive' | 'destructive';
}

export interface SubmitAction extends Templated {
  readonly type: 'Action.Submit';
  readonly title: string;
  readonly data?: ActionData | Binding;
  readonly style?: 'default' | 'positive' | 'destructive';
}

/** Universal Action; Teams sends it as the `adaptiveCard/action` invoke. The fallback serves clients without 1.4+. */
export interface ExecuteAction extends Templated {
  readonly type: 'Action.Execute';
  readonly title: string;
  readonly verb: string;
  readonly data?: ActionData | Binding;
  readonly style?: 'default' | 'positive' | 'destructive';
  readonly fallback?: SubmitAction;
}

export interface ShowCardAction extends Templated {
  readonly type: 'Action.ShowCard';
  readonly title: string;
  readonly card: NestedCard;
}

export type CardAction = OpenUrlAction | SubmitAction | ExecuteAction | ShowCardAction;

/** The card inside an Action.ShowCard (no version or refresh of its own). */
export interface NestedCard {
  readonly type: 'AdaptiveCard';
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
}

export interface Refresh extends Templated {
  readonly action: {
    readonly type: 'Action.Execute';
    readonly verb: string;
    readonly data?: ActionData | Binding;
  };
  /** At most 60 MRIs; `[]` means manual refresh only. */
  readonly userIds: readonly string[] | Binding;
}

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: typeof ADAPTIVE_CARD_SCHEMA;
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
  readonly refresh?: Refresh;
  readonly fallbackText?: string;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A Bot Framework attachment carrying an Adaptive Card. */
export interface AdaptiveCardAttachment {
  readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  readonly content: AdaptiveCard;
}

/** Teams' limit for a card (message-extension results; we hold every card to it). */
export const MAX_CARD_BYTES = 28 * 1024;
