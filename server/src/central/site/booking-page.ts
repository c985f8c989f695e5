// A booking's page on the visitor site (issue 18), at /r/<code>: what was booked (service, branch, time in the
// branch's time zone), its code and QR code for the kiosk, and while it has not started, cancel it or move it to
// another free slot (the day picker without script, the change itself by the page script with the visitor token of
// the booking's phone: the code alone does not prove who holds the booking). Linked from the booking's confirmation
// and from "my tickets and bookings".
import type { Language } from '../../shared/contracts/domain.js';
import type { PublicBookingView } from '../../shared/contracts/appointments.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { bookingQr, freeSlots, getBooking } from '../booking/booking.service.js';
import { formatDateTime } from '../notifications/templates.js';
import { esc, fill, layout, SITE_STRINGS, withLang } from './html.js';
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

export function renderBooking(data: BookingPageData | null, lang: Language, opts: { smsEnabled: boolean }): string {
  const S = SITE_STRINGS[lang];
  const back = `<p class="small"><a href="${esc(withLang('/tickets', lang))}">${esc(S.myTickets)}</a></p>`;
  if (!data) return layout(lang, S, S.title, `${back}<h1>${esc(S.bookingTitle)}</h1><p class="warn">${esc(S.bookingUnknown)}</p>`, '/tickets', false);
  const b = data.booking;
  const self = `/r/${encodeURIComponent(b.code)}`;
  const when = (at: string) => fill(S.bookedAt, formatDateTime(at, b.timeZone, lang));
  const status = b.status === 'cancelled' ? S.statusCancelled : b.status === 'checked_in' ? S.statusCheckedIn : b.status === 'no_show' ? S.statusNoShow
    : data.changeable ? '' : S.statusPast;
  const about = `<section data-testid="booking" data-status="${esc(b.status)}"><b>${esc(b.service.name[lang])}</b> · ${esc(b.branch.name)}
<p class="big" data-testid="booking-when">${esc(when(b.startsAt))}</p>${status ? `<p class="warn" role="status" data-testid="booking-status">${esc(status)}</p>` : ''}
<div class="small">${esc(S.bookingCode)}</div><div class="code" data-testid="booking-code">${esc(b.displayCode)}</div>
${b.status === 'booked' ? `<div class="qr" role="img" aria-label="${esc(S.bookingQr)}">${data.qrSvg}</div><p class="small">${esc(S.bookingHint)}</p>` : ''}</section>`;
  let manage = '';
  if (data.changeable) {
    const move = data.move;
    const options = move?.slots.map((at) => `<option value="${esc(at)}">${esc(when(at))}</option>`).join('') ?? '';
    const moveForm = move ? `<h3>${esc(S.moveTitle)}</h3>${renderDayPicker(S, lang, `${self}#manage`, move.days, move.day, b.timeZone)}${options
      ? `<form id="moveForm" novalidate><label for="moveSlot">${esc(S.newSlot)}</label><select id="moveSlot" name="startsAt">${options}</select><button type="submit" id="moveButton">${esc(S.moveButton)}</button></form>`
      : `<p class="small">${esc(S.noOtherSlot)}</p>`}` : '';
    // Asked only when this tab holds no token of the booking's phone (the script decides).
    const who = opts.smsEnabled ? `<form id="who" hidden novalidate><p class="small">${esc(S.manageIntro)}</p><label for="whoPhone">${esc(S.phone)}</label>
<input id="whoPhone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="${esc(S.phonePlaceholder)}" required>
<button type="submit" id="whoCode">${esc(S.sendCode)}</button></form>
<form id="verify" hidden novalidate><p id="sentTo" class="small" aria-live="polite"></p>
<label for="code">${esc(S.code)}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit" id="confirm">${esc(S.confirmManage)}</button></form>` : '';
    manage = `<section data-testid="manage"><h2 id="manage">${esc(S.manageTitle)}</h2><form id="cancelForm" novalidate><button type="submit" id="cancelButton">${esc(S.cancelBooking)}</button></form>
${moveForm}${who}<div id="msg" role="alert" aria-live="assertive"></div></section>`;
  }
  const init = data.changeable ? {
    branchId: null, booking: { code: b.code, cancelPath: `/api/public/bookings/${encodeURIComponent(b.code)}/cancel`, movePath: `/api/public/bookings/${encodeURIComponent(b.code)}/move`, page: withLang(self, lang) },
    lang, strings: { ...S.errors, working: S.working, codeSent: S.codeSent, minutes: S.minutes, again: S.again, noSms: S.noSms },
  } : undefined;
  return layout(lang, S, `${S.bookingTitle} · SmartQueue`, `${back}<h1>${esc(S.bookingTitle)}</h1>${about}${manage}`, self, data.changeable, init);
}
