// The visitor web site at central `/` (issue 18): find a place (region → organization by type → branch, or a search by
// name), see a branch's lines as central last heard of them (people waiting and the estimated wait, with their age:
// old data is said to be old, as on the tracking page), and join a line (name + phone → a code by SMS → the number
// the branch issued). Server-rendered for weak phones on 3G: one small HTML document, styles inline, one small
// script for the join, gzip; no framework.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request } from 'express';
import { LANGUAGES, ORGANIZATION_TYPES, REGIONS, type Language, type LocalizedText, type OrganizationType } from '../../shared/contracts/domain.js';
import { WAITING_STATUSES } from '../../shared/domain/ticket-state.js';
import { isOpenAt } from '../../shared/domain/opening-hours.js';
import { branchClosures, branchHours, type BranchHours } from './branch-hours.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import { formatDateTime } from '../notifications/templates.js';
import { estimateWaitMinutes, noOpenCounter } from '../../shared/domain/wait-estimate.js';
import type { CentralDb } from '../db/database.js';
import { branchFreshness, type Freshness } from '../notifications/freshness.js';
import { syncStateOf } from '../tracking/views.js';
import { freeSlots, listServices } from '../booking/booking.service.js';
import { asset, type Asset } from '../tracking/page.js';
import { esc, fill, layout, SITE_STRINGS, verifyForm, withLang, type SiteStrings } from './html.js';
import { chosenDay, renderDayPicker, shownSlots, slotDays, type SlotDay } from './slot-days.js';

export { SITE_STRINGS, type SiteStrings } from './html.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SITE_DIR = path.join(REPO_ROOT, 'server/src/central/site');
/** Tickets issued longer ago than this are not in today's line (the branch expires them at closing). */
const HORIZON_MS = 36 * 3600_000;

let script: Asset | null = null;
export function siteScript(): Asset {
  script ??= asset(fs.readFileSync(path.join(SITE_DIR, 'site-page.js')), 'text/javascript; charset=utf-8');
  return script;
}

/** ?lang= first, then the browser's; French by default. */
export function siteLanguage(req: Request): Language {
  const asked = String(req.query.lang ?? '');
  if ((LANGUAGES as readonly string[]).includes(asked)) return asked as Language;
  const accepted = String(req.headers['accept-language'] ?? '').toLowerCase();
  return LANGUAGES.find((l) => accepted.startsWith(l)) ?? 'fr';
}

// ---------- data ----------

export interface PlaceBranch { id: string; name: string; region: string; organization: { id: string; name: string; type: OrganizationType } }

/** Branches that take remote tickets (active), with their organization; one when `branchId` is given. */
export async function activeBranches(cdb: CentralDb, branchId?: string): Promise<PlaceBranch[]> {
  let q = cdb.db.selectFrom('branches as b').innerJoin('organizations as o', 'o.id', 'b.organization_id')
    .select(['b.id', 'b.name', 'b.region', 'o.id as org_id', 'o.name as org_name', 'o.type as org_type'])
    .where('b.status', '=', 'active');
  if (branchId !== undefined) q = q.where('b.id', '=', branchId);
  const rows = await q.orderBy('o.name').orderBy('b.name').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, region: r.region,
    organization: { id: r.org_id, name: r.org_name, type: ((ORGANIZATION_TYPES as readonly string[]).includes(r.org_type) ? r.org_type : 'other') as OrganizationType },
  }));
}

export interface SiteService {
  id: string; prefix: string; name: LocalizedText; waiting: number; waitMinutes: number | null; noCounter: boolean;
  /** Whether the line's hours say it is open now; null: the branch did not send its hours. */
  openNow: boolean | null;
}
export interface BranchPageData {
  branch: PlaceBranch; freshness: Freshness; services: SiteService[]; timeZone: string;
  /**
   * From the lines' hours and the branch's closures: open now (any line), else the next opening (on a day that is not
   * closed), and today's closure; null when the branch did not send hours.
   */
  hours: BranchHours | null;
  /**
   * Free slots of each bookable service (the public booking API's): the first few, or every one of the chosen day;
   * the days that have some (the day picker). Null: the branch takes no bookings.
   */
  booking: { timeZone: string; days: SlotDay[]; day: string | null; services: Array<{ id: string; name: LocalizedText; slots: string[] }> } | null;
}

