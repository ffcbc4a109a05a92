// Reports the first paint, as the desk's App.svelte does (two frames after load), with the
// page's milliseconds since its navigation began.
requestAnimationFrame(() =>
  requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('startup_painted', { marks: { painted: performance.now() } })),
);
