// A booking's page on the visitor site (issue 18), at /r/<code>: what was booked (service, branch, time in the
// branch's time zone), its code and QR code for the kiosk, and while it has not started, cancel it or move it to
// another free slot (the day picker without script, the change itself by the page script with the visitor token of
// the booking's phone, or of its e-mail address for a booking made with an e-mail only: the code alone does not prove
// who holds the booking). The phone is typed and gets a code by SMS; the e-mail address is never typed nor shown
// (only masked, a•••@example.sn): the page asks central to send the code to the booking's own address. Linked from the
// booking's confirmation and from "my tickets and bookings".
import type { Language } from '../../shared/contracts/domain.js';
import type { PublicBookingView } from '../../shared/contracts/appointments.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { bookingQr, freeSlots, getBooking } from '../booking/booking.service.js';
import { formatDateTime } from '../notifications/templates.js';
import { esc, fill, layout, SITE_STRINGS, verifyForm, withLang } from './html.js';
import { chosenDay, renderDayPicker, shownSlots, slotDays, type SlotDay } from './slot-days.js';

export interface BookingPageData {
  booking: PublicBookingView; qrSvg: string;
  /** Not started and still booked: it can be cancelled or moved. */
  changeable: boolean;
  /** The free slots it can move to (the first few, or the chosen day's), or null when it cannot be moved. */
  move: { days: SlotDay[]; day: string | null; slots: string[] } | null;
}

export async function bookingPageData(cdb: CentralDb, code: string, now: Date, askedDay?: string): Promise<BookingPageData | null> {
  let booking: PublicBookingView;
  try {
    booking = await getBooking(cdb, code);
  } catch (e) {
    if (e instanceof CentralError && (e.status === 404 || e.status === 400)) return null;
    throw e;
  }
  const changeable = booking.status === 'booked' && Date.parse(booking.startsAt) > now.getTime();
  let move: BookingPageData['move'] = null;
  if (changeable) {
    // A service that no longer takes bookings offers no other slot; the booking itself stands.
    const free = await freeSlots(cdb, booking.branch.id, booking.service.id, now).catch(() => null);
    if (free) {
      const others = free.slots.filter((s) => s.free > 0 && s.startsAt !== booking.startsAt);
      const days = slotDays(others, now, booking.timeZone);
      const day = chosenDay(askedDay, days);
      move = { days, day, slots: shownSlots(others, day) };
    }
  }
  return { booking, qrSvg: (await bookingQr(booking.code)).svg, changeable, move };
}

/**
 * How the visitor proves the booking is theirs: its phone by SMS when it has one and central sends SMS, else its e-mail
 * address by e-mail when it has one and central sends e-mail; none when central cannot send either.
 */
export function proofOf(b: PublicBookingView, opts: { smsEnabled: boolean; emailEnabled: boolean }): 'sms' | 'email' | null {
  if (b.phone && opts.smsEnabled) return 'sms';
  if (b.email && opts.emailEnabled) return 'email';
  return null;
}

