import { normalizeLocale, t } from '../i18n';

/** The small HTML pages the sign-in popup shows, in the browser's language. Text is escaped; no user data. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(locale: string, title: string, message: string, outcome: 'success' | 'failure'): string {
  // teams-js is served by Convene itself (no CDN); outside Teams the script finds no host and the page still reads.
  return `<!doctype html>
<html lang="${normalizeLocale(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;margin:3rem auto;max-width:32rem;padding:0 1rem;color:#242424}
h1{font-size:1.4rem}.${outcome}{border-left:4px solid ${outcome === 'success' ? '#6264a7' : '#c4314b'};padding-left:1rem}</style>
</head><body><main class="${outcome}" data-outcome="${outcome}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main>
<script src="/public/teams-js.min.js"></script>
<script>
(function () {
  var teams = window.microsoftTeams;
  if (!teams || !teams.app) return;
  teams.app.initialize().then(function () {
    if (${outcome === 'success' ? 'true' : 'false'}) teams.authentication.notifySuccess('signed-in');
    else teams.authentication.notifyFailure('sign-in-failed');
  }).catch(function () { /* not inside Teams: the page itself is the answer */ });
})();
</script>
</body></html>`;
}

export function signedInPage(locale: string): string {
  return page(locale, t(locale, 'page.signedInTitle'), t(locale, 'page.signedInText'), 'success');
}

export function signInFailedPage(locale: string, message: string): string {
  return page(locale, t(locale, 'page.failedTitle'), message, 'failure');
}
