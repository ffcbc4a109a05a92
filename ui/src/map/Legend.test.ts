import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/index.svelte';
import Legend from './Legend.svelte';

describe('Legend', () => {
  afterEach(() => i18n.set('zh-CN'));

  it('lists unit kinds in Chinese by default and follows the language switch', () => {
    render(Legend, { showEstimates: false });
    expect(screen.getByText('图例')).toBeTruthy();
    expect(screen.getByText('警艇')).toBeTruthy();
    expect(screen.queryByText('估算数据')).toBeNull();

    i18n.set('en');
    flushSync();
    expect(screen.getByText('Legend')).toBeTruthy();
    expect(screen.getByText('Police boat')).toBeTruthy();
  });

  it('shows the estimate swatch when estimates are highlighted', () => {
    render(Legend, { showEstimates: true });
    expect(screen.getByText('估算数据')).toBeTruthy();
  });
});