export function renderBooking(data: BookingPageData | null, lang: Language, opts: { smsEnabled: boolean; emailEnabled: boolean }): string {
  const S = SITE_STRINGS[lang];
  const back = `<p class="small"><a href="${esc(withLang('/tickets', lang))}">${esc(S.myTickets)}</a></p>`;
  if (!data) return layout(lang, S, S.title, `${back}<h1>${esc(S.bookingTitle)}</h1><p class="warn">${esc(S.bookingUnknown)}</p>`, '/tickets', false);
  const b = data.booking;
  const proof = proofOf(b, opts);
  const self = `/r/${encodeURIComponent(b.code)}`;
  const when = (at: string) => fill(S.bookedAt, formatDateTime(at, b.timeZone, lang));
  const status = b.status === 'cancelled' ? S.statusCancelled : b.status === 'checked_in' ? S.statusCheckedIn : b.status === 'no_show' ? S.statusNoShow
    : data.changeable ? '' : S.statusPast;
  const about = `<section data-testid="booking" data-status="${esc(b.status)}"><b>${esc(b.service.name[lang])}</b> · ${esc(b.branch.name)}
<p class="big" data-testid="booking-when">${esc(when(b.startsAt))}</p>${status ? `<p class="warn" role="status" data-testid="booking-status">${esc(status)}</p>` : ''}
<div class="small">${esc(S.bookingCode)}</div><div class="code" data-testid="booking-code">${esc(b.displayCode)}</div>
${b.status === 'booked' ? `<div class="qr" role="img" aria-label="${esc(S.bookingQr)}">${data.qrSvg}</div><p class="small">${esc(b.phone ? S.bookingHint : S.bookingHintEmail)}</p>` : ''}</section>`;
  let manage = '';
  if (data.changeable) {
    const move = data.move;
    const options = move?.slots.map((at) => `<option value="${esc(at)}">${esc(when(at))}</option>`).join('') ?? '';
    const moveForm = move ? `<h3>${esc(S.moveTitle)}</h3>${renderDayPicker(S, lang, `${self}#manage`, move.days, move.day, b.timeZone)}${options
      ? `<form id="moveForm" novalidate><label for="moveSlot">${esc(S.newSlot)}</label><select id="moveSlot" name="startsAt">${options}</select><button type="submit" id="moveButton">${esc(S.moveButton)}</button></form>`
      : `<p class="small">${esc(S.noOtherSlot)}</p>`}` : '';
    // Asked only when this tab holds no token of the booking's phone or address (the script decides).
    const ask = proof === 'sms' ? `<form id="who" hidden novalidate><p class="small">${esc(S.manageIntro)}</p><label for="whoPhone">${esc(S.phone)}</label>
<input id="whoPhone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="${esc(S.phonePlaceholder)}" required>
<button type="submit" id="whoCode">${esc(S.sendCode)}</button></form>`
      // b.email is already masked (publicView): the page never holds the address.
      : proof === 'email' ? `<form id="who" hidden novalidate><p class="small" data-testid="manage-email">${esc(fill(S.manageIntroEmail, { to: b.email ?? '' }))}</p>
<button type="submit" id="whoCode">${esc(S.sendCodeEmail)}</button></form>` : '';
    const who = proof ? `${ask}
${verifyForm(proof === 'email' ? S.codeEmail : S.code, S.confirmManage)}` : '';
    manage = `<section data-testid="manage"><h2 id="manage">${esc(S.manageTitle)}</h2><form id="cancelForm" novalidate><button type="submit" id="cancelButton">${esc(S.cancelBooking)}</button></form>
${moveForm}${who}<div id="msg" role="alert" aria-live="assertive"></div></section>`;
  }
  const path = (what: string) => `/api/public/bookings/${encodeURIComponent(b.code)}/${what}`;
  // An e-mail proof says "e-mail address" where the phone's errors say "number".
  const errors = proof === 'email' ? { ...S.errors, VISITOR_CONTACT_MISMATCH: S.errors.VISITOR_CONTACT_MISMATCH_EMAIL, CHANNEL_OFF: S.errors.CHANNEL_OFF_EMAIL } : S.errors;
  const init = data.changeable ? {
    branchId: null,
    booking: { code: b.code, cancelPath: path('cancel'), movePath: path('move'), page: withLang(self, lang), ...(proof === 'email' ? { emailCodePath: path('email-code') } : {}) },
    lang, strings: { ...errors, working: S.working, codeSent: proof === 'email' ? S.codeSentEmail : S.codeSent, minutes: S.minutes, again: S.again, noSms: proof ? S.noSms : S.manageOff },
  } : undefined;
  return layout(lang, S, `${S.bookingTitle} · SmartQueue`, `${back}<h1>${esc(S.bookingTitle)}</h1>${about}${manage}`, self, data.changeable, init);
}