async function bookingOffer(cdb: CentralDb, branchId: string, now: Date, askedDay: string | undefined): Promise<BranchPageData['booking']> {
  const services = await listServices(cdb, branchId).catch(() => null);
  if (!services) return null;
  let timeZone = 'Africa/Dakar';
  const free = [];
  for (const s of services) {
    const slots = await freeSlots(cdb, branchId, s.id, now).catch(() => null);
    if (!slots) continue;
    timeZone = slots.timeZone;
    free.push({ service: s, slots: slots.slots.filter((x) => x.free > 0) });
  }
  // The days any bookable service has a free slot; a chosen one shows all its slots, else the first few of each.
  const days = slotDays(free.flatMap((f) => f.slots).sort((a, b) => a.startsAt.localeCompare(b.startsAt)), now, timeZone);
  const day = chosenDay(askedDay, days);
  return { timeZone, days, day, services: free.map((f) => ({ id: f.service.id, name: f.service.name, slots: shownSlots(f.slots, day) })) };
}

/** A branch's lines as central holds them: waiting per service and the wait a newcomer would get (the branch's pace). */
export async function branchPageData(cdb: CentralDb, branchId: string, now: Date, staleAfterSeconds: number, askedDay?: string): Promise<BranchPageData | null> {
  const [branch] = await activeBranches(cdb, branchId);
  if (!branch) return null;
  const sync = await cdb.db.selectFrom('branch_sync').select(['last_push_at', 'last_seq', 'head_seq', 'oldest_pending_at']).where('branch_id', '=', branchId).executeTakeFirst();
  const freshness = branchFreshness(syncStateOf(sync), now, staleAfterSeconds);
  const zone = await cdb.db.selectFrom('branches').select('time_zone').where('id', '=', branchId).executeTakeFirstOrThrow();
  const timeZone = zone.time_zone || 'Africa/Dakar';
  const services = await cdb.db.selectFrom('branch_services').select(['service_id', 'prefix', 'name_fr', 'name_wo', 'name_en', 'opening_hours'])
    .where('branch_id', '=', branchId).where('removed', '=', 0).orderBy('prefix').execute();
  const waiting = await cdb.db.selectFrom('tickets').select(['service_id']).where('branch_id', '=', branchId)
    .where('issued_at', '>=', new Date(now.getTime() - HORIZON_MS).toISOString()).where('status', 'in', [...WAITING_STATUSES]).execute();
  const pace = await cdb.db.selectFrom('branch_service_pace').select(['service_id', 'average_minutes', 'open_counters']).where('branch_id', '=', branchId).execute();
  const hoursOf = (s: { opening_hours: string | null }) => (s.opening_hours ? JSON.parse(s.opening_hours) as OpeningHours : null);
  const known = services.map(hoursOf).filter((h): h is OpeningHours => h !== null);
  const hours = branchHours(known, await branchClosures(cdb, branchId), now, timeZone);
  const closedToday = hours?.closure !== null && hours?.closure !== undefined;
  return {
    branch, freshness, timeZone, booking: await bookingOffer(cdb, branchId, now, askedDay), hours,
    services: services.map((s) => {
      const n = waiting.filter((t) => t.service_id === s.service_id).length;
      const p = pace.find((x) => x.service_id === s.service_id);
      // The wait a visitor joining now would be told at the kiosk: behind the n already waiting.
      const waitMinutes = p ? estimateWaitMinutes(n + 1, Number(p.average_minutes), Number(p.open_counters)) : null;
      const h = hoursOf(s);
      return {
        id: s.service_id, prefix: s.prefix, name: { fr: s.name_fr, wo: s.name_wo, en: s.name_en }, waiting: n, waitMinutes,
        noCounter: p ? noOpenCounter(Number(p.open_counters)) : false, openNow: closedToday ? false : h ? isOpenAt(h, now, timeZone) : null,
      };
    }),
  };
}

