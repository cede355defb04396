import { PHASES, type Phase } from '../domain/contract';
import type { SpApiRegion } from '../domain/marketplaces';
import { formatInstant } from '../domain/web-ui';

/** One row of the Sellers page. */
export interface SellerRow {
  sellerId: string;
  regions: readonly SpApiRegion[] | 'all';
  marketplaces: readonly string[] | 'all';
  paused: boolean;
  authorizedAt?: Date;
  reauthorizationDue?: Date;
  /** Due within 30 days, or overdue. */
  dueSoon: boolean;
  /** Per phase: the count and, with TEMPORAL_UI_URL, the Web UI list it links to. */
  orders: Record<Phase, { count: number; link?: string }> | undefined;
  /** The close of the newest completed reconciliation that reached the seller; a dash when none did. */
  lastReconciliation?: Date;
}

export interface SellersPage {
  sellers: SellerRow[];
  /** Regions a seller can be connected in; empty when the page cannot connect (and `cannotConnect` says why). */
  connectRegions: readonly SpApiRegion[];
  cannotConnect?: string;
  /** The seller just connected, named after the callback's clean redirect. */
  connected?: string;
  now: Date;
}

const REGION_NAMES: Record<SpApiRegion, string> = { na: 'North America', eu: 'Europe', fe: 'Far East' };

export function sellersPage(page: SellersPage): string {
  const due = page.sellers.filter((seller) => seller.dueSoon);
  const body = [
    '<h1>Sellers</h1>',
    page.connected === undefined
      ? ''
      : `<p class="notice" role="status">Seller <strong>${escape(page.connected)}</strong> connected; its orders of the last 30 days are being caught up.</p>`,
    due.length === 0
      ? ''
      : `<p class="warning" role="alert">Re-authorization due within 30 days: ${due
          .map((seller) => `<strong>${escape(seller.sellerId)}</strong> (${day(seller.reauthorizationDue)})`)
          .join(', ')}. Ask each seller to connect again.</p>`,
    page.sellers.length === 0 ? '<p>No seller is connected yet.</p>' : sellersTable(page.sellers),
    connectSection(page),
  ].join('\n');
  return layout('Sellers', body);
}

function sellersTable(sellers: SellerRow[]): string {
  const phaseHeads = PHASES.map((phase) => `<th class="count">${phase}</th>`).join('');
  const rows = sellers.map((seller) => {
    const counts = PHASES.map((phase) => {
      const cell = seller.orders?.[phase];
      if (cell === undefined) return '<td class="count">—</td>';
      const text = String(cell.count);
      return `<td class="count">${cell.link === undefined ? text : `<a href="${escape(cell.link)}">${text}</a>`}</td>`;
    }).join('');
    const regions = seller.regions === 'all' ? 'every region' : seller.regions.join(', ');
    const marketplaces = seller.marketplaces === 'all' ? 'every marketplace' : seller.marketplaces.join(', ');
    return `<tr${seller.dueSoon ? ' class="due"' : ''}>
<td><code>${escape(seller.sellerId)}</code></td>
<td>${escape(regions)}<br><small>${escape(marketplaces)}</small></td>
<td>${seller.paused ? 'paused' : ''}</td>
<td>${day(seller.authorizedAt)}</td>
<td>${day(seller.reauthorizationDue)}</td>
${counts}
<td>${seller.lastReconciliation === undefined ? '—' : escape(formatInstant(seller.lastReconciliation.getTime()))}</td>
</tr>`;
  });
  return `<table>
<thead><tr><th>Seller</th><th>Regions and marketplaces</th><th>Paused</th><th>Authorized</th><th>Re-authorization due</th>${phaseHeads}<th>Last completed reconciliation</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function connectSection(page: SellersPage): string {
  if (page.connectRegions.length === 0) {
    return `<h2>Connect a seller</h2><p>${escape(page.cannotConnect ?? 'Connecting sellers is not configured.')}</p>`;
  }
  const links = page.connectRegions
    .map(
      (region) => `<a class="button" href="/connect?region=${region}">Connect a seller in ${REGION_NAMES[region]}</a>`,
    )
    .join(' ');
  return `<h2>Connect a seller</h2>
<p>The seller signs in to Seller Central, authorizes the app, and comes back here.</p>
<p>${links}</p>`;
}

export function loginPage(failed: boolean): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
${failed ? '<p class="warning" role="alert">That token is not the one of WEB_TOKEN.</p>' : ''}
<form method="post" action="/login">
<label>Operator token (WEB_TOKEN) <input type="password" name="token" autocomplete="current-password" autofocus></label>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escape(title)}</h1><p>${escape(message)}</p><p><a href="/">Back to the sellers</a></p>`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · review-solicitations</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #1d2433; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #d8dde6; padding: .45em .7em; text-align: left; vertical-align: top; }
th { background: #f3f5f9; font-weight: 600; }
td.count, th.count { text-align: right; }
tr.due td { background: #fff4e0; }
.notice { background: #e7f6ec; padding: .6em 1em; border-radius: 4px; }
.warning { background: #fff4e0; padding: .6em 1em; border-radius: 4px; }
a.button { display: inline-block; background: #1f6feb; color: white; padding: .5em 1em; border-radius: 4px; text-decoration: none; margin-right: .5em; }
small { color: #5b6475; }
</style></head>
<body>
${body}
</body></html>
`;
}

function day(date: Date | undefined): string {
  return date === undefined ? '—' : date.toISOString().slice(0, 10);
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
