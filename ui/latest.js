// A guard against late answers. A screen that loads by id takes a ticket
// before each load and draws the answer only while its ticket is the
// latest, so the answer for badge A never lands after badge B was opened.

/**
 * Returns take(): each call hands out a ticket, a function that tells
 * whether it is still the latest one taken.
 */
export function latestOnly() {
  let last = 0;
  return () => {
    const mine = ++last;
    return () => mine === last;
  };
}