// ---------- rendering ----------

/** Accents and case aside: "thies" finds Thiès. */
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();


/** The home page: the search, the regions; a region's organizations by type; or the branches a search found. */
export function renderHome(branches: PlaceBranch[], lang: Language, query: { region?: string; q?: string }): string {
  const S = SITE_STRINGS[lang];
  const link = (b: PlaceBranch) => `<li><a href="${esc(withLang(`/b/${encodeURIComponent(b.id)}`, lang))}">${esc(b.name)} <span class="small">· ${esc(b.organization.name)}</span></a></li>`;
  const search = `<form class="search" role="search" action="/" method="get"><input id="q" name="q" type="search" aria-label="${esc(S.search)}" placeholder="${esc(S.searchPlaceholder)}" value="${esc(query.q ?? '')}">${lang === 'fr' ? '' : `<input type="hidden" name="lang" value="${lang}">`}<button type="submit">${esc(S.searchButton)}</button></form>`;
  let content: string;
  let self = '/';
  if (query.q) {
    const q = fold(query.q.trim());
    const found = branches.filter((b) => fold(`${b.name} ${b.organization.name} ${b.region}`).includes(q));
    self = `/?q=${encodeURIComponent(query.q)}`;
    content = `<section><h2>${esc(fill(S.results, { q: query.q }))}</h2>${found.length ? `<ul>${found.map(link).join('')}</ul>` : `<p>${esc(S.noResult)}</p>`}<p><a href="${esc(withLang('/', lang))}">${esc(S.back)}</a></p></section>`;
  } else if (query.region) {
    const inRegion = branches.filter((b) => b.region === query.region);
    self = `/?region=${encodeURIComponent(query.region)}`;
    const groups = ORGANIZATION_TYPES.map((type) => {
      const ofType = inRegion.filter((b) => b.organization.type === type);
      if (!ofType.length) return '';
      const orgs = [...new Set(ofType.map((b) => b.organization.id))];
      return `<h3>${esc(S.types[type])}</h3>${orgs.map((o) => {
        const mine = ofType.filter((b) => b.organization.id === o);
        return `<div class="small">${esc(mine[0]?.organization.name ?? '')}</div><ul>${mine.map((b) => `<li><a href="${esc(withLang(`/b/${encodeURIComponent(b.id)}`, lang))}">${esc(b.name)}</a></li>`).join('')}</ul>`;
      }).join('')}`;
    }).join('');
    content = `<section><h2>${esc(query.region)}</h2>${groups || `<p>${esc(S.noResult)}</p>`}<p><a href="${esc(withLang('/', lang))}">${esc(S.back)}</a></p></section>`;
  } else {
    const regions = REGIONS.map((r) => ({ r, n: branches.filter((b) => b.region === r).length })).filter((x) => x.n > 0);
    content = `<section><h2>${esc(S.regions)}</h2><ul>${regions.map(({ r, n }) => `<li><a href="${esc(withLang(`/?region=${encodeURIComponent(r)}`, lang))}">${esc(r)} <span class="small">· ${esc(fill(S.branchCount, { n }))}</span></a></li>`).join('')}</ul>${regions.length ? '' : `<p>${esc(S.noResult)}</p>`}</section>`;
  }
  const mine = `<p><a href="${esc(withLang('/tickets', lang))}">${esc(S.myTickets)}</a></p>`;
  return layout(lang, S, S.title, `<h1>${esc(S.homeTitle)}</h1><section>${search}</section>${content}${mine}`, self, false);
}

function age(S: SiteStrings, seconds: number): string {
  if (seconds < 60) return fill(S.seconds, { n: seconds });
  if (seconds < 3600) return fill(S.minutesAge, { n: Math.floor(seconds / 60) });
  return fill(S.hoursAge, { n: Math.floor(seconds / 3600) });
}

