// End-to-end checks of the region editor (administrators) on the real desk: a map click or
// a drag of the pin moves a place; a place moved into the sea is refused with the loader's
// error next to the coordinates; a valid move and a timetable change are saved and shown.
// run.mjs calls regionChecks once, after the accounts module has created the users.
import { signIn, USERS } from './accounts.mjs';

/**
 * @param {{ browser: any, check: Function, assert: Function, shot: Function }} t
 */
export async function regionChecks({ browser, check, assert, shot }) {
  const $ = (id) => browser.$(`[data-testid="${id}"]`);
  const waitFor = async (id, timeoutMsg) => {
    const el = await $(id);
    await el.waitForDisplayed({ timeout: 10_000, timeoutMsg });
    return el;
  };
  const fill = async (id, value) => {
    const el = await $(id);
    await el.clearValue();
    await el.setValue(value);
  };

  await check('region editor: an administrator opens it and finds 城东街道', async () => {
    await signIn(browser, USERS.administrator.username, USERS.administrator.password);
    await (await $('tab-region')).click();
    await waitFor('region-editor', 'no region editor');
    const err = await $('region-error');
    if (await err.isExisting()) throw new Error(`the editor reports: ${await err.getText()}`);
    await (await waitFor('region-search', 'no search box')).setValue('城东');
    await (await waitFor('region-item-chengdong', '城东街道 not listed')).click();
    await waitFor('place-form', 'no place form');
    // A click on the map moves the pending position.
    const before = await (await $('field-lon')).getValue();
    const mapEl = await $('region-map');
    await mapEl.click({ x: 40, y: -60 });
    await browser.waitUntil(async () => (await (await $('field-lon')).getValue()) !== before, {
      timeout: 5_000,
      timeoutMsg: 'a map click did not move the position',
    });
    // Dragging the place's pin moves it too (a pause before the release lets Leaflet draw
    // the last move, which the drop reports).
    const clicked = await (await $('field-lon')).getValue();
    const pin = await waitFor('drag-pin', 'no draggable pin on the region map');
    await browser
      .action('pointer')
      .move({ origin: pin })
      .down()
      .move({ x: 30, y: 15, origin: 'pointer', duration: 200 })
      .move({ x: 30, y: 15, origin: 'pointer', duration: 200 })
      .pause(150)
      .up()
      .perform();
    await browser.waitUntil(async () => Number(await (await $('field-lon')).getValue()) > Number(clicked), {
      timeout: 5_000,
      timeoutMsg: 'dragging the pin to the east did not move the position',
    });
    await (await $('cancel')).click();
  });

  await check('region editor: a place moved into the sea is refused, the error shown at the coordinates', async () => {
    await fill('field-lon', '122.2');
    await fill('field-lat', '29.9');
    await (await $('save')).click();
    const problem = await waitFor('problem-position', 'no error next to the coordinates');
    const text = await problem.getText();
    assert(/off its island 'zhoushan'/.test(text) && /places\.csv:\d+/.test(text), `error "${text}"`);
    assert(!(await (await $('region-saved')).isExisting()), 'a refused edit says saved');
    await browser.pause(300);
    await shot('region-refused.png');
  });

  await check('region editor: a valid move is saved and shown, the desk uses it', async () => {
    await fill('field-lon', '122.1215');
    await fill('field-lat', '30.0195');
    await (await $('save')).click();
    const saved = await waitFor('region-saved', 'no "saved" notice');
    assert(/122\.12150,30\.01950/.test(await saved.getText()), `notice "${await saved.getText()}"`);
    assert(!(await (await $('problem-position')).isExisting()), 'the old error stayed');
    const lon = await (await $('field-lon')).getValue();
    assert(Number(lon) === 122.1215, `longitude after reload ${lon}`);
    const place = await browser.execute(async () => {
      const hits = await window.__TAURI_INTERNALS__.invoke('search_places', { query: '城东街道', limit: 1 });
      return hits[0];
    });
    assert(place && place.lon === 122.1215 && place.lat === 30.0195, `the gazetteer has ${JSON.stringify(place)}`);
  });

  await check('region editor: a ferry timetable edit is refused for a bad time, then saved', async () => {
    await (await $('region-tab-ferries')).click();
    await fill('region-search', 'panzhi');
    await (await waitFor('region-item-ferry_dinghai_panzhi', 'the Panzhi ferry is not listed')).click();
    await waitFor('timetable-form', 'no timetable form');
    const old = await (await $('departure-1')).getValue();
    await fill('departure-1', '7:5');
    await (await $('save-timetable')).click();
    const problem = await waitFor('problem-departure-1', 'no error next to the departure');
    assert(/is not HH:MM/.test(await problem.getText()), `error "${await problem.getText()}"`);
    await fill('departure-1', '06:45');
    await (await $('save-timetable')).click();
    const saved = await waitFor('region-saved', 'no "saved" notice');
    const text = await saved.getText();
    assert(text.includes('added 06:45') && text.includes(`removed ${old}`), `notice "${text}"`);
    const values = [];
    for (const input of await browser.$$('[data-testid^="departure-"]')) values.push(await input.getValue());
    assert(values.includes('06:45') && !values.includes(old), `departures now ${values.join(' ')}`);
    await browser.pause(300);
    await shot('region-saved.png');
  });

  await check('region editor: the dispatcher signs in again and the map is drawn', async () => {
    await signIn(browser, USERS.dispatcher.username, USERS.dispatcher.password);
    assert(!(await (await $('tab-region')).isExisting()), 'a dispatcher sees the region editor tab');
    await browser.waitUntil(async () => (await (await $('map')).getAttribute('data-ready')) === 'true', {
      timeout: 10_000,
      timeoutMsg: 'the dispatcher map did not come back',
    });
  });
}
