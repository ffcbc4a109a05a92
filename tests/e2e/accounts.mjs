// Accounts and sign-in on the real desk: the first start creates the administrator, who
// creates the other roles' accounts; each role sees its own tabs; the core (not only the
// UI) refuses what a role may not do. Others reuse `signIn`/`signOut` and `USERS`.

/** The accounts the run creates (passwords ≥ 8 characters, as the core requires). */
export const USERS = {
  administrator: { username: 'admin', password: 'e2e-admin-pass', role: 'administrator', tabs: ['accounts', 'region'] },
  dispatcher: { username: 'wang.dispatch', password: 'e2e-dispatch-pass', role: 'dispatcher', tabs: ['dispatch'] },
  patrol_leader: { username: 'li.leader', password: 'e2e-leader-pass', role: 'patrol_leader', tabs: ['leader', 'dispatch'] },
  supervisor: { username: 'zhao.super', password: 'e2e-super-pass', role: 'supervisor', tabs: ['supervisor', 'dispatch'] },
};

const LEADER_FIRST_PASSWORD = 'e2e-leader-first';

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** Waits until the header shows `username` signed in (or fails with what the form says). */
async function waitSignedIn(browser, username) {
  await browser.waitUntil(
    async () => {
      const err = await byTestId(browser, 'login-error');
      if (await err.isExisting()) throw new Error(`the login form reports: ${await err.getText()}`);
      const who = await byTestId(browser, 'operator-name');
      return (await who.isExisting()) && (await who.getText()) === username;
    },
    { timeout: 10_000, interval: 150, timeoutMsg: `${username} never appeared as the operator` },
  );
}

/** Signs in through the login form (somebody else signed in is signed out first). */
export async function signIn(browser, username, password) {
  if (await (await byTestId(browser, 'sign-out')).isExisting()) await signOut(browser);
  const form = await byTestId(browser, 'login');
  await form.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no login form' });
  await (await byTestId(browser, 'login-username')).setValue(username);
  await (await byTestId(browser, 'login-password')).setValue(password);
  await (await byTestId(browser, 'login-submit')).click();
  await waitSignedIn(browser, username);
}

/** Signs out with the header's button and waits for the login form. */
export async function signOut(browser) {
  await (await byTestId(browser, 'sign-out')).click();
  await (await byTestId(browser, 'login')).waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no login form after signing out' });
}

/** The tab ids shown now, in order. */
async function tabs(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="screen-tabs"] [data-testid^="tab-"]')].map((b) =>
      b.getAttribute('data-testid').slice(4),
    ),
  );
}

/** Calls a desk command straight over IPC, as a page script could: `{ok}` or `{error}`. */
async function rawInvoke(browser, cmd, args) {
  // The answer crosses WebDriver as a JSON string: WebKitWebDriver fails on some rejected values.
  const json = await browser.executeAsync(
    (cmd, args, done) => {
      const reply = (r) => done(JSON.stringify(r));
      try {
        window.__TAURI_INTERNALS__.invoke(cmd, args).then(
          (ok) => reply({ ok: ok ?? null }),
          (error) => reply({ error: typeof error === 'object' ? { ...error } : { kind: 'raw', message: String(error) } }),
        );
      } catch (e) {
        reply({ error: { kind: 'throw', message: String(e) } });
      }
    },
    cmd,
    args,
  );
  return JSON.parse(json);
}

async function createAccount(browser, { username, password, role }) {
  await (await byTestId(browser, 'account-username')).setValue(username);
  await browser.execute((role) => {
    const sel = document.querySelector('[data-testid="account-role"]');
    sel.value = role;
    sel.dispatchEvent(new Event('change', { bubbles: true }));
  }, role);
  await (await byTestId(browser, 'account-password')).setValue(password);
  await (await byTestId(browser, 'account-confirm')).setValue(password);
  await (await byTestId(browser, 'account-submit')).click();
  await browser.waitUntil(
    async () => {
      const err = await byTestId(browser, 'account-form-error');
      if (await err.isExisting()) throw new Error(`the accounts screen reports: ${await err.getText()}`);
      return (await browser.$(`[data-testid="account-row"][data-username="${username}"]`)).isExisting();
    },
    { timeout: 10_000, interval: 150, timeoutMsg: `${username} never appeared in the accounts list` },
  );
  const row = await browser.$(`[data-testid="account-row"][data-username="${username}"]`);
  assert((await row.getAttribute('data-role')) === role, `${username} listed as ${await row.getAttribute('data-role')}`);
}

/**
 * From a fresh desk to a signed-in dispatcher: first start, the administrator creates
 * the accounts, every role is checked, and the run continues as `USERS.dispatcher`.
 */