/** A branch's page: its lines with their age, the join form (SMS) and the booking form (a phone by SMS or an e-mail address by e-mail). */
export function renderBranch(data: BranchPageData | null, lang: Language, opts: { smsEnabled: boolean; emailEnabled: boolean }): string {
  const S = SITE_STRINGS[lang];
  if (!data) return layout(lang, S, S.title, `<h1>${esc(S.homeTitle)}</h1><p class="warn">${esc(S.branchUnknown)}</p><p><a href="${esc(withLang('/', lang))}">${esc(S.back)}</a></p>`, '/', false);
  const { branch, freshness: f } = data;
  const self = `/b/${encodeURIComponent(branch.id)}`;
  const ageLine = f.ageSeconds === null
    ? `<p class="warn" role="status" data-testid="freshness">${esc(S.neverSynced)}</p>`
    : f.stale
      ? `<p class="warn" role="status" data-testid="freshness">${esc(fill(S.stale, { age: age(S, f.ageSeconds) }))}</p>`
      : `<p class="small" data-testid="freshness">${esc(fill(S.fresh, { age: age(S, f.ageSeconds) }))}</p>`;
  // Open now, or closed with the next opening in the branch's time zone (dates as in the messages, in each language).
  let hoursLine = '';
  const closure = data.hours?.closure ?? null;
  if (data.hours?.openNow) hoursLine = `<p data-testid="hours"><b>${esc(S.openNow)}</b></p>`;
  else if (data.hours) {
    const next = data.hours.nextOpening ? formatDateTime(data.hours.nextOpening, data.timeZone, lang) : null;
    const closed = closure ? fill(S.closedTodayReason, { reason: closure.reason[lang] }) : S.closedNow;
    hoursLine = `<p data-testid="hours"${closure ? ' class="warn"' : ''}><b>${esc(closed)}</b>${next ? ` · ${esc(fill(S.nextOpening, next))}` : ''}</p>`;
  }
  const services = data.services.map((s) => {
    const wait = s.openNow === false ? S.serviceClosed : s.noCounter ? S.noCounter : s.waitMinutes === null ? S.waitUnknown : fill(S.waitAbout, { n: s.waitMinutes });
    return `<li class="svc" data-service="${esc(s.id)}"><b>${esc(s.name[lang])}</b><span class="small">${esc(fill(S.waiting, { n: s.waiting }))} · ${esc(wait)}</span></li>`;
  }).join('');
  // A branch central has not heard from lately cannot take a join in time: say so instead of asking for a code.
  const reachable = !f.stale && data.services.length > 0;
  // A join form (and its verify step) only where a join can be taken now.
  const joinable = reachable && closure === null;
  let join: string;
  if (!opts.smsEnabled) join = `<p class="warn" data-testid="no-sms">${esc(S.noSms)}</p>`;
  // Closed today by the admin: the branch would refuse the join (SERVICE_CLOSED); say so before any code is asked.
  else if (closure) join = `<p class="warn" data-testid="closed-today">${esc(S.closedJoin)}</p>`;
  else if (!reachable) join = `<p class="warn" data-testid="offline">${esc(S.offline)}</p>`;
  else {
    const options = data.services.map((s) => `<option value="${esc(s.id)}">${esc(s.name[lang])}</option>`).join('');
    join = `<form id="join" novalidate>
<label for="service">${esc(S.service)}</label><select id="service" name="service">${options}</select>
<label for="name">${esc(S.name)}</label><input id="name" name="name" autocomplete="name" required maxlength="80">
<label for="phone">${esc(S.phone)}</label><input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="${esc(S.phonePlaceholder)}" required>
<button type="submit" id="sendCode">${esc(S.sendCode)}</button></form>
${verifyForm(S.code, S.confirm)}
<div id="result" hidden data-testid="ticket"><div class="small">${esc(S.ticket)}</div><div id="num" class="num"></div>
<div class="row"><div><div class="small">${esc(S.position)}</div><div id="pos" class="big"></div></div><div><div class="small">${esc(S.wait)}</div><div id="wait" class="big"></div></div></div>
<p class="small">${esc(S.arriveHint)}</p><a id="track" href="#">${esc(S.track)}</a></div>
<div id="msg" role="alert" aria-live="assertive"></div>`;
  }
  let book = '';
  // A booking is confirmed by SMS to its phone or by e-mail to its address: phone first when central sends both, the
  // one it can send otherwise, and said plainly when it can send neither.
  const via = [...(opts.smsEnabled ? ['sms'] : []), ...(opts.emailEnabled ? ['email'] : [])] as Array<'sms' | 'email'>;
  if (data.booking && !via.length) book = `<section data-testid="book"><h2 id="book-title">${esc(S.bookTitle)}</h2><p class="warn" data-testid="no-book">${esc(S.noBook)}</p></section>`;
  else if (data.booking) {
    const groups = data.booking.services.filter((s) => s.slots.length).map((s) => `<optgroup label="${esc(s.name[lang])}">${s.slots.map((at) => {
      const { date, time } = formatDateTime(at, data.booking?.timeZone ?? data.timeZone, lang);
      return `<option value="${esc(`${s.id}|${at}`)}">${esc(s.name[lang])} · ${esc(fill(S.bookedAt, { date, time }))}</option>`;
    }).join('')}</optgroup>`).join('');
    const picker = renderDayPicker(S, lang, `${self}#book-title`, data.booking.days, data.booking.day, data.booking.timeZone);
    const first = via[0] as 'sms' | 'email';
    const choice = via.length > 1 ? `<fieldset class="via"><legend>${esc(S.bookVia)}</legend>
<label><input type="radio" name="via" value="sms" checked> ${esc(S.viaPhone)}</label><label><input type="radio" name="via" value="email"> ${esc(S.viaEmail)}</label></fieldset>` : '';
    const phoneField = opts.smsEnabled ? `<div id="bookPhoneField"><label for="bookPhone">${esc(S.phone)}</label><input id="bookPhone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="${esc(S.phonePlaceholder)}" required></div>` : '';
    const emailField = opts.emailEnabled ? `<div id="bookEmailField"${first === 'email' ? '' : ' hidden'}><label for="bookEmail">${esc(S.email)}</label><input id="bookEmail" name="email" type="email" inputmode="email" autocomplete="email" placeholder="${esc(S.emailPlaceholder)}" maxlength="254" required></div>` : '';
    book = `<section data-testid="book"><h2 id="book-title">${esc(S.bookTitle)}</h2>${picker}${groups ? `<form id="book" novalidate data-via="${first}">
<label for="bookSlot">${esc(S.slot)}</label><select id="bookSlot" name="slot">${groups}</select>
<label for="bookName">${esc(S.name)}</label><input id="bookName" name="name" autocomplete="name" required maxlength="80">
${choice}${phoneField}${emailField}
<button type="submit" id="bookCode">${esc(first === 'email' ? S.sendCodeEmail : S.bookButton)}</button></form>
<div id="booked" hidden data-testid="booked"><b>${esc(S.booked)}</b><div id="bookedAt"></div><div class="small">${esc(S.bookingCode)}</div><div id="bookedCode" class="code"></div><p class="small" id="bookedHint">${esc(S.bookingHint)}</p><a id="bookedPage" href="#">${esc(S.openBooking)}</a></div>` : `<p>${esc(S.noSlot)}</p>`}</section>`;
  }
  const body = `<p class="small"><a href="${esc(withLang(`/?region=${encodeURIComponent(branch.region)}`, lang))}">${esc(branch.region)}</a> · ${esc(branch.organization.name)}</p>
<h1>${esc(branch.name)}</h1>${hoursLine}${ageLine}
<section><h2>${esc(S.services)}</h2><ul>${services}</ul></section>
<section><h2>${esc(S.joinTitle)}</h2>${join}</section>${book}`;
  // The verify step and the messages are shared by both forms: they live in the join section, or here without it.
  const joinForm = opts.smsEnabled && joinable;
  const shared = joinForm ? '' : `${verifyForm(S.code, S.confirm)}<div id="msg" role="alert" aria-live="assertive"></div>`;
  const scripted = joinForm || book.includes('<form id="book"');
  // The e-mail's words where the phone's would be wrong (the code's label, its hint, the button, a bad address).
  const strings = {
    ...S.errors, working: S.working, codeSent: S.codeSent, minutes: S.minutes, again: S.again,
    ...(opts.emailEnabled ? { code: S.code, codeEmail: S.codeEmail, codeSentEmail: S.codeSentEmail, bookButton: S.bookButton, sendCodeEmail: S.sendCodeEmail, bookingHint: S.bookingHint, bookingHintEmail: S.bookingHintEmail } : {}),
  };
  return layout(lang, S, `${branch.name} · SmartQueue`, body + (scripted ? shared : ''), self, scripted, scripted ? { branchId: branch.id, lang, strings } : undefined);
}

