// What every e2e run needs: named checks with a tally, a fresh home for the app's data, and
// the real desk started through tauri-driver (which drives Debian's WebKitWebDriver).
// Used by run.mjs (the desk on its own journal) and seats.mjs (desks on the service).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const targetDir = process.env.CARGO_TARGET_DIR || path.join(root, 'target');
export const deskBin = process.env.TIDEWATCH_DESK_BIN || path.join(targetDir, 'release', 'tidewatch-desk');
const cargoDriver = path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');
const driverBin = process.env.TAURI_DRIVER || (existsSync(cargoDriver) ? cargoDriver : 'tauri-driver');

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Named checks: each prints ok/FAIL with its time; `finish` prints the tally and exits. */
export function checks() {
  const tally = { passed: 0, failed: 0, failures: [] };
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      tally.passed++;
      console.log(`ok   - ${name} (${Date.now() - t0} ms)`);
      return true;
    } catch (e) {
      fail(name, e?.message ?? e);
      return false;
    }
  };
  const fail = (name, why) => {
    tally.failed++;
    tally.failures.push(name);
    console.log(`FAIL - ${name}: ${why}`);
  };
  const finish = () => {
    console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
    if (tally.failures.length) console.log(`failed: ${tally.failures.join('; ')}`);
    process.exit(tally.failed === 0 ? 0 : 1);
  };
  return { check, fail, finish, tally };
}

/** Resolves once something listens on 127.0.0.1:`port`. */
export function waitForPort(port, timeoutMs, what = 'tauri-driver') {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`${what} did not listen on ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/**
 * A fresh home for the app's data, WebKit's local storage and caches (removed at exit):
 * every run is a first run, and nothing of the user's is touched.
 */
export function freshHome(extra = {}) {
  const xdg = mkdtempSync(path.join(os.tmpdir(), 'tidewatch-e2e-'));
  process.on('exit', () => rmSync(xdg, { recursive: true, force: true }));
  return {
    ...process.env,
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    ...extra,
  };
}

/**
 * Starts tauri-driver on `port` (and `port + 1` for WebKitWebDriver) with `env`, and opens
 * the desk in it. Returns `{ browser, stop }`; throws with what failed.
 */
export async function startDesk(env, port) {
  if (!existsSync(deskBin)) throw new Error(`the desk binary is missing: ${deskBin} (cargo build -p tidewatch-desk --release)`);
  const driver = spawn(driverBin, ['--port', String(port), '--native-port', String(port + 1)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  let exited = false;
  let spawnError;
  driver.on('exit', () => (exited = true));
  driver.on('error', (e) => (spawnError = e));
  const stop = () => {
    if (!exited) driver.kill('SIGTERM');
  };
  process.on('exit', stop);
  try {
    await waitForPort(port, 20_000);
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      connectionRetryCount: 1,
      connectionRetryTimeout: 60_000,
      capabilities: { 'tauri:options': { application: deskBin }, 'wdio:enforceWebDriverClassic': true },
    });
    return { browser, stop };
  } catch (e) {
    stop();
    throw spawnError ? new Error(`cannot start tauri-driver (${driverBin}): ${spawnError.message}`) : e;
  }
}
