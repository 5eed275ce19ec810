// Parse iCalendar texts with Mozilla's ical.js (Thunderbird's parser), as the tests' third parser.
// Reads a JSON list of texts on stdin; writes, per text, the events it read (times in UTC).
"use strict";
const ICAL = require("ical.js");

function when(time) {
  if (time.isDate) return time.toString(); // YYYY-MM-DD
  if (!time.zone || time.zone === ICAL.Timezone.localTimezone) {
    throw new Error("floating or unresolved time: " + time.toString());
  }
  return time.toJSDate().toISOString();
}

function read(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  return {
    method: root.getFirstPropertyValue("method"),
    events: root.getAllSubcomponents("vevent").map((component) => {
      const event = new ICAL.Event(component);
      const tzid = component.getFirstProperty("dtstart").getParameter("tzid");
      if (tzid && !ICAL.TimezoneService.has(tzid)) throw new Error("unknown TZID " + tzid);
      const organizer = component.getFirstPropertyValue("organizer");
      return {
        uid: event.uid,
        sequence: event.sequence,
        status: component.getFirstPropertyValue("status"),
        summary: event.summary,
        description: event.description,
        location: event.location,
        start: when(event.startDate),
        end: when(event.endDate),
        stamp: when(component.getFirstPropertyValue("dtstamp")),
        organizer: organizer || null,
        attendees: event.attendees.map((a) => a.getFirstValue()),
        occurrences: (() => {
          const it = event.iterator();
          const seen = [];
          let next;
          while ((next = it.next()) && seen.length < 10) seen.push(when(next));
          return seen.length;
        })(),
      };
    }),
  };
}

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((text) => {
    try {
      return read(text);
    } catch (error) {
      return { error: String(error && error.stack ? error.stack : error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