export async function accounts({ browser, check, shot }) {
  const { administrator: admin, dispatcher, patrol_leader: leader, supervisor } = USERS;

  await check('first start: no account yet, so the desk asks for the administrator', async () => {
    const first = await byTestId(browser, 'first-start');
    await first.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no first-start screen' });
    assert(!(await (await byTestId(browser, 'screen-tabs')).isExisting()), 'tabs shown before anyone signed in');
    await browser.pause(800); // the first paint after start-up reaches the snapshot late
    await shot('first-start.png');
  });

  await check('first start: a short password is refused in place by the core', async () => {
    await (await byTestId(browser, 'login-username')).setValue(admin.username);
    await (await byTestId(browser, 'login-password')).setValue('short');
    await (await byTestId(browser, 'login-confirm')).setValue('short');
    await (await byTestId(browser, 'login-submit')).click();
    const err = await byTestId(browser, 'login-error');
    await err.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no error for a 5-character password' });
    assert(/8/.test(await err.getText()), `error "${await err.getText()}"`);
    assert(await (await byTestId(browser, 'first-start')).isExisting(), 'left the first-start screen');
  });

  await check('first start: the administrator is created and signed in; header shows name and role', async () => {
    await (await byTestId(browser, 'login-password')).setValue(admin.password);
    await (await byTestId(browser, 'login-confirm')).setValue(admin.password);
    await (await byTestId(browser, 'login-submit')).click();
    await waitSignedIn(browser, admin.username);
    const role = await byTestId(browser, 'operator-role');
    assert((await role.getText()) === '管理员', `role shown as "${await role.getText()}"`);
    const shown = await tabs(browser);
    assert(shown.join() === admin.tabs.join(), `administrator tabs: ${shown.join()}`);
  });

  await check('accounts screen: the administrator creates a dispatcher, a patrol leader and a supervisor', async () => {
    await (await byTestId(browser, 'tab-accounts')).click();
    await (await byTestId(browser, 'accounts-screen')).waitForDisplayed({ timeout: 5_000 });
    // The patrol leader starts with another password; the administrator resets it below.
    for (const user of [dispatcher, { ...leader, password: LEADER_FIRST_PASSWORD }, supervisor]) await createAccount(browser, user);
    const rows = await browser.$$('[data-testid="account-row"]');
    assert(rows.length === 4, `${rows.length} accounts listed`);
    await browser.pause(200);
    await shot('accounts.png');
  });

  await check('the administrator disables the patrol leader (journaled), who then cannot sign in', async () => {
    const row = () => browser.$(`[data-testid="account-row"][data-username="${leader.username}"]`);
    await (await (await row()).$('[data-testid="account-toggle"]')).click();
    await browser.waitUntil(async () => (await (await (await row()).$('[data-testid="account-status"]')).getText()) === '已停用', {
      timeout: 5_000,
      timeoutMsg: 'the leader is not shown disabled',
    });
    const own = await browser.$(`[data-testid="account-row"][data-username="${admin.username}"] [data-testid="account-toggle"]`);
    assert(!(await own.isExisting()), 'the administrator is offered to disable their own account');
    await signOut(browser);
    await (await byTestId(browser, 'login-username')).setValue(leader.username);
    await (await byTestId(browser, 'login-password')).setValue(LEADER_FIRST_PASSWORD);
    await (await byTestId(browser, 'login-submit')).click();
    const err = await byTestId(browser, 'login-error');
    await err.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'a disabled account was not refused' });
  });

  await check('the administrator enables the leader again and resets the password', async () => {
    await signIn(browser, admin.username, admin.password);
    const row = () => browser.$(`[data-testid="account-row"][data-username="${leader.username}"]`);
    await (await row()).waitForExist({ timeout: 5_000 });
    await (await (await row()).$('[data-testid="account-toggle"]')).click();
    await browser.waitUntil(async () => (await (await (await row()).$('[data-testid="account-status"]')).getText()) === '启用', {
      timeout: 5_000,
      timeoutMsg: 'the leader is not shown enabled',
    });
    await (await (await row()).$('[data-testid="account-reset"]')).click();
    await (await byTestId(browser, 'reset-password')).setValue(leader.password);
    await (await byTestId(browser, 'reset-confirm')).setValue(leader.password);
    await (await byTestId(browser, 'reset-save')).click();
    await (await byTestId(browser, 'reset-form')).waitForExist({ reverse: true, timeout: 5_000, timeoutMsg: 'the reset form stayed open' });
    const rowErr = await byTestId(browser, 'account-row-error');
    assert(!(await rowErr.isExisting()), `the accounts screen reports: ${(await rowErr.isExisting()) && (await rowErr.getText())}`);
  });

  await check('sign out returns to the login form (a screenshot of it)', async () => {
    await signOut(browser);
    assert(!(await (await byTestId(browser, 'screen-tabs')).isExisting()), 'tabs still shown after signing out');
    assert(!(await (await byTestId(browser, 'login-confirm')).isExisting()), 'the login form asks for a confirmation');
    await browser.pause(200);
    await shot('login.png');
  });

  await check('a wrong password is refused and nobody is signed in', async () => {
    await (await byTestId(browser, 'login-username')).setValue(dispatcher.username);
    await (await byTestId(browser, 'login-password')).setValue('not-the-password');
    await (await byTestId(browser, 'login-submit')).click();
    const err = await byTestId(browser, 'login-error');
    await err.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no refusal shown' });
    assert((await err.getText()) === '用户名或密码错误', `error "${await err.getText()}"`);
    assert(!(await (await byTestId(browser, 'operator')).isExisting()), 'an operator is shown');
    const state = await rawInvoke(browser, 'sign_in_state', {});
    assert(state.ok && state.ok.session === null, `the core has a session: ${JSON.stringify(state)}`);
  });

  await check('not signed in: the core refuses a desk command', async () => {
    const r = await rawInvoke(browser, 'board', {});
    assert(r.error?.kind === 'not_signed_in', `board without sign-in: ${JSON.stringify(r)}`);
  });

  await check('still_here is allowed but revives nobody; the core reports its idle limit', async () => {
    const r = await rawInvoke(browser, 'still_here', {});
    assert(r.error?.kind === 'not_signed_in', `still_here without sign-in: ${JSON.stringify(r)}`);
    const state = await rawInvoke(browser, 'sign_in_state', {});
    assert(state.ok?.idle_minutes === 30, `idle minutes: ${JSON.stringify(state)}`);
  });

  for (const user of [leader, supervisor]) {
    await check(`${user.role} sees its tabs (${user.tabs.join(', ')})`, async () => {
      await signIn(browser, user.username, user.password);
      const shown = await tabs(browser);
      assert(shown.join() === user.tabs.join(), `${user.role} tabs: ${shown.join()}`);
      assert((await (await byTestId(browser, 'operator')).getAttribute('data-role')) === user.role, 'header role');
    });
  }

  await check('the old password of the reset account is refused', async () => {
    await signOut(browser);
    await (await byTestId(browser, 'login-username')).setValue(leader.username);
    await (await byTestId(browser, 'login-password')).setValue(LEADER_FIRST_PASSWORD);
    await (await byTestId(browser, 'login-submit')).click();
    await (await byTestId(browser, 'login-error')).waitForDisplayed({ timeout: 5_000, timeoutMsg: 'the old password was accepted' });
  });

  await check('the supervisor sees who was on the desk (sign-ins journaled)', async () => {
    await signIn(browser, supervisor.username, supervisor.password);
    const r = await rawInvoke(browser, 'desk_sessions', { fromUtc: 0, toUtc: 4_000_000_000 });
    assert(Array.isArray(r.ok), `desk_sessions: ${JSON.stringify(r)}`);
    const seen = r.ok.map((s) => `${s.username}:${s.ended ?? 'open'}`);
    assert(seen[0] === `${admin.username}:signed_out`, `first session ${seen[0]}`);
    assert(seen.includes(`${leader.username}:signed_out`), `sessions ${seen.join(', ')}`);
    assert(seen.at(-1) === `${supervisor.username}:open`, `last session ${seen.at(-1)}`);
  });

  await check('dispatcher sees only the dispatch tab; the core refuses account changes', async () => {
    await signIn(browser, dispatcher.username, dispatcher.password);
    const shown = await tabs(browser);
    assert(shown.join() === dispatcher.tabs.join(), `dispatcher tabs: ${shown.join()}`);
    const created = await rawInvoke(browser, 'create_account', { username: 'intruder', role: 'administrator', password: 'intruder-pass' });
    assert(created.error?.kind === 'forbidden', `create_account as dispatcher: ${JSON.stringify(created)}`);
    const listed = await rawInvoke(browser, 'list_accounts', {});
    assert(listed.error?.kind === 'forbidden', `list_accounts as dispatcher: ${JSON.stringify(listed)}`);
    const disabled = await rawInvoke(browser, 'set_account_disabled', { username: admin.username, disabled: true });
    assert(disabled.error?.kind === 'forbidden', `set_account_disabled as dispatcher: ${JSON.stringify(disabled)}`);
    const sessions = await rawInvoke(browser, 'desk_sessions', { fromUtc: 0, toUtc: 4_000_000_000 });
    assert(sessions.error?.kind === 'forbidden', `desk_sessions as dispatcher: ${JSON.stringify(sessions)}`);
  });

  await check('the refused account was not created (the administrator’s list)', async () => {
    await signIn(browser, admin.username, admin.password);
    const listed = await rawInvoke(browser, 'list_accounts', {});
    const names = (listed.ok ?? []).map((a) => a.username);
    assert(names.length === 4 && !names.includes('intruder'), `accounts: ${JSON.stringify(listed)}`);
  });

  await check(`signed in as the dispatcher (${dispatcher.username}) for the dispatch checks`, async () => {
    await signIn(browser, dispatcher.username, dispatcher.password);
    const role = await (await byTestId(browser, 'operator')).getAttribute('data-role');
    assert(role === 'dispatcher', `signed in as ${role}`);
  });
}
