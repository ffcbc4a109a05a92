// The dispatcher's hands on the real desk, shared by the desk-alone run (dispatcher.mjs) and
// the two-seat run on the service (seats.mjs).

/** Helpers over one WebDriver session on the desk. */
export function deskHands(browser) {
  const $ = (sel) => browser.$(sel);
  const map = () => $('[data-testid="map"]');
  const mapAttr = async (name) => Number(await (await map()).getAttribute(name));
  const noDeskError = async () => {
    for (const id of ['dispatch-error', 'detail-error', 'cond-error']) {
      const err = await $(`[data-testid="${id}"]`);
      if (await err.isExisting()) throw new Error(`the desk reports (${id}): ${await err.getText()}`);
    }
  };
  const setSelect = (testid, value) =>
    browser.execute(
      (t, v) => {
        const sel = document.querySelector(`[data-testid="${t}"]`);
        sel.value = v;
        sel.dispatchEvent(new Event('change', { bubbles: true }));
      },
      testid,
      value,
    );
  // Attributes of every match, read in the page (one round trip).
  const attrsOf = (sel, name) =>
    browser.execute((s, n) => [...document.querySelectorAll(s)].map((e) => e.getAttribute(n)), sel, name);
  const boardIds = async () => (await attrsOf('[data-testid="board-incident"]', 'data-id')).map(Number);
  const timelineKinds = () => attrsOf('[data-testid="timeline-event"]', 'data-kind');

  /** Fills the intake: the first gazetteer hit for `query`, the incident type; submits. */
  const intake = async (query, type) => {
    const input = await $('[data-testid="place-search"]');
    await input.setValue(query);
    const hit = await $('[data-testid="place-hit"]');
    await hit.waitForExist({ timeout: 5_000, timeoutMsg: `no gazetteer hit for ${query}` });
    await hit.click();
    await setSelect('intake-type', type);
    await (await $('[data-testid="intake-submit"]')).click();
  };

  /** Takes a call at a gazetteer place and assigns the top unit by Enter; returns the incident id. */
  const takeAndAssign = async (query, type) => {
    const before = new Set(await boardIds());
    await intake(query, type);
    await browser.waitUntil(
      async () => {
        await noDeskError();
        return (await browser.$$('[data-testid="candidate"]')).length > 0;
      },
      { timeout: 10_000, interval: 200, timeoutMsg: 'no candidates' },
    );
    await browser.action('pointer').move({ x: 5, y: 400, origin: 'viewport' }).perform();
    await browser.keys('Enter');
    let id;
    await browser.waitUntil(
      async () => {
        await noDeskError();
        id = (await boardIds()).find((x) => !before.has(x));
        return id !== undefined && (await browser.$$('[data-testid="candidate"]')).length === 0;
      },
      { timeout: 10_000, interval: 200, timeoutMsg: 'the new incident never reached the board assigned' },
    );
    return id;
  };

  return { $, map, mapAttr, noDeskError, setSelect, attrsOf, boardIds, timelineKinds, intake, takeAndAssign };
}