/**
 * "My tickets and bookings": a phone (code by SMS) or an e-mail address (code by e-mail), then the phone's remote
 * tickets and bookings, or the bookings made with the address (drawn by the script). The choice, phone first, follows
 * what central can send, as on the branch page's booking form.
 */
export function renderMyTickets(lang: Language, opts: { smsEnabled: boolean; emailEnabled: boolean }): string {
  const S = SITE_STRINGS[lang];
  const any = opts.smsEnabled || opts.emailEnabled;
  const first = opts.smsEnabled ? 'sms' : 'email';
  const choice = opts.smsEnabled && opts.emailEnabled ? `<fieldset class="via"><legend>${esc(S.mineVia)}</legend>
<label><input type="radio" name="via" value="sms" checked> ${esc(S.viaPhoneMine)}</label><label><input type="radio" name="via" value="email"> ${esc(S.viaEmailMine)}</label></fieldset>` : '';
  const phoneField = opts.smsEnabled ? `<div id="minePhoneField"><label for="minePhone">${esc(S.phone)}</label>
<input id="minePhone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="${esc(S.phonePlaceholder)}" required></div>` : '';
  const emailField = opts.emailEnabled ? `<div id="mineEmailField"${first === 'email' ? '' : ' hidden'}><p class="small">${esc(S.mineEmailHint)}</p><label for="mineEmail">${esc(S.email)}</label>
<input id="mineEmail" name="email" type="email" inputmode="email" autocomplete="email" placeholder="${esc(S.emailPlaceholder)}" maxlength="254" required></div>` : '';
  const form = any ? `<form id="mine" novalidate data-via="${first}">${choice}${phoneField}${emailField}
<button type="submit" id="mineCode">${esc(first === 'email' ? S.sendCodeEmail : S.sendCode)}</button></form>
${verifyForm(S.code, S.confirm)}
<div id="mineLists" hidden><div id="mineTickets"><h2>${esc(S.ticketsHeading)}</h2><ul id="mineList" data-testid="my-tickets"></ul><p id="mineNone" class="small" hidden>${esc(S.noTickets)}</p></div>
<h2>${esc(S.bookingsHeading)}</h2><ul id="mineBookings" data-testid="my-bookings"></ul><p id="mineNoBookings" class="small" hidden>${esc(S.noBookings)}</p></div>
<div id="msg" role="alert" aria-live="assertive"></div>` : `<p class="warn" data-testid="no-sms">${esc(S.noSms)}</p>`;
  const body = `<p class="small"><a href="${esc(withLang('/', lang))}">${esc(S.back)}</a></p><h1>${esc(S.myTickets)}</h1><section><p class="small">${esc(S.myTicketsIntro)}</p>${form}</section>`;
  const strings = {
    ...S.errors, working: S.working, codeSent: S.codeSent, minutes: S.minutes, again: S.again, noTickets: S.noTickets,
    ...(opts.emailEnabled ? { code: S.code, codeEmail: S.codeEmail, codeSentEmail: S.codeSentEmail, sendCode: S.sendCode, sendCodeEmail: S.sendCodeEmail, noBookings: S.noBookings, noBookingsEmail: S.noBookingsEmail } : {}),
  };
  return layout(lang, S, `${S.myTickets} · SmartQueue`, body, '/tickets', any, any ? { branchId: null, lang, strings } : undefined);
}
