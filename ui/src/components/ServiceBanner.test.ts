import { describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import ServiceBanner from './ServiceBanner.svelte';
import { serviceLink } from '../ipc/live.svelte';

describe('ServiceBanner', () => {
  it('shows nothing on a desk of its own or while the link is up', () => {
    const target = document.createElement('div');
    const c = mount(ServiceBanner, { target, props: { timeZone: 'Asia/Shanghai' } });
    expect(target.querySelector('[data-testid="service-banner"]')).toBeNull();
    serviceLink.status = { connected: true, since: 0, message: null, tampered: false };
    flushSync();
    expect(target.querySelector('[data-testid="service-banner"]')).toBeNull();
    unmount(c);
  });
  it('says since when the command centre is lost, and louder when its journal was rewritten', () => {
    const target = document.createElement('div');
    const c = mount(ServiceBanner, { target, props: { timeZone: 'Asia/Shanghai' } });
    const since = Date.UTC(2026, 6, 1, 0, 1, 2) / 1000;
    serviceLink.status = { connected: false, since, message: 'connection refused', tampered: false };
    flushSync();
    const banner = target.querySelector('[data-testid="service-banner"]');
    // 00:01:02 UTC is 08:01:02 in the region (Asia/Shanghai), whatever the PC's zone.
    expect(banner?.textContent).toContain('与指挥中心的连接已断开（自 08:01:02）');
    serviceLink.status = { connected: false, since, message: 'its event 7 has hash ab', tampered: true };
    flushSync();
    expect(target.querySelector('[data-testid="service-banner"]')?.textContent).toContain('its event 7 has hash ab');
    unmount(c);
    serviceLink.status = null;
  });
});
