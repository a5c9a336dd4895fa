export * from './types.js';
export { md, plain, html, safeUrl, groupDigits, normalizeText } from './escape.js';
export * from './meeting-card.js';
export * from './help-cards.js';
export * from './clarify-card.js';
export * from './error-card.js';
export * from './sign-in.js';
export * from './meeting-form-card.js';
export * from './townhall-card.js';
